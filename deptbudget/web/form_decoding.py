"""Reading a posted ``application/x-www-form-urlencoded`` form quickly (issue 15).

Starlette decodes every field with ``urllib.parse.unquote_plus``, a Python loop over each ``%XX``:
a Chinese character is three of them, so the 文字说明 form (tens of thousands of ``%XX``) cost a
save several milliseconds of the server's one interpreter. A value that is plain (printable ASCII,
no ``=``, every ``%`` followed by two hex digits — what every browser sends) is decoded here in C
(``binascii.a2b_qp``: ``%XX`` written as quoted-printable's ``=XX``); anything else is left to
``unquote_plus``, so the result is always exactly Starlette's.
"""

from __future__ import annotations

import binascii
import re
from urllib.parse import unquote_plus

from starlette.formparsers import FormParser, MultiPartException

_PLAIN = bytes(c for c in range(0x21, 0x7F) if c != ord("="))  # printable ASCII but "="
_BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def unquote_field(raw: bytes) -> str:
    """``unquote_plus(raw.decode("latin-1"))`` — the text of a form field as sent — in C when ``raw`` is
    plain."""
    if b"%" not in raw:
        return raw.decode("latin-1").replace("+", " ")
    if raw.translate(None, _PLAIN) or _BAD_PERCENT.search(raw):
        return unquote_plus(raw.decode("latin-1"))
    return binascii.a2b_qp(raw.replace(b"%", b"=").replace(b"+", b"=20")).decode("utf-8", "replace")


class UrlencodedParser(FormParser):
    """Starlette's parser of a urlencoded body (its limits: ``max_fields``, 1 MB a field), its fields
    decoded by ``unquote_field``."""

    def on_field_end(self) -> None:
        self._current_fields += 1
        if self._current_fields > self.max_fields:
            raise MultiPartException(f"Too many fields. Maximum number of fields is {self.max_fields}.")
        self._items.append((unquote_field(bytes(self._field_name)), unquote_field(bytes(self._field_value))))
