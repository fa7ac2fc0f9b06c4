"""A YAML data file that holds one list of entries, each with a unique ``key`` (the narrative figures,
the standard narrative parts): read, built and checked for duplicated keys in one place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import yaml


class Keyed(Protocol):
    @property
    def key(self) -> str: ...


T = TypeVar("T", bound=Keyed)


def keyed_entries(text: str, list_name: str, file: str, error: type[Exception],
                  build: Callable[[dict[str, Any]], T]) -> tuple[T, ...]:
    """The entries of the list ``list_name`` in ``text``, each built by ``build``; ``error`` names
    ``file`` when the list is missing or two entries share a key."""
    data = yaml.safe_load(text) or {}
    entries = data.get(list_name) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise error(f"{file}: a list '{list_name}' is expected")
    items = tuple(build(entry) for entry in entries)
    keys = [item.key for item in items]
    duplicated = sorted({k for k in keys if keys.count(k) > 1})
    if duplicated:
        raise error(f"{file}: duplicated keys {', '.join(duplicated)}")
    return items
