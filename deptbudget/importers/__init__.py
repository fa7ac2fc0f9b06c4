"""Importers: published budget documents (PDF, XLSX, DOCX, HTML, text) → ``Disclosure``.

``import_document(path)`` reads any supported file and returns the Disclosure with its
``ImportReport``; a file that cannot be read raises a ``DocumentError`` whose message names the
file and the reason. Every reader produces lines of cells (``importers.source``) and one
structure recovery (``importers.recover``) turns them into the Disclosure, following the
locality template the table titles point to.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from deptbudget.importers.collector import paused
from deptbudget.importers.errors import DocumentError, ImportFailedError
from deptbudget.importers.formats import detect_format, extension_format
from deptbudget.importers.report import ImportReport
from deptbudget.model.disclosure import Disclosure

Reader = Callable[[str | Path], tuple[Disclosure, ImportReport]]

# format → (module, function); imported when first needed (PDF and DOCX pull heavier libraries)
READERS: dict[str, tuple[str, str]] = {
    "text": ("deptbudget.importers.text", "read_text"),
    "xlsx": ("deptbudget.importers.xlsx", "read_xlsx"),
    "html": ("deptbudget.importers.html", "read_html"),
    "pdf": ("deptbudget.importers.pdf", "read_pdf"),
    "docx": ("deptbudget.importers.docx", "read_docx"),
}

__all__ = ["DocumentError", "ImportReport", "import_document", "reader_for"]


def reader_for(fmt: str) -> Reader:
    module, function = READERS[fmt]
    return getattr(importlib.import_module(module), function)  # type: ignore[no-any-return]


def import_document(path: str | Path) -> tuple[Disclosure, ImportReport]:
    """Read a published budget document into a Disclosure and its import report."""
    fmt = detect_format(path)
    try:
        with paused():  # see importers.collector: a third of a large PDF's import time went to the collector
            disclosure, report = reader_for(fmt)(path)
    except DocumentError:
        raise
    except Exception as exc:  # a defect must still end in one clear line, not a traceback
        raise ImportFailedError(path, f"{type(exc).__name__}: {exc}") from exc
    expected = extension_format(path)
    if expected is not None and expected != fmt:
        report.note(f"扩展名表示 {expected}，内容是 {fmt}，按内容读取 (extension says {expected}, content is {fmt})")
    disclosure.meta["import"] = report.summary()
    return disclosure, report
