"""Which reader a file needs: decided by its content (magic bytes), the extension only as a hint.

``%PDF-`` → PDF; a ZIP holding ``xl/workbook.xml`` → XLSX, ``word/document.xml`` → DOCX; an
OLE2 compound file → an encrypted Office file or a legacy .xls/.doc (both refused with the
reason); ``<html``/``<!doctype html`` → HTML; decodable text without NUL bytes → text.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from deptbudget.importers.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    FileNotReadableError,
    UnsupportedFormatError,
)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
EXTENSIONS = {".pdf": "pdf", ".xlsx": "xlsx", ".xlsm": "xlsx", ".docx": "docx", ".html": "html", ".htm": "html",
              ".txt": "text", ".text": "text"}
SNIFF_BYTES = 4096


def read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise FileNotReadableError(path, exc.strerror or str(exc)) from None


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise CorruptDocumentError(path, f"ZIP 结构损坏 (broken ZIP container): {exc}") from None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    raise UnsupportedFormatError(path, "ZIP 文件不是 XLSX 或 DOCX (a ZIP that is neither XLSX nor DOCX)")


def _ole2_kind(path: Path, head: bytes) -> str:
    data = path.read_bytes()
    if "EncryptionInfo".encode("utf-16-le") in data or b"EncryptedPackage" in data \
            or "EncryptedPackage".encode("utf-16-le") in data:
        raise EncryptedDocumentError(path)
    raise UnsupportedFormatError(path, "旧版 Office 格式（.xls/.doc），请另存为 .xlsx/.docx (legacy .xls/.doc)")


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html")) or (start.startswith(b"<") and b"<table" in head.lower())


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 3 and len(head) == SNIFF_BYTES:  # a character cut by the window
                return True
    return False


def detect_format(path: str | Path) -> str:
    """``pdf`` / ``xlsx`` / ``docx`` / ``html`` / ``text``, or a ``DocumentError`` saying why not."""
    path = Path(path)
    if not path.is_file():
        raise FileNotReadableError(path, "不是文件 (not a file)" if path.exists() else "不存在 (does not exist)")
    head = read_head(path)
    if not head.strip():
        raise EmptyDocumentError(path)
    if head.startswith(b"%PDF-") or head[:1024].find(b"%PDF-") >= 0:
        return "pdf"
    if head.startswith(_ZIP):
        return _zip_kind(path)
    if head.startswith(_OLE2):
        return _ole2_kind(path, head)
    if _looks_like_html(head):
        return "html"
    if _looks_like_text(head):
        return "text"
    raise UnsupportedFormatError(path, "无法识别的二进制内容 (unrecognised binary content)")


def extension_format(path: str | Path) -> str | None:
    return EXTENSIONS.get(Path(path).suffix.lower())
