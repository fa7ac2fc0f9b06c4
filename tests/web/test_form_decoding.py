"""A urlencoded form decoded in C (``form_decoding``): exactly what Starlette's ``unquote_plus``
gives, for what browsers send and for anything malformed; its limits are Starlette's."""

from __future__ import annotations

import asyncio
import random
from urllib.parse import quote_plus, unquote_plus

import pytest
from starlette.datastructures import Headers
from starlette.formparsers import MultiPartException

from deptbudget.web.form_decoding import UrlencodedParser, unquote_field

ALPHABET = "ab =+%&;\r\n\t中文：。，、“”é\x00~!*'()"


def _random_fields(count: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        raw = quote_plus("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12)))).encode()
        if rng.random() < 0.4:  # malformed: a stray %, =, space, line break or non-ASCII byte
            damaged = bytearray(raw)
            for _ in range(rng.randint(1, 3)):
                if damaged:
                    damaged[rng.randrange(len(damaged))] = rng.choice(b"%+=aZ0 \r\n\x80\xff9fF")
            raw = bytes(damaged)
        out.append(raw)
    return out


def test_a_field_is_decoded_exactly_as_unquote_plus_decodes_it() -> None:
    for raw in _random_fields(20000, 15) + [b"", b"%", b"%4", b"%e4%B8%ad", b"a+b%2B", b"%ZZ", b"=", b"%E4%B8"]:
        assert unquote_field(raw) == unquote_plus(raw.decode("latin-1")), raw


def test_long_chinese_text_and_trailing_spaces_survive() -> None:
    text = "部门职能：负责全区科技创新工作。\r\n第二行  " * 500 + "  "
    assert unquote_field(quote_plus(text).encode()) == text


async def _parse(body: bytes, max_fields: int = 1000):  # type: ignore[no-untyped-def]
    async def stream():  # type: ignore[no-untyped-def]
        for at in range(0, len(body), 7):  # in pieces, as a body arrives
            yield body[at : at + 7]

    headers = Headers({"content-type": "application/x-www-form-urlencoded"})
    return await UrlencodedParser(headers, stream(), max_fields=max_fields).parse()


def test_the_parser_gives_the_fields_and_keeps_starlettes_limits() -> None:
    body = "&".join(
        f"{quote_plus(k)}={quote_plus(v)}"
        for k, v in [("f.narrative.x", "第一段\r\n第二段"), ("csrf_token", "abc+/="), ("r0.name", "")]
    ).encode()
    form = asyncio.run(_parse(body))
    assert list(form.multi_items()) == [
        ("f.narrative.x", "第一段\r\n第二段"),
        ("csrf_token", "abc+/="),
        ("r0.name", ""),
    ]
    with pytest.raises(MultiPartException, match="fields"):
        asyncio.run(_parse(b"a=1&b=2&c=3", max_fields=2))
    with pytest.raises(MultiPartException, match="size"):
        asyncio.run(_parse(b"a=" + b"x" * (1024 * 1024 + 1)))
