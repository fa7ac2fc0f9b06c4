"""What to audit: folders (every document under them, named by their MANIFEST.tsv where present), single
files, or a manifest CSV with the columns ``path, locality, entity, year, kind`` (paths relative to the CSV).

Folders and file names are read as ``benchmarks/recall.py`` reads them (its ``documents`` and naming); each
document is listed once, by its resolved path, which is also its key in the results.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from deptbudget.importers import recall

MANIFEST_COLUMNS = ("path", "locality", "entity", "year", "kind")


class InputError(Exception):
    """An input that names no documents; the message names the file and the problem (Chinese and English)."""


@dataclass(frozen=True)
class AuditDocument:
    path: str  # resolved: the document's key in the results
    locality: str = ""
    entity: str = ""
    year: str = ""
    kind: str = ""


def _from_manifest(manifest: Path) -> list[AuditDocument]:
    try:
        with manifest.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in ("path",) if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"{manifest}：清单缺少列 path (manifest has no path column; "
                                 f"columns: {', '.join(MANIFEST_COLUMNS)})")
            out = []
            for line, row in enumerate(reader, start=2):
                name = (row.get("path") or "").strip()
                if not name:
                    raise InputError(f"{manifest} 第{line}行：没有文件路径 (line {line}: empty path)")
                path = Path(name) if Path(name).is_absolute() else manifest.parent / name
                out.append(AuditDocument(str(path.resolve()), *((row.get(c) or "").strip()
                                                                for c in MANIFEST_COLUMNS[1:])))
            return out
    except OSError as exc:
        raise InputError(f"{manifest}：无法读取清单 (cannot read manifest): {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{manifest}：清单不是 UTF-8 CSV (manifest is not a UTF-8 CSV): {exc}") from exc


def _from_input(name: str) -> list[AuditDocument]:
    path = Path(name)
    if path.is_dir():
        return [AuditDocument(str(d.path.resolve()), d.locality, d.entity, d.year, d.kind)
                for d in recall.documents(path)]
    if path.is_file():
        d = recall.from_name(path, path.parent)
        return [AuditDocument(str(path.resolve()), d.locality, d.entity, d.year, d.kind)]
    raise InputError(f"{name}：文件或目录不存在 (no such file or folder)")


def collect(inputs: Iterable[str], manifest: str | None = None) -> list[AuditDocument]:
    """The documents named, each once (first naming wins), in the order given."""
    listed: list[AuditDocument] = []
    if manifest:
        listed += _from_manifest(Path(manifest))
    for name in inputs:
        listed += _from_input(name)
    seen: set[str] = set()
    out = []
    for document in listed:
        if document.path not in seen:
            seen.add(document.path)
            out.append(document)
    return out

