"""A page's objects (chars, lines, rects …) as pdfplumber builds them, built faster.

pdfplumber turns every pdfminer layout object into a dict in ``Page.process_object``: for each
attribute it calls ``resolve_all``, which walks tuples and lists looking for indirect references —
about a fifth of the import time of a PDF goes there. Nearly all those values are plain numbers,
strings and tuples of numbers, which ``resolve_all`` returns unchanged. ``page_objects`` builds the
same dicts (same keys in the same order, equal values) and calls ``resolve_all`` only for the
other values; ``prime`` stores them where pdfplumber's ``Page.objects`` keeps its cache, so
``find_tables`` and ``extract_words`` use them. ``tests/importers/test_pdf_objects.py`` compares
the result with pdfplumber's own on real pages.
"""

from __future__ import annotations

from typing import Any

from pdfminer.layout import LTChar, LTContainer, LTCurve, LTTextContainer
from pdfplumber.page import ALL_ATTRS, Page, fix_fontname_bytes, lt_pat
from pdfplumber.utils import resolve_all, resolve_and_decode

from deptbudget.importers.pdf_content import page_layout

_PLAIN = (int, float, str, bool, type(None))
_kinds: dict[type, str] = {}
_names: dict[tuple[type, Any], Any] = {}


def _kind(cls: type) -> str:
    kind = _kinds.get(cls)
    if kind is None:
        kind = _kinds[cls] = lt_pat.sub("", cls.__name__).lower()
    return kind


def _plain(value: Any) -> bool:
    return type(value) in _PLAIN or (type(value) is tuple and all(type(v) in _PLAIN for v in value))


def _resolved(value: Any) -> Any:
    """``resolve_all(value)``, without the walk when nothing in it can be a reference."""
    if type(value) in _PLAIN:
        return value
    if type(value) is tuple and all(type(v) in _PLAIN for v in value):
        return value
    if type(value) is list and all(_plain(v) for v in value):
        return list(value)
    return resolve_all(value)


def _decoded(name: Any) -> Any:
    """``resolve_and_decode(name)`` of a colour space's name, remembered (the same few names recur)."""
    if type(name) not in (str, bytes):
        return resolve_and_decode(name)
    key = (type(name), name)
    out = _names.get(key)
    if out is None:
        out = _names[key] = resolve_and_decode(name)
    return out


def _object(page: Page, obj: Any) -> dict[str, Any]:
    """``page.process_object(obj)``: see pdfplumber's ``Page.process_object``, which this follows."""
    attr = {
        k: v if type(v) in _PLAIN else _resolved(v) for k, v in obj.__dict__.items() if k in ALL_ATTRS
    }
    attr["object_type"] = _kind(obj.__class__)
    attr["page_number"] = page.page_number
    for cs in ("ncs", "scs"):
        if hasattr(obj, cs):
            attr[cs] = _decoded(getattr(obj, cs).name)
    if isinstance(obj, (LTChar, LTTextContainer)):
        text = obj.get_text()
        norm = page.pdf.unicode_norm
        if norm is not None:
            from unicodedata import normalize

            text = normalize(norm, text)
        attr["text"] = text
    if isinstance(obj, LTChar):
        gs = obj.graphicstate
        attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
        attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
        if isinstance(attr["fontname"], bytes):
            attr["fontname"] = fix_fontname_bytes(attr["fontname"])
    elif isinstance(obj, LTCurve):
        attr["pts"] = list(map(page.point2coord, attr["pts"]))
        attr["path"] = [(cmd, *map(page.point2coord, pts)) for cmd, *pts in obj.original_path]
        attr["dash"] = obj.dashing_style
    mb_x0, mb_top = page.mediabox[:2]
    if "y0" in attr:
        attr["top"] = (page.height - attr["y1"]) + mb_top
        attr["bottom"] = (page.height - attr["y0"]) + mb_top
        attr["doctop"] = page.initial_doctop + attr["top"]
    if "x0" in attr and mb_x0 != 0:
        attr["x0"] = attr["x0"] + mb_x0
        attr["x1"] = attr["x1"] + mb_x0
    return attr


def _walk(page: Page, items: list[Any], out: dict[str, list[dict[str, Any]]]) -> None:
    with_containers = page.pdf.laparams is not None
    for obj in items:
        if isinstance(obj, LTContainer):
            if with_containers:
                _add(_object(page, obj), out)
            _walk(page, obj._objs, out)
        else:
            _add(_object(page, obj), out)


def _add(attr: dict[str, Any], out: dict[str, list[dict[str, Any]]]) -> None:
    kind = attr["object_type"]
    if kind != "anno":
        out.setdefault(kind, []).append(attr)


def page_objects(page: Page) -> dict[str, list[dict[str, Any]]]:
    """What pdfplumber's ``page.parse_objects()`` returns, by object type."""
    out: dict[str, list[dict[str, Any]]] = {}
    _walk(page, page.layout._objs, out)
    return out


def prime(page: Page) -> None:
    """Fill the page's layout and object caches (``Page.layout``, ``Page.objects``) unless pdfplumber
    has already: the layout read by ``pdf_content``, the objects built here."""
    if not hasattr(page, "_layout"):
        page._layout = page_layout(page)
    if not hasattr(page, "_objects"):
        page._objects = page_objects(page)
