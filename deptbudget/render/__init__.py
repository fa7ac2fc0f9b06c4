"""Renderers: Disclosure → HTML / XLSX / JSON (and PDF / DOCX in their own modules)."""

from deptbudget.render.html import render_html, write_html
from deptbudget.render.json_render import write_json
from deptbudget.render.xlsx import write_xlsx

__all__ = ["render_html", "write_html", "write_json", "write_xlsx"]
