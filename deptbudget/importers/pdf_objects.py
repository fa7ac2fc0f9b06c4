"""A page's objects (chars, lines, rects …) as pdfplumber builds them, built faster.

pdfplumber turns every pdfminer layout object into a dict in ``Page.process_object``: for each
attribute it calls ``resolve_all``, which walks tuples and lists looking for indirect references —
about a fifth of the import time of a PDF goes there. Nearly all those values are plain numbers,
strings and tuples of numbers, which ``resolve_all`` returns unchanged. ``page_objects`` builds the
same dicts (same keys in the same order, equal values) and calls ``resolve_all`` only for the
other values (per class, the attribute names are picked once and read with one ``itemgetter``;
what ``process_object`` reads of the page is looked up once per page); ``prime`` stores them where
pdfplumber's ``Page.objects`` keeps its cache, so ``find_tables`` and ``extract_words`` use them,
and ``release`` drops them once the page is read. ``tests/importers/test_pdf_objects.py`` and
``test_pdf_content.py`` compare the result with pdfplumber's own, on generated and real pages.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from pdfminer.layout import LTChar, LTContainer, LTCurve, LTTextContainer
from pdfplumber.page import ALL_ATTRS, Page, fix_fontname_bytes, lt_pat
from pdfplumber.utils import resolve_all, resolve_and_decode

from deptbudget.importers.pdf_content import page_layout

_PLAIN = (int, float, str, bool, type(None))
_PLAIN_TYPES = frozenset(_PLAIN)
_names: dict[tuple[type, Any], Any] = {}


def _plain(value: Any) -> bool:
    return type(value) in _PLAIN or (type(value) is tuple and _PLAIN_TYPES.issuperset(map(type, value)))


def _resolved(value: Any) -> Any:
    """``resolve_all(value)``, without the walk when nothing in it can be a reference."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is tuple and _PLAIN_TYPES.issuperset(map(type, value)):
        return value
    if kind is list and all(map(_plain, value)):
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


class _Kind:
    """What ``process_object`` does with the objects of one class whose ``__dict__`` has these keys, in this order."""

    def __init__(self, cls: type, keys: tuple[str, ...]) -> None:
        self.kind = lt_pat.sub("", cls.__name__).lower()
        self.names = tuple(k for k in keys if k in ALL_ATTRS)
        self.values = itemgetter(*self.names) if len(self.names) > 1 else None  # one name: not a tuple
        self.unplain: dict[tuple[type, ...], tuple[str, ...]] = {}  # per the values' types: the names to resolve
        self.class_spaces = tuple(cs for cs in ("ncs", "scs") if hasattr(cls, cs))  # colour spaces on the class
        self.char = issubclass(cls, LTChar)
        self.text = self.char or issubclass(cls, LTTextContainer)
        self.curve = not self.char and issubclass(cls, LTCurve)


_by_keys: dict[tuple[type, tuple[str, ...]], _Kind] = {}


class _Builder:
    """``page.process_object`` for one page, with what it reads of the page looked up once."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.page_number = page.page_number
        self.height = page.height
        self.mb_x0, self.mb_top = page.mediabox[:2]
        self.coord_y = page.mediabox[1] + self.height  # page.point2coord: (mb_x0 + x, coord_y - y)
        self.initial_doctop = page.initial_doctop
        self.norm = page.pdf.unicode_norm
        self.with_containers = page.pdf.laparams is not None

    def object(self, obj: Any) -> dict[str, Any]:
        """See pdfplumber's ``Page.process_object``, which this follows."""
        d = obj.__dict__
        cls = obj.__class__
        key = (cls, tuple(d))
        kind = _by_keys.get(key)
        if kind is None:
            kind = _by_keys[key] = _Kind(cls, key[1])
        if kind.values is None:
            attr = {k: v if type(v) in _PLAIN else _resolved(v) for k, v in d.items() if k in kind.names}
        else:
            values = kind.values(d)
            types = tuple(map(type, values))
            unplain = kind.unplain.get(types)
            if unplain is None:
                unplain = kind.unplain[types] = tuple(
                    k for k, t in zip(kind.names, types, strict=True) if t not in _PLAIN
                )
            attr = dict(zip(kind.names, values, strict=True))
            for k in unplain:
                attr[k] = _resolved(attr[k])
        attr["object_type"] = kind.kind
        attr["page_number"] = self.page_number
        for cs in ("ncs", "scs"):
            if cs in d or cs in kind.class_spaces:  # hasattr(obj, cs)
                attr[cs] = _decoded(getattr(obj, cs).name)
        if kind.text:
            text = obj.get_text()
            if self.norm is not None:
                from unicodedata import normalize

                text = normalize(self.norm, text)
            attr["text"] = text
        if kind.char:
            gs = obj.graphicstate
            attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
            attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
            if isinstance(attr["fontname"], bytes):
                attr["fontname"] = fix_fontname_bytes(attr["fontname"])
        elif kind.curve:
            x0, y0 = self.mb_x0, self.coord_y
            attr["pts"] = [(x0 + x, y0 - y) for x, y in attr["pts"]]
            attr["path"] = [(cmd, *[(x0 + x, y0 - y) for x, y in pts]) for cmd, *pts in obj.original_path]
            attr["dash"] = obj.dashing_style
        if "y0" in attr:
            top = attr["top"] = (self.height - attr["y1"]) + self.mb_top
            attr["bottom"] = (self.height - attr["y0"]) + self.mb_top
            attr["doctop"] = self.initial_doctop + top
        if "x0" in attr and self.mb_x0 != 0:
            attr["x0"] = attr["x0"] + self.mb_x0
            attr["x1"] = attr["x1"] + self.mb_x0
        return attr

    def walk(self, items: list[Any], out: dict[str, list[dict[str, Any]]]) -> None:
        for obj in items:
            if isinstance(obj, LTContainer):
                if self.with_containers:
                    _add(self.object(obj), out)
                self.walk(obj._objs, out)
            else:
                _add(self.object(obj), out)


def _add(attr: dict[str, Any], out: dict[str, list[dict[str, Any]]]) -> None:
    kind = attr["object_type"]
    if kind != "anno":
        out.setdefault(kind, []).append(attr)


def page_objects(page: Page) -> dict[str, list[dict[str, Any]]]:
    """What pdfplumber's ``page.parse_objects()`` returns, by object type."""
    out: dict[str, list[dict[str, Any]]] = {}
    _Builder(page).walk(page.layout._objs, out)
    return out


def prime(page: Page) -> None:
    """Fill the page's layout and object caches (``Page.layout``, ``Page.objects``) unless pdfplumber
    has already: the layout read by ``pdf_content``, the objects built here."""
    if not hasattr(page, "_layout"):
        page._layout = page_layout(page)
    if not hasattr(page, "_objects"):
        page._objects = page_objects(page)


def release(page: Page) -> None:
    """Drop what ``prime`` and pdfplumber cached for a page that has been read (its layout, objects, edges, text
    maps). ``PDF.close`` does not: it forgets its list of pages first and then closes new ones, so the pages read
    keep everything, in reference cycles (a page and its cached ``get_textmap``), until the cyclic collector walks
    them all — 1.2 million objects for a 64-page document with ruled tables; 3,400 when each page is released once
    read, and reference counting frees the rest at once."""
    page.close()  # pdfplumber's Page.close: its cached layout, objects, edges and text maps
