#!/usr/bin/env bash
# Installs the Debian packages deptbudget needs, once. Skips what is already there.
set -euo pipefail
need=()
fonts=$(fc-list : family 2>/dev/null || true)  # read whole: `grep -q` on a pipe would SIGPIPE fc-list
grep -qi "WenQuanYi Micro Hei" <<<"$fonts" || need+=(fonts-wqy-microhei)
grep -qi "Noto Sans CJK" <<<"$fonts" || need+=(fonts-noto-cjk)
grep -qi "AR PL UMing" <<<"$fonts" || need+=(fonts-arphic-uming)   # the PDF's 宋体-style body face
command -v pdftotext >/dev/null || need+=(poppler-utils)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "需要安装系统软件包 (missing Debian packages): ${need[*]} — run as root or install them." >&2
    exit 1
  fi
  echo "Installing Debian packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
