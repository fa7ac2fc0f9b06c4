"""Locating the CJK fonts, and the error that names the Debian package when one is missing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from deptbudget.render import fonts


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    fonts.truetype_cjk_font.cache_clear()
    fonts.chart_cjk_font.cache_clear()
    yield
    fonts.truetype_cjk_font.cache_clear()
    fonts.chart_cjk_font.cache_clear()


def test_truetype_font_for_reportlab() -> None:
    font = fonts.truetype_cjk_font()
    assert font.path.is_file()
    assert font.family == "WenQuanYi Micro Hei"
    assert fonts.sfnt_flavour(font.path, font.index) == "truetype"


def test_chart_font() -> None:
    font = fonts.chart_cjk_font()
    assert font.path.is_file()
    assert font.family in ("Noto Sans CJK SC", "WenQuanYi Micro Hei")


def test_noto_cjk_is_cff_which_reportlab_cannot_embed() -> None:
    noto = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    assert noto.exists(), "fonts-noto-cjk (installed by scripts/system-deps.sh)"
    assert fonts.sfnt_flavour(noto, 2) == "cff"
    assert fonts.sfnt_flavour(noto, 99) == "unknown"


def test_flavour_of_a_non_font(tmp_path: Path) -> None:
    junk = tmp_path / "x.ttf"
    junk.write_bytes(b"not a font")
    assert fonts.sfnt_flavour(junk) == "unknown"
    assert fonts.sfnt_flavour(tmp_path / "missing.ttf") == "unknown"


def _nothing_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_fc_match", lambda family: None)
    for name in ("WQY_MICROHEI", "NOTO_SANS_CJK_SC"):
        candidate = getattr(fonts, name)
        monkeypatch.setattr(fonts, name, fonts._Candidate(candidate.family, candidate.package, (("/nonexistent", 0),)))
    monkeypatch.delenv(fonts.TTF_ENV, raising=False)


def test_missing_truetype_font_names_the_debian_package(monkeypatch: pytest.MonkeyPatch) -> None:
    _nothing_installed(monkeypatch)
    with pytest.raises(fonts.FontNotFoundError, match="fonts-wqy-microhei"):
        fonts.truetype_cjk_font()


def test_missing_chart_font_names_the_debian_package(monkeypatch: pytest.MonkeyPatch) -> None:
    _nothing_installed(monkeypatch)
    with pytest.raises(fonts.FontNotFoundError, match="fonts-noto-cjk"):
        fonts.chart_cjk_font()


def test_fc_match_substitutes_are_not_taken_for_the_font(monkeypatch: pytest.MonkeyPatch) -> None:
    """fc-match always answers; an answer naming another family means the font is missing."""
    assert fonts._fc_match("No Such Font Family 12345") is None


def test_environment_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    wqy = fonts.truetype_cjk_font()
    fonts.truetype_cjk_font.cache_clear()
    monkeypatch.setenv(fonts.TTF_ENV, f"{wqy.path}#{wqy.index}")
    assert fonts.truetype_cjk_font().path == wqy.path
    fonts.truetype_cjk_font.cache_clear()
    monkeypatch.setenv(fonts.TTF_ENV, str(tmp_path / "missing.ttf"))
    with pytest.raises(fonts.FontNotFoundError, match="not found"):
        fonts.truetype_cjk_font()


def test_a_cff_font_is_refused_for_the_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    noto = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    assert noto.exists(), "fonts-noto-cjk (installed by scripts/system-deps.sh)"
    monkeypatch.setenv(fonts.TTF_ENV, f"{noto}#2")
    with pytest.raises(fonts.FontNotFoundError, match="TrueType"):
        fonts.truetype_cjk_font()
