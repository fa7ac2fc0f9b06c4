"""A page's content streams read in one pass: pdfminer's interpreter, fed faster.

pdfminer reads a content stream with a character-level state machine (``PDFContentParser``), one
token per call through several layers of methods — over half of the import time of a PDF. The
operators themselves are cheap. ``content_objects`` splits the stream data with one regular
expression into the very objects ``PDFContentParser.nextobject`` returns (numbers, names, strings,
keywords, arrays and dictionaries, in order), and ``Interpreter`` executes them exactly as
``PDFPageInterpreter.execute`` does. Whatever the fast reading does not handle exactly as
pdfminer does — comments, inline images, ``#`` escapes in names, malformed nesting, a hex string
at a stream's end, an escaped line break split by pdfminer's 4096-byte buffer — sends the whole
call back to pdfminer's own ``execute``.
``tests/importers/test_pdf_content.py`` compares both on generated pages.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from pdfminer import settings
from pdfminer.pdfinterp import PDFContentParser, PDFPageInterpreter
from pdfminer.pdftypes import PDFStream, stream_value
from pdfminer.psparser import (
    KEYWORD_ARRAY_BEGIN,
    KEYWORD_ARRAY_END,
    KEYWORD_DICT_BEGIN,
    KEYWORD_DICT_END,
    KEYWORD_PROC_BEGIN,
    KEYWORD_PROC_END,
    KWD,
    LIT,
    PSKeyword,
    keyword_name,
    literal_name,
)
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import PdfminerException

from deptbudget.importers.pdf_chars import Device

_BUFSIZ = PDFContentParser.BUFSIZ
_log = logging.getLogger("pdfminer.pdfinterp")
_TOKEN = re.compile(
    rb"(?P<space>[\s\x00]+)"
    rb"|(?P<number>[-+.0-9][0-9]*(?:\.[0-9]*)?)"
    rb"|/(?P<name>[^#/%\[\]()<>{}\s]*)(?P<hash>\#)?"
    rb"|(?P<keyword>[A-Za-z][^#/%\[\]()<>{}\s]*)"
    rb"|(?P<string>\()"
    rb"|(?P<dict_begin><<)|(?P<dict_end>>>)"
    rb"|<(?P<hex>[0-9a-fA-F\s]*)>(?P<hex_after>>?)"
    rb"|(?P<other>[^%<>])",
)
_HEX_PAIR = re.compile(rb"[0-9a-fA-F]{2}|.")
_SPACE = re.compile(rb"\s")
_ESCAPES = {ord("b"): 8, ord("t"): 9, ord("n"): 10, ord("f"): 12, ord("r"): 13, ord("("): 40, ord(")"): 41,
            ord("\\"): 92}
_OCTAL = frozenset(b"01234567")
_IMAGE = frozenset((b"BI", b"ID"))  # an inline image's operators
_TRUE, _FALSE = b"true", b"false"


class _Fallback(Exception):
    """The fast reading cannot promise pdfminer's result here."""


def _string(data: bytes, i: int) -> tuple[bytes, int]:
    """A literal string starting after its ``(``: its bytes and the index after its ``)``
    (pdfminer's ``_parse_string`` and ``_parse_string_1`` on one buffer)."""
    out = bytearray()
    depth = 1
    n = len(data)
    while i < n:
        c = data[i]
        if c == 0x5C:  # backslash
            i += 1
            if i >= n:
                raise _Fallback
            c = data[i]
            if c in _OCTAL:
                j = i
                while j < n and j - i < 3 and data[j] in _OCTAL:
                    j += 1
                if j >= n:
                    raise _Fallback
                code = int(data[i:j], 8)
                if code >= 256:
                    raise _Fallback  # pdfminer fails an assertion
                out.append(code)
                i = j
                continue
            if c in _ESCAPES:
                out.append(_ESCAPES[c])
            elif c == 0x0D and i + 1 < n and data[i + 1] == 0x0A:
                if (i + 1) % _BUFSIZ == 0:
                    raise _Fallback  # pdfminer does not see the \n in its next buffer
                i += 1
            i += 1  # any other escaped byte is dropped, as pdfminer does
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if not depth:
                return bytes(out), i + 1
        out.append(c)
        i += 1
    raise _Fallback  # unterminated: pdfminer goes on into the next stream


