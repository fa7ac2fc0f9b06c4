"""Reproducible output: the same source gives the same bytes in every format.

What varies between builds in the files the libraries write — timestamps of the document and of ZIP
entries (XLSX, DOCX), a PDF's creation date and ID — is fixed to the **document date**: the
reproducible-builds ``SOURCE_DATE_EPOCH`` when set, else 1 January of the budget's fiscal year (a date
the source gives, unlike the clock).
"""

from __future__ import annotations

import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from deptbudget.model.disclosure import Disclosure


def document_date(d: Disclosure) -> datetime:
    """The date written into the files' metadata (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime(d.fiscal_year, 1, 1, tzinfo=UTC)


def normalize_zip(path: Path, when: datetime, drop: frozenset[str] = frozenset()) -> None:
    """Rewrite the ZIP at ``path`` with every entry dated ``when`` (same order, deflated, fixed
    permissions), leaving out the entries named in ``drop``."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist() if info.filename not in drop]
    with zipfile.ZipFile(path, "w", compresslevel=1) as target:  # fast: the bytes are fixed either way
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            target.writestr(info, data)
