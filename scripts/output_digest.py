"""Digest every output of the main commands, to show that a refactor changed none of them.

    python scripts/output_digest.py DIR          # write DIR/digest.txt (and the outputs)
    diff before/digest.txt after/digest.txt      # an empty diff: byte-for-byte the same

Covers `build` of the example in every format, `check --json` of the example and the seed, and
`import` + `check --json` of a spread of real documents (../shared/real-docs). Time stamps that
the file formats carry (XLSX/DOCX docProps/core.xml, PDF /CreationDate /ModDate /ID) are left out
of the digest; everything else counts.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real-docs"
EXE = str(Path(sys.executable).parent / "deptbudget")
# One or two documents per locality and layout: enough to notice a change in any reader.
REAL_SAMPLE = 2


def _zip_digest(path: Path) -> str:
    sha = hashlib.sha256()
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if name == "docProps/core.xml":
                continue
            sha.update(name.encode())
            sha.update(archive.read(name))
    return sha.hexdigest()


_PDF_VOLATILE = re.compile(rb"/(CreationDate|ModDate) \(D:[^)]*\)|/ID\s*\[[^\]]*\]")


def _pdf_digest(path: Path) -> str:
    return hashlib.sha256(_PDF_VOLATILE.sub(b"", path.read_bytes())).hexdigest()


def digest(path: Path) -> str:
    if path.suffix in (".xlsx", ".docx"):
        return _zip_digest(path)
    if path.suffix == ".pdf":
        return _pdf_digest(path)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(args: list[str], out: Path | None = None) -> str:
    done = subprocess.run([EXE, *args], capture_output=True, text=True, cwd=ROOT)
    text = f"exit {done.returncode}\n{done.stdout}"
    if out is not None:
        out.write_text(text, encoding="utf-8")
    return text


def real_documents() -> list[Path]:
    if not REAL.exists():
        return []
    by_folder: dict[str, list[Path]] = {}
    for path in sorted(REAL.rglob("*")):
        if path.is_file() and path.name != "MANIFEST.tsv":
            by_folder.setdefault(path.parent.name, []).append(path)
    return [p for files in by_folder.values() for p in files[:REAL_SAMPLE]]


def main(out_dir: str) -> int:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _run(["build", "examples/luohu-2020.yaml", "-o", str(out / "build")])
    _run(["check", "--json", "examples/luohu-2020.yaml", "tests/fixtures/luohu-2020-seed.txt"],
         out / "check-example.txt")
    docs = real_documents()
    for index, doc in enumerate(docs):
        tag = f"real{index:02d}"
        _run(["import", str(doc), "-o", str(out / tag)])
        _run(["check", "--json", str(doc)], out / f"{tag}.check.txt")
        print(f"[{index + 1}/{len(docs)}] {doc.relative_to(REAL)}", file=sys.stderr)
    lines = [f"{digest(p)}  {p.relative_to(out)}" for p in sorted(out.rglob("*"))
             if p.is_file() and p.name != "digest.txt"]
    (out / "digest.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(out / "digest.txt")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
