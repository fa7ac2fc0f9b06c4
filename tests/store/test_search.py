"""The portal's search table: kept by publication and correction, back-filled by its migration,
full-text search of Chinese by three or more characters (FTS5 trigram / pg_trgm) and by one or two
(the gram index: FTS5 / a GIN index), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from deptbudget.store import search
from deptbudget.store.bigrams import grams, is_gram
from deptbudget.store.db import alembic_config, make_engine, migrate
from deptbudget.store.models import PublishedSearch
from tests.web.published import add_published


@pytest.fixture
def engine(db_url: str) -> Iterator[object]:
    engine = make_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()


def _found(session: Session, query: str, year: int | None = None) -> list[str]:
    dialect = session.get_bind().dialect.name
    return [r.unit_code for r in session.scalars(search.search(dialect, search.terms_of(query), year))]


def test_chinese_found_by_any_substring(engine) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as session, session.begin():
        add_published(session, "S1", "深圳市罗湖区科技创新局", 2020, "举办科普活动，支持企业研发。")
        add_published(session, "S2", "深圳市罗湖区教育局", 2020, "改善中小学办学条件。")
        add_published(session, "S3", "深圳市福田区卫生健康局", 2021, "公共卫生服务，科学防疫。")
    with Session(engine) as session:
        assert _found(session, "科普活动") == ["S1"]  # four characters inside a sentence
        assert sorted(_found(session, "罗湖区")) == ["S1", "S2"]  # three characters: the trigram index
        assert _found(session, "科普") == ["S1"]  # two characters: the gram index
        assert sorted(_found(session, "科")) == ["S1", "S3"]  # one character
        assert _found(session, "罗湖 教育") == ["S2"]  # every term required
        assert _found(session, "罗湖区 研发") == ["S1"]  # a long and a short term
        assert _found(session, "深圳市", 2021) == ["S3"]
        assert _found(session, "不存在的词") == []
        assert _found(session, '"引号" 100%') == []  # quotes and LIKE characters are text


def test_a_correction_replaces_the_row_and_lists_read_no_disclosure(engine) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as session, session.begin():
        add_published(session, "S1", "科技创新局", 2020, "旧的说明：科普活动")
    with Session(engine) as session, session.begin():
        add_published(session, "S1", "科技创新局", 2020, "更正后的说明：创新券", number=2)
    with Session(engine) as session:
        rows = list(session.scalars(select(PublishedSearch)))
        assert [(r.unit_code, r.number) for r in rows] == [("S1", 2)]
        assert _found(session, "创新券") == ["S1"] and _found(session, "科普活动") == []
        statement = str(search.published_list().compile(session.get_bind()))
        assert "disclosure_json" not in statement and "search_text" not in statement


def test_the_migration_back_fills_published_budgets(db_url: str) -> None:
    engine = make_engine(db_url)
    config = alembic_config(engine)
    command.upgrade(config, "0002")
    with Session(engine) as session, session.begin():
        session.execute(text("INSERT INTO departments (code, name) VALUES ('D9', '旧部门')"))
        session.execute(text("INSERT INTO units (code, name, department_id) VALUES ('U9', '旧单位', 1)"))
        session.execute(text("INSERT INTO budgets (unit_id, fiscal_year, source_format, source, state, step, "
                             "explanation, version, updated_at, updated_by) "
                             "VALUES (1, 2019, 'yaml', '', 'published', 0, '', 1, '2019-01-01', '')"))
        for number, words in ((1, "第一版的说明"), (2, "第二版的说明：社区图书馆")):
            session.execute(text(
                "INSERT INTO published_versions (budget_id, unit_id, fiscal_year, number, title, unit_name, "
                "department_name, published_at, published_by, note, source_format, source, disclosure_json, "
                "figures_json, search_text, content_hash) VALUES (1, 1, 2019, :n, '旧单位2019年部门预算', '旧单位', "
                "'旧部门', '2019-02-01 08:00:00', 'x', '', 'yaml', '', '{}', '{}', :t, 'h')"),
                {"n": number, "t": words})
    migrate(engine)
    with Session(engine) as session:
        rows = list(session.scalars(select(PublishedSearch)))
        assert [(r.unit_code, r.department_code, r.number) for r in rows] == [("U9", "D9", 2)]
        assert _found(session, "图书馆") == ["U9"] and _found(session, "第一版") == []
        assert _found(session, "社区") == ["U9"] and _found(session, "一版") == []  # grams back-filled (0006)
    engine.dispose()


def test_grams_of_a_text() -> None:
    assert grams("科技局 ZX-01，科技") == "科 科技 技 技局 局 z zx x 0 01 1"
    assert is_gram("科") and is_gram("学校") and is_gram("Ab") and is_gram("01")
    assert not is_gram("") and not is_gram("图书馆") and not is_gram("%") and not is_gram("-1") and not is_gram("a_")


def test_short_words_are_looked_up_in_the_gram_index(engine) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as session, session.begin():
        add_published(session, "S1", "罗湖区科技创新局", 2020, "举办科普活动，支持企业研发 ZX-2020。")
        add_published(session, "S2", "罗湖区教育局", 2020, "改善中小学办学条件。")
    with Session(engine) as session:
        dialect = session.get_bind().dialect.name
        assert sorted(_found(session, "局")) == ["S1", "S2"]  # a character ending a run
        assert _found(session, "研发") == ["S1"] and _found(session, "zx") == ["S1"] and _found(session, "ZX") == ["S1"]
        assert _found(session, "动支") == [] and _found(session, "发Z") == []  # not across punctuation or space
        assert _found(session, "小学 罗湖") == ["S2"] and _found(session, "罗湖 教育局") == ["S2"]
        assert _found(session, "X-") == ["S1"]  # other characters: LIKE
        statement = search.search(dialect, ["研发", "局"]).with_only_columns(PublishedSearch.budget_id)
        sql = str(statement.compile(session.get_bind()))
        assert "LIKE" not in sql.upper()
        if dialect == "postgresql":  # the GIN index serves the lookup (a table this small would be scanned)
            session.execute(text("SET enable_seqscan = off"))
            compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
            plan = "\n".join(session.scalars(text(f"EXPLAIN {compiled}")))
            assert "ix_published_search_grams" in plan
        else:  # the list's covering index read in order, no row fetched by id and sorted
            assert "published_search_grams" in sql
            compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
            plan = " | ".join(str(row[-1]) for row in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
            assert "COVERING INDEX ix_published_search_list" in plan and "TEMP B-TREE" not in plan, plan


TEXTS = {  # unit code → (name, text): Chinese, Latin of both cases, digits, punctuation, line breaks
    "E1": ("罗湖区科技创新局", "举办科普活动，支持企业研发 ZX-2020 项目。\n科技馆运营 Abc9"),
    "E2": ("福田区教育局", "改善中小学办学条件；校舍维修 2020 年。\nabc 99%"),
    "E3": ("南山区卫生健康局", "公共卫生服务，科学防疫。\n局长办公室 xyZ"),
}


def _substring_found(term: str) -> list[str]:
    """What a plain substring search of the searched text finds (Latin letters in either case)."""
    return sorted(code for code, (name, text_) in TEXTS.items() if term.lower() in f"{name}\n{text_}".lower())


def test_results_equal_a_substring_search(engine) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as session, session.begin():
        for code, (name, text_) in TEXTS.items():
            add_published(session, code, name, 2020, text_)
    whole = "".join(f"{name}\n{text_}" for name, text_ in TEXTS.values())
    terms = {whole[at:at + size] for size in (1, 2, 3, 4) for at in range(len(whole) - size + 1)}
    terms = {t for t in terms if t.strip() == t and not any(c.isspace() for c in t)}
    terms |= {"局举", "局改", "局公", "zx", "Zx", "ABC", "abc9", "XYZ", "2020", "0", "99%", "不存在", "学校"}
    with Session(engine) as session:
        wrong = {t: (found, _substring_found(t)) for t in sorted(terms)
                 if (found := sorted(_found(session, t))) != _substring_found(t)}
    assert not wrong, wrong
    assert _substring_found("局举") == []  # a name's end and the text's start: not one word


def test_postgresql_reads_the_gram_index_for_a_word_in_every_row(engine) -> None:  # type: ignore[no-untyped-def]
    """A word in every row: the planner, not knowing what testing a row costs (≈ 0.5 ms: the grams
    split from several KB), would read every row; ``prefer_indexes`` makes it read the GIN index, for
    the one transaction."""
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's planner")
    with Session(engine) as session, session.begin():
        for n in range(40):
            add_published(session, f"P{n:02d}", f"第{n}单位", 2020, "部门预算公开说明" * 20)
    with engine.connect() as connection:
        connection.execute(text("ANALYZE published_search"))
        connection.commit()
    statement = search.search("postgresql", ["预算"]).with_only_columns(PublishedSearch.budget_id)
    with Session(engine) as session:
        compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        search.prefer_indexes(session)
        plan = "\n".join(session.scalars(text(f"EXPLAIN SELECT count(*) FROM ({compiled}) AS found")))
        assert "ix_published_search_grams" in plan and "Seq Scan" not in plan, plan
        assert len(list(session.scalars(statement))) == 40
        session.commit()
        assert session.scalar(text("SHOW enable_seqscan")) == "on"  # only for the search's transaction


def test_postgresql_matches_caseless_terms_with_like() -> None:
    """``ILIKE`` lower-cases every row's text; a term with no letter of two cases needs no such thing."""
    sql = str(search.matching("postgresql", ["图书馆", "2020年"]).compile(dialect=postgresql.dialect()))
    assert "LIKE" in sql.upper() and "ILIKE" not in sql.upper()
    assert "ILIKE" in str(search.matching("postgresql", ["ZX-2020"]).compile(dialect=postgresql.dialect())).upper()
