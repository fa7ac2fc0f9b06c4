"""The entry workbook's own frame: its format name and version, and its hidden sheets."""

from __future__ import annotations

FORMAT = "deptbudget.entry-template"
FORMAT_VERSION = 1
META_SHEET = "_meta"
CODES_SHEET = "代码表"
MAX_ROWS = 2000  # rows of each table sheet that carry drop-downs and validation
