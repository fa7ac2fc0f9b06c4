"""``LabelledEnum``: a string enum whose members carry the Chinese label printed for them."""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """Members are written ``NAME = "value", "标签"``: the value is what files and URLs hold, the
    label what forms and pages print. ``Member("value")`` looks a member up by its value."""

    label: str

    def __new__(cls, value: str, label: str) -> LabelledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member
