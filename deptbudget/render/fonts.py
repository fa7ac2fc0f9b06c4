"""Locate the CJK font files the PDF, DOCX and chart renderers need.

Two kinds of font are needed:

- CJK fonts with **TrueType outlines** (``glyf``) for ReportLab, which cannot embed
  CFF/PostScript-outline fonts such as Noto CJK: WenQuanYi Micro Hei (``fonts-wqy-microhei``), the
  黑体-style face of titles and headings, and AR PL UMing (``fonts-arphic-uming``), the 宋体-style
  serif of body text and tables;
- an OpenType CJK font for matplotlib charts: Noto Sans CJK SC (``fonts-noto-cjk``), with
  WenQuanYi Micro Hei as fallback.

Fonts are found with fontconfig (``fc-match``) and, failing that, at their Debian paths.
``DEPTBUDGET_CJK_TTF`` may name a TrueType font file (``path`` or ``path#index`` for a
collection) to use instead. When nothing suitable is installed, :class:`FontNotFoundError`
names the Debian package to install. :func:`register_pdf_font` registers the TrueType one with
ReportLab, once per name, for every PDF writer (the disclosure and the performance forms).
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

TTF_ENV = "DEPTBUDGET_CJK_TTF"


class FontNotFoundError(RuntimeError):
    """No usable CJK font is installed; the message names the Debian package."""


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int  # face index inside a .ttc collection (0 for a plain .ttf/.otf)
    family: str


@dataclass(frozen=True)
class _Candidate:
    family: str
    package: str
    known_paths: tuple[tuple[str, int], ...]


WQY_MICROHEI = _Candidate(
    "WenQuanYi Micro Hei",
    "fonts-wqy-microhei",
    (("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),),
)
AR_PL_UMING = _Candidate(  # a 宋体/明体-style serif with TrueType outlines: the PDF's body face
    "AR PL UMing CN",
    "fonts-arphic-uming",
    (("/usr/share/fonts/truetype/arphic/uming.ttc", 0),),
)
NOTO_SANS_CJK_SC = _Candidate(
    "Noto Sans CJK SC",
    "fonts-noto-cjk",
    (
        ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
        ("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf", 0),
    ),
)


def sfnt_flavour(path: Path, index: int = 0) -> str:
    """``"truetype"`` (glyf outlines), ``"cff"`` (PostScript outlines) or ``"unknown"``.

    Reads only the file header: the sfnt version of face ``index`` (``OTTO`` means CFF).
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(12)
            if head[:4] == b"ttcf":
                count = struct.unpack(">I", head[8:12])[0]
                if not 0 <= index < count:
                    return "unknown"
                fh.seek(12 + 4 * index)
                (offset,) = struct.unpack(">I", fh.read(4))
                fh.seek(offset)
                tag = fh.read(4)
            else:
                tag = head[:4]
    except (OSError, struct.error):
        return "unknown"
    if tag in (b"\x00\x01\x00\x00", b"true"):
        return "truetype"
    if tag == b"OTTO":
        return "cff"
    return "unknown"


def _fc_match(family: str) -> FontFile | None:
    """The face fontconfig picks for ``family``, or None when it only offers a substitute."""
    if shutil.which("fc-match") is None:
        return None
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}\t%{index}\t%{family}", f"{family}:lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    parts = out.split("\t")
    if len(parts) != 3 or family.lower() not in parts[2].lower():
        return None
    path = Path(parts[0])
    if not path.is_file():
        return None
    return FontFile(path, int(parts[1] or 0), family)


def _locate(candidate: _Candidate) -> FontFile | None:
    found = _fc_match(candidate.family)
    if found is not None:
        return found
    for path, index in candidate.known_paths:
        if Path(path).is_file():
            return FontFile(Path(path), index, candidate.family)
    return None


def _from_env() -> FontFile | None:
    value = os.environ.get(TTF_ENV, "").strip()
    if not value:
        return None
    path_text, _, index_text = value.partition("#")
    path = Path(path_text)
    if not path.is_file():
        raise FontNotFoundError(f"{TTF_ENV}={value!r}: 字体文件不存在 (font file not found)")
    return FontFile(path, int(index_text or 0), path.stem)


@lru_cache(maxsize=1)
def truetype_cjk_font() -> FontFile:
    """A CJK font with TrueType outlines, embeddable by ReportLab (WenQuanYi Micro Hei)."""
    font = _from_env() or _locate(WQY_MICROHEI)
    if font is None:
        raise FontNotFoundError(
            "找不到可嵌入 PDF 的中文 TrueType 字体 WenQuanYi Micro Hei "
            "(no TrueType-outline CJK font found): install the Debian package "
            f"{WQY_MICROHEI.package} (apt-get install -y {WQY_MICROHEI.package}) "
            f"or set {TTF_ENV}=/path/to/font.ttf"
        )
    if sfnt_flavour(font.path, font.index) != "truetype":
        raise FontNotFoundError(
            f"{font.path} (face {font.index}) 不是 TrueType 轮廓字体，ReportLab 无法嵌入 "
            "(CFF/OpenType-PostScript outlines cannot be embedded by ReportLab): "
            f"install {WQY_MICROHEI.package}"
        )
    return font


@lru_cache(maxsize=1)
def serif_cjk_font() -> FontFile:
    """The PDF's body face: a 宋体-style serif with TrueType outlines (AR PL UMing, ``fonts-arphic-uming``);
    the 黑体-style :func:`truetype_cjk_font` when it is not installed (the headings' face)."""
    if os.environ.get(TTF_ENV, "").strip():
        return truetype_cjk_font()
    font = _locate(AR_PL_UMING)
    if font is None or sfnt_flavour(font.path, font.index) != "truetype":
        return truetype_cjk_font()
    return font


@lru_cache(maxsize=1)
def chart_cjk_font() -> FontFile:
    """The CJK font for charts: Noto Sans CJK SC, else WenQuanYi Micro Hei."""
    font = _locate(NOTO_SANS_CJK_SC) or _locate(WQY_MICROHEI)
    if font is None:
        raise FontNotFoundError(
            "找不到中文字体 Noto Sans CJK SC (no CJK font for charts): install the Debian "
            f"package {NOTO_SANS_CJK_SC.package} (apt-get install -y {NOTO_SANS_CJK_SC.package})"
        )
    return font


@cache
def register_pdf_font(name: str, serif: bool = False) -> str:
    """Register an embeddable CJK TrueType font with ReportLab under ``name`` — the 黑体-style one, or
    the 宋体-style serif when ``serif`` — and return ``name``.

    ReportLab is imported here, not at module level: the chart and DOCX font look-ups need none."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = serif_cjk_font() if serif else truetype_cjk_font()
    pdfmetrics.registerFont(TTFont(name, str(font.path), subfontIndex=font.index))
    return name
