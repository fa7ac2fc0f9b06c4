"""Documents that cannot be imported: each error names the file and the reason, in Chinese and
English, and is meant to be shown to the user as one line (never a traceback)."""

from __future__ import annotations

from pathlib import Path


class DocumentError(Exception):
    """A document that cannot be read as a budget disclosure."""

    reason_zh = "无法读取"
    reason_en = "cannot be read"

    def __init__(self, path: str | Path, detail: str = "") -> None:
        self.path = str(path)
        self.detail = detail
        message = f"{self.path}: {self.reason_zh} ({self.reason_en})"
        if detail:
            message += f": {detail}"
        super().__init__(message)


class FileNotReadableError(DocumentError):
    reason_zh = "文件不存在或无法打开"
    reason_en = "file missing or not readable"


class EmptyDocumentError(DocumentError):
    reason_zh = "文件为空或没有任何文字"
    reason_en = "the file is empty or holds no text"


class UnsupportedFormatError(DocumentError):
    reason_zh = "不支持的文件格式（支持 PDF、XLSX、DOCX、HTML、TXT）"
    reason_en = "unsupported format; PDF, XLSX, DOCX, HTML and text are supported"


class CorruptDocumentError(DocumentError):
    reason_zh = "文件已损坏或不完整"
    reason_en = "the file is corrupt or truncated"


class EncryptedDocumentError(DocumentError):
    reason_zh = "文件已加密，无法读取"
    reason_en = "the file is encrypted"


class NoTextLayerError(DocumentError):
    reason_zh = "PDF 没有文字层（可能是扫描件），需要先做文字识别（OCR）"
    reason_en = "the PDF has no text layer (a scan?); run OCR first"


class NotABudgetError(DocumentError):
    reason_zh = "未找到部门预算的表格或说明"
    reason_en = "no budget tables or narrative found"


class FinalAccountsError(DocumentError):
    reason_zh = "这是部门决算，但未找到决算的表格或说明"
    reason_en = "a final accounts document (部门决算) without tables or narrative that could be read"


class ImportFailedError(DocumentError):
    reason_zh = "读取时出错（程序未能处理此文件，请报告）"
    reason_en = "the importer failed on this file; please report it"
