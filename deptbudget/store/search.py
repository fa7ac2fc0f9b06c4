"""The portal's lists and full-text search, over the small table ``published_search`` (one row per
published budget: its newest version's names, year, total and searched text — never the disclosure
JSON of ``published_versions``).

Chinese has no spaces between words, so the text is indexed by trigrams (every run of three
characters), which finds any substring of three characters or more: SQLite FTS5 with the trigram
tokenizer (``published_search_fts``), PostgreSQL ``pg_trgm`` with a GIN index, which serves
``ILIKE '%…%'``. A term of one or two letters or digits has no trigram; it is looked up among the
text's grams (``bigrams``: its characters and adjacent pairs), indexed too — FTS5
``published_search_grams``, PostgreSQL a GIN index on ``string_to_array(search_grams, ' ')``
(``pg_trgm`` serves a ``LIKE`` of two characters only by reading every row). A short term with
other characters is matched with ``LIKE`` on the small table. Every term is required.

PostgreSQL's planner does not see what testing one row costs: ``string_to_array`` of a row's grams
(several KB, stored compressed) takes ≈ 0.5 ms, so for a word in most rows it chose reading every row
— the table, or the list's index in its order, each row tested (10,000 budgets: 4–6 s) — over the GIN
index (≈ 10 ms, its matches exact, no row tested again). ``prefer_indexes`` leaves it only bitmap
scans (the indexes of the terms, then the rows they found), for the one transaction of a search.
"""

from __future__ import annotations

import re

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Text,
    and_,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from deptbudget.store.bigrams import is_gram
from deptbudget.store.models import PublishedSearch

MIN_TRIGRAM = 3
MAX_TERMS = 5
MAX_QUERY = 200


def terms_of(query: str) -> list[str]:
    """The words of a search box's text (split at white space), at most ``MAX_TERMS``."""
    return [t for t in re.split(r"\s+", query[:MAX_QUERY].strip()) if t][:MAX_TERMS]


def like_pattern(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def matching(dialect: str, terms: list[str]) -> ColumnElement[bool]:
    """The condition on ``published_search`` that every term occurs in the searched text.

    On SQLite the budgets an FTS5 table finds are tested as ``budget_id + 0 IN (…)``: so written, the
    planner reads the list's covering index in its order (year, department, unit) and keeps the rows
    found — instead of fetching every row found by its id (each several KB of text: 10,000 hits of a
    common word took 0.2–1 s) and sorting them."""
    conditions: list[ColumnElement[bool]] = []
    found_id = PublishedSearch.budget_id + 0
    long_terms = [t for t in terms if len(t) >= MIN_TRIGRAM]
    if dialect == "sqlite" and long_terms:
        fts = text("SELECT rowid FROM published_search_fts WHERE published_search_fts MATCH :fts").bindparams(
            fts=" AND ".join(_fts_phrase(t) for t in long_terms)).columns(column("rowid", Integer))
        conditions.append(found_id.in_(fts))
        terms = [t for t in terms if len(t) < MIN_TRIGRAM]
    short = [t.lower() for t in terms if is_gram(t)]
    if short and dialect == "sqlite":
        found = text("SELECT rowid FROM published_search_grams WHERE published_search_grams MATCH :grams").bindparams(
            grams=" AND ".join(_fts_phrase(t) for t in short)).columns(column("rowid", Integer))
        conditions.append(found_id.in_(found))
    elif short and dialect == "postgresql":  # the expression of the GIN index, its separator a constant
        grams = func.string_to_array(PublishedSearch.search_grams, literal_column("' '"), type_=ARRAY(Text))
        conditions.append(grams.contains(cast(literal(short, ARRAY(Text)), ARRAY(Text))))
    if short and dialect in ("sqlite", "postgresql"):
        terms = [t for t in terms if not is_gram(t)]
    for term in terms:
        if dialect == "postgresql" and _cased(term):
            conditions.append(PublishedSearch.search_text.ilike(like_pattern(term), escape="\\"))
        else:
            conditions.append(PublishedSearch.search_text.like(like_pattern(term), escape="\\"))
    return and_(*conditions)


def _cased(term: str) -> bool:
    """Whether a term has letters with case (Latin, …): PostgreSQL then matches it with ``ILIKE``; a
    term without (Chinese, digits) with ``LIKE``, the same rows found four times faster (``ILIKE``
    lower-cases every row's text first; ``pg_trgm``'s index serves both)."""
    return term.lower() != term or term.upper() != term


def indexed(dialect: str, terms: list[str]) -> bool:
    """Whether an index serves every term (three characters or more: trigrams; one or two letters or
    digits: grams) — else a term is matched by scanning with ``LIKE``."""
    return dialect in ("sqlite", "postgresql") and all(len(t) >= MIN_TRIGRAM or is_gram(t) for t in terms)


def prefer_indexes(db: Session) -> None:
    """PostgreSQL: the rest of this transaction's queries find rows through the indexes of their
    conditions (bitmap scans), never by testing rows one by one — a search of indexed terms (see the
    module's note; ``SET LOCAL``: until the transaction ends); elsewhere nothing."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SET LOCAL enable_seqscan = off"))
        db.execute(text("SET LOCAL enable_indexscan = off"))


def published_list(year: int | None = None, department_code: str | None = None) -> Select:
    """The newest version of every published budget, by year (newest first), department and unit."""
    query = select(PublishedSearch)
    if year:
        query = query.where(PublishedSearch.fiscal_year == year)
    if department_code:
        query = query.where(PublishedSearch.department_code == department_code)
    return query.order_by(PublishedSearch.fiscal_year.desc(), PublishedSearch.department_name,
                          PublishedSearch.unit_name, PublishedSearch.budget_id)


def search(dialect: str, terms: list[str], year: int | None = None) -> Select:
    """The published budgets whose newest version contains every term."""
    return published_list(year).where(matching(dialect, terms))


def published_years() -> Select:
    return select(PublishedSearch.fiscal_year).distinct().order_by(PublishedSearch.fiscal_year.desc())


def published_departments() -> Select:
    """(code, name) of every department with a published budget."""
    return (select(PublishedSearch.department_code, PublishedSearch.department_name).distinct()
            .order_by(PublishedSearch.department_name))
