"""Disclosure → JSON file (format ``deptbudget.disclosure``, see ``docs/disclosure.schema.json``)."""

from __future__ import annotations

import os
from pathlib import Path

from deptbudget.model.disclosure import Disclosure
from deptbudget.model.serialize import dumps
from deptbudget.render.files import write_text_atomic


def write_json(d: Disclosure, path: str | os.PathLike[str], pretty: bool = True) -> Path:
    """Write the disclosure as UTF-8 JSON (atomically), one table row per line unless
    ``pretty`` is false; read it back with ``deptbudget.model.serialize.loads``."""
    return write_text_atomic(path, dumps(d, pretty=pretty) + "\n")
