"""Files that cannot be imported end in one clear error naming the file and the reason."""

from __future__ import annotations

import os
import random
import zipfile
from pathlib import Path

import pytest

from deptbudget.importers import import_document
from deptbudget.importers.errors import (
    CorruptDocumentError,
    DocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    FileNotReadableError,
    NotABudgetError,
    NoTextLayerError,
    UnsupportedFormatError,
)

FIXTURES = Path(__file__).parents[1] / "fixtures"
SEED = FIXTURES / "luohu-2020-as-published.txt"


def _pdf(path: Path, draw: str = "text") -> Path:
    from reportlab.pdfgen import canvas

    from deptbudget.render.pdf import register_font

    sheet = canvas.Canvas(str(path))
    if draw == "text":
        sheet.setFont(register_font(), 12)
        sheet.drawString(72, 720, "2020 年测试局部门预算")
    elif draw == "image":
        from PIL import Image
        from reportlab.lib.utils import ImageReader

        image = Image.new("RGB", (200, 100), "white")
        sheet.drawImage(ImageReader(image), 72, 600, 200, 100)
    sheet.showPage()
    sheet.save()
    return path


def _xlsx(path: Path) -> Path:
    from tests.importers import mof_documents

    return mof_documents.write_xlsx(path)


def expect(path: Path, error: type[DocumentError], words: str) -> DocumentError:
    with pytest.raises(error) as caught:
        import_document(path)
    message = str(caught.value)
    assert str(path) in message and words in message, message
    assert "\n" not in message
    return caught.value


def test_missing_file(tmp_path: Path) -> None:
    expect(tmp_path / "nothing.pdf", FileNotReadableError, "不存在")


def test_directory(tmp_path: Path) -> None:
    expect(tmp_path, FileNotReadableError, "不是文件")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    expect(path, EmptyDocumentError, "文件为空")


def test_garbage_bytes(tmp_path: Path) -> None:
    path = tmp_path / "budget.pdf"
    rng = random.Random(4)
    path.write_bytes(bytes(rng.randrange(256) for _ in range(5000)))
    expect(path, UnsupportedFormatError, "无法识别")


def test_unsupported_zip(tmp_path: Path) -> None:
    path = tmp_path / "budget.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", "<office/>")
    expect(path, UnsupportedFormatError, "不是 XLSX 或 DOCX")


def test_legacy_office_file(tmp_path: Path) -> None:
    path = tmp_path / "budget.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    expect(path, UnsupportedFormatError, ".xls/.doc")


def test_encrypted_office_file(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le"))
    expect(path, EncryptedDocumentError, "已加密")


def test_truncated_pdf(tmp_path: Path) -> None:
    whole = _pdf(tmp_path / "whole.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: len(whole) // 2])
    expect(path, CorruptDocumentError, "%%EOF")


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"garbage " * 200 + b"\n%%EOF\n")
    expect(path, CorruptDocumentError, "损坏")


def test_truncated_xlsx(tmp_path: Path) -> None:
    whole = _xlsx(tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    expect(path, CorruptDocumentError, "损坏")


def test_truncated_docx(tmp_path: Path) -> None:
    from tests.importers import mof_documents

    whole = mof_documents.write_docx(tmp_path / "whole.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(whole[: len(whole) - 300])
    expect(path, CorruptDocumentError, "损坏")


def test_encrypted_pdf(tmp_path: Path) -> None:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    sheet = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="owner"))
    sheet.drawString(72, 720, "budget")
    sheet.save()
    expect(path, EncryptedDocumentError, "已加密")


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    expect(_pdf(tmp_path / "scan.pdf", draw="image"), NoTextLayerError, "扫描件")


def test_blank_pdf(tmp_path: Path) -> None:
    expect(_pdf(tmp_path / "blank.pdf", draw="nothing"), EmptyDocumentError, "没有文字")


def test_text_that_is_no_budget(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("会议纪要\n今天讨论了天气。\n", encoding="utf-8")
    expect(path, NotABudgetError, "未找到部门预算")


def test_a_page_announcing_its_budget_names_the_attachments(tmp_path: Path) -> None:
    """A department's web page that only links to its budget file (附件：….pdf) says which files to import."""
    path = tmp_path / "page.html"
    path.write_text(
        '<html><body><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li></ul>'
        "<h1>某局2026年部门预算</h1><p>发布日期：2026-02-10</p>"
        '<p>附件：<a href="/files/2026ys.pdf">某局2026年部门预算.pdf</a> '
        '<a href="/files/2026tables.XLSX?v=2">预算公开表</a> <a href="/files/2026ys.pdf">某局2026年部门预算.pdf</a></p>'
        "</body></html>", encoding="utf-8")
    error = expect(path, NotABudgetError, "某局2026年部门预算.pdf（/files/2026ys.pdf）")
    assert "预算公开表（/files/2026tables.XLSX?v=2）" in str(error) and "首页" not in str(error)
    assert str(error).count("2026ys.pdf") == 1  # a file linked twice is named once
    path.write_text("<html><body><h1>会议纪要</h1><p>今天讨论了天气。</p></body></html>", encoding="utf-8")
    assert "附件" not in str(expect(path, NotABudgetError, "未找到部门预算"))


def test_wrong_extension_is_read_by_content(tmp_path: Path) -> None:
    path = tmp_path / "budget.pdf"
    path.write_bytes(SEED.read_bytes())
    disclosure, report = import_document(path)
    assert disclosure.template == "shenzhen-15" and report.format == "text"
    assert any("扩展名" in note.message for note in report.notes)


def test_xlsx_named_pdf_is_read_by_content(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "tables.xlsx").rename(tmp_path / "tables.pdf")
    disclosure, report = import_document(path)
    assert report.format == "xlsx" and disclosure.tables


def test_gb18030_text(tmp_path: Path) -> None:
    path = tmp_path / "seed-gbk.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    disclosure, _ = import_document(path)
    assert disclosure.unit_name == "罗湖区科技创新局"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_bytes(SEED.read_bytes())
    path.chmod(0)
    expect(path, FileNotReadableError, "无法打开")


def test_every_error_is_a_document_error() -> None:
    for error in (CorruptDocumentError, EmptyDocumentError, EncryptedDocumentError, NoTextLayerError,
                  UnsupportedFormatError, NotABudgetError):
        assert issubclass(error, DocumentError)
    assert "(" in str(UnsupportedFormatError("x.bin"))