def _tokens(data: bytes) -> tuple[list[Any], list[int]]:
    """The tokens of one stream, and where among them the brackets are (``[ ] << >> { }``, which ``_objects``
    nests by). A run of bytes without delimiters (numbers, operators, spaces — most of a page that draws a table)
    is split at its spaces in one call and each distinct word converted once (``_word``); the rest goes through
    ``_TOKEN`` one match at a time (``_match_tokens``)."""
    out: list[Any] = []
    marks: list[int] = []
    words: dict[bytes, Any] = {}
    pos, n = 0, len(data)
    while pos < n:
        run = _RUN.match(data, pos)
        if run is None:
            before = len(out)
            pos = _match_tokens(data, pos, out, once=True)
            if len(out) > before and out[-1].__class__ is PSKeyword and out[-1] in _BRACKETS:
                marks.append(before)
            continue
        pos = run.end()
        parts = run.group().split()
        try:
            out.extend([words[w] for w in parts])
        except KeyError:
            for word in parts:
                value = words.get(word, _SEVERAL)
                if value is _SEVERAL:
                    value = _word(word)
                    if value is _SEVERAL:
                        _match_tokens(word, 0, out)
                        continue
                    words[word] = value
                out.append(value)
    return out, marks


_RUN = re.compile(rb"[^()<>\[\]{}/%]+")
_NUMBER = re.compile(rb"[-+.0-9][0-9]*(?:\.[0-9]*)?")
_KEYWORD = re.compile(rb"[A-Za-z][^#/%\[\]()<>{}\s]*")
_SEVERAL = object()


def _word(word: bytes) -> Any:
    """A word between spaces as the one token ``_TOKEN`` reads it as — a number, a keyword, true or false —
    or ``_SEVERAL`` when it is not a whole number or keyword (``_match_tokens`` then reads it)."""
    if _NUMBER.fullmatch(word):
        try:
            return float(word) if b"." in word else int(word)
        except ValueError:
            return _SEVERAL
    if _KEYWORD.fullmatch(word):
        if word in _IMAGE:
            raise _Fallback  # an inline image: pdfminer reads its data raw
        return True if word == _TRUE else False if word == _FALSE else KWD(word)
    return _SEVERAL


def _match_tokens(data: bytes, pos: int, out: list[Any], once: bool = False) -> int:
    """Tokens from ``pos`` on, one ``_TOKEN`` match each (only the first when ``once``); the index after them."""
    append = out.append
    n = len(data)
    match = _TOKEN.match
    while pos < n:
        m = match(data, pos)
        if m is None:
            raise _Fallback
        kind = m.lastgroup
        end = m.end()
        if kind == "space":
            pass
        elif kind == "number":
            text = m.group("number")
            try:
                append(float(text) if b"." in text else int(text))
            except ValueError:
                raise _Fallback from None
        elif kind == "keyword":
            text = m.group("keyword")
            if text in _IMAGE:
                raise _Fallback  # an inline image: pdfminer reads its data raw
            append(True if text == _TRUE else False if text == _FALSE else KWD(text))
        elif kind in ("name", "hash"):
            if m.group("hash") is not None:
                raise _Fallback
            raw = m.group("name")
            try:
                name: str | bytes = str(raw, "utf-8")
            except UnicodeDecodeError:
                name = raw
            append(LIT(name))
        elif kind == "string":
            text, end = _string(data, end)
            append(text)
        elif kind in ("dict_begin", "dict_end"):
            append(KEYWORD_DICT_BEGIN if kind == "dict_begin" else KEYWORD_DICT_END)
        elif kind in ("hex", "hex_after"):
            if m.group("hex_after") or end >= n:  # a '>' after it (here or in the next stream) ends a dictionary
                raise _Fallback
            append(_HEX_PAIR.sub(lambda p: bytes((int(p.group(0), 16),)), _SPACE.sub(b"", m.group("hex"))))
        else:  # any other byte is a one-character keyword: [ ] { } ' " …
            append(KWD(m.group("other")))
        pos = end
        if once:
            break
    return pos


_CLOSE = {KEYWORD_ARRAY_END: "a", KEYWORD_DICT_END: "d", KEYWORD_PROC_END: "p"}
_OPEN = {KEYWORD_ARRAY_BEGIN: "a", KEYWORD_DICT_BEGIN: "d", KEYWORD_PROC_BEGIN: "p"}


_BRACKETS = frozenset((*_OPEN, *_CLOSE))


