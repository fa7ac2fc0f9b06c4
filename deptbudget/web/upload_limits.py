"""Limits on an uploaded workbook beyond its size in bytes (issue 15): an XLSX is a zip of XML, so a
few hundred KB can unpack to hundreds of MB or hold hundreds of thousands of rows, which openpyxl
would then build in memory. Before the workbook is opened, its worksheets are scanned as bytes
(streamed, without building anything): the total unpacked size, the rows of each sheet and the
columns used are checked, and a workbook over a limit is refused with a Chinese message naming the
limit. The limits fit a realistic budget (2,000 项目支出明细, 1,000 indicators) with room to spare."""

from __future__ import annotations

import html
import re
import zipfile
from typing import IO

from openpyxl.utils import column_index_from_string

MAX_UNPACKED = 100 * 1024 * 1024  # bytes, all parts of the workbook unpacked
MAX_ROWS = 20_000  # rows of any one sheet (the 代码表 of a year's catalog included)
MAX_COLUMNS = 200  # columns of any one sheet
_CHUNK = 1024 * 1024
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL_COLUMN = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,3})[0-9]")


class WorkbookTooLarge(Exception):
    """The workbook is over a limit; ``message`` says which (in Chinese)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def _count(data: bytes, rows: int, widest: int, name: str) -> tuple[int, int]:
    rows += len(_ROW.findall(data))
    for letters in set(_CELL_COLUMN.findall(data)):
        widest = max(widest, column_index_from_string(letters.decode()))
    if rows > MAX_ROWS:
        raise WorkbookTooLarge(f"工作表“{name}”的行数超过上限（{MAX_ROWS:,} 行）。")
    if widest > MAX_COLUMNS:
        raise WorkbookTooLarge(f"工作表“{name}”的列数超过上限（{MAX_COLUMNS} 列）。")
    return rows, widest


def _scan_sheet(stream: IO[bytes], name: str) -> None:
    """Count the rows and the widest column of one worksheet's XML, streamed in chunks (each chunk
    cut before its last tag, which is read with the next)."""
    rows = widest = 0
    tail = b""
    while chunk := stream.read(_CHUNK):
        data = tail + chunk
        cut = data.rfind(b"<")
        cut = len(data) if cut <= 0 else cut
        rows, widest = _count(data[:cut], rows, widest, name)
        tail = data[cut:]
    _count(tail, rows, widest, name)


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → the sheet's name as shown in Excel (the part's file name when unknown)."""
    try:
        book = archive.read("xl/workbook.xml")[:1_000_000].decode("utf-8", "replace")
        rels = archive.read("xl/_rels/workbook.xml.rels")[:1_000_000].decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError):
        return {}
    targets = {m[0]: m[1] for m in re.findall(r'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*?\bTarget="([^"]+)"', rels)}
    names = {}
    for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", book):
        name, rid = re.search(r'\bname="([^"]*)"', tag), re.search(r'\br:id="([^"]*)"', tag)
        if name and rid and rid.group(1) in targets:
            target = targets[rid.group(1)].lstrip("/")
            names[target if target.startswith("xl/") else f"xl/{target}"] = html.unescape(name.group(1))
    return names


def check_workbook(stream: IO[bytes]) -> None:
    """Raise ``WorkbookTooLarge`` when the XLSX in ``stream`` is over a limit. A file that is not a zip
    is left to the reader (which refuses it with its own message)."""
    try:
        archive = zipfile.ZipFile(stream)
    except zipfile.BadZipFile:
        return
    with archive:
        infos = archive.infolist()
        if sum(info.file_size for info in infos) > MAX_UNPACKED:
            raise WorkbookTooLarge(f"XLSX 文件解压后超过 {MAX_UNPACKED // 1048576} MB。")
        names = _sheet_names(archive)
        for info in infos:
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                name = names.get(info.filename, info.filename.rsplit("/", 1)[-1].removesuffix(".xml"))
                try:
                    with archive.open(info) as member:
                        _scan_sheet(member, name)
                except (zipfile.BadZipFile, OSError, EOFError):
                    return  # damaged: the reader says so


def refusal(exc: WorkbookTooLarge) -> str:
    """The whole message shown to the person who uploaded."""
    return (f"上传的工作簿过大，已拒绝：{exc.message}没有任何改动。本系统的录入模板每张表的行数上限为 "
            f"{MAX_ROWS:,} 行、列数上限为 {MAX_COLUMNS} 列，解压后不超过 {MAX_UNPACKED // 1048576} MB。")