def _objects(tokens: list[Any], marks: list[int]) -> list[Any]:
    """Tokens nested into arrays, dictionaries and procedures (``PSStackParser.nextobject``) at the brackets
    (``marks``: their indexes); the tokens between two brackets are taken as they are."""
    if not marks:
        return tokens
    top: list[Any] = []
    context: list[tuple[str, list[Any]]] = []
    current = top
    start = 0
    for index in marks:
        current.extend(tokens[start:index])
        start = index + 1
        token = tokens[index]
        if token in _OPEN:
            context.append((_OPEN[token], current))
            current = []
            continue
        if not context:
            raise _Fallback
        kind, outer = context.pop()
        if kind != _CLOSE[token]:
            raise _Fallback
        if kind == "d":
            if len(current) % 2:
                raise _Fallback
            value: Any = {literal_name(current[i]): current[i + 1] for i in range(0, len(current), 2)
                          if current[i + 1] is not None}
        else:
            value = current
        outer.append(value)
        current = outer
    current.extend(tokens[start:])
    if context:
        raise _Fallback
    return top


def content_objects(streams: Sequence[PDFStream]) -> list[Any]:
    """The objects ``PDFContentParser(streams).nextobject()`` returns, in order; ``_Fallback`` when
    this reading cannot promise the same."""
    if settings.STRICT:
        raise _Fallback
    out: list[Any] = []
    for index, stream in enumerate(streams):
        try:
            data = stream.get_data()
        except Exception:
            raise _Fallback from None
        if data.endswith(b"/") and index < len(streams) - 1:
            raise _Fallback  # a name begun at a stream's end: pdfminer reads its characters from the next stream
        out.extend(_objects(*_tokens(data)))
    return out


class Interpreter(PDFPageInterpreter):
    """``PDFPageInterpreter`` with ``execute`` fed by ``content_objects`` (form XObjects too)."""

    _methods: dict[tuple[type, PSKeyword], tuple[str | None, int]] = {}

    def execute(self, streams: Sequence[object]) -> None:
        candidates = [stream_value(obj) for obj in streams]
        valid = [s for s in candidates if s.objid is not None and s.objid not in self.parent_stream_ids]
        try:
            objects = content_objects(valid)
        except _Fallback:
            return super().execute(streams)
        self.stream_ids.clear()  # PDFPageInterpreter.execute's bookkeeping of nested streams, and its warnings
        for stream in candidates:
            if stream.objid is None:
                _log.warning("Execute called on non-indirect object (inline image?) %r", stream)
            elif stream.objid in self.parent_stream_ids:
                _log.warning("Refusing to execute circular reference to content stream %d", stream.objid)
            else:
                self.stream_ids.add(stream.objid)
        self._run(objects)
        return None

    def _run(self, objects: list[Any]) -> None:
        """Execute the objects as ``PDFPageInterpreter.execute`` does: an operand goes on the argument stack, an
        operator takes its operands off it (all of them, and is not called, when there are too few). The stack is
        kept in a local list, the same object as ``self.argstack``, re-read after every call: an operator without
        declared operands may pop its own (``do_scn``: as many as the colour space has components)."""
        bound: dict[PSKeyword, tuple[Any, int]] = {}
        stack = self.argstack
        keyword_type = PSKeyword
        for obj in objects:
            if obj.__class__ is not keyword_type:
                stack.append(obj)
                continue
            entry = bound.get(obj)
            if entry is None:
                method, nargs = self._method(obj)
                entry = bound[obj] = (None if method is None else getattr(self, method), nargs)
            func, nargs = entry
            if func is None:
                continue
            if not nargs:
                func()
            elif len(stack) >= nargs:
                args = stack[-nargs:]
                del stack[-nargs:]
                func(*args)
            else:
                stack.clear()
            stack = self.argstack

    def _method(self, keyword: PSKeyword) -> tuple[str | None, int]:
        """The ``do_…`` method an operator calls and how many operands it takes (None: no such operator)."""
        key = (type(self), keyword)
        found = self._methods.get(key)
        if found is None:
            name = keyword_name(keyword)
            method = "do_{}".format(name.replace("*", "_a").replace('"', "_w").replace("'", "_q"))
            found = (method, getattr(self, method).__code__.co_argcount - 1) if hasattr(self, method) else (None, 0)
            self._methods[key] = found
        return found


def page_layout(page: Page) -> Any:
    """What pdfplumber's ``page.layout`` builds, read by ``Interpreter``."""
    device = Device(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    try:
        Interpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    except Exception as exc:
        raise PdfminerException(exc) from exc
    return device.get_result()
