"""``deptbudget demo`` and ``deptbudget user add|list|passwd``."""

from __future__ import annotations

import io

from sqlalchemy import select

from deptbudget.cli import main
from deptbudget.store.db import make_engine, session_factory
from deptbudget.store.models import Budget, User
from deptbudget.web import auth


def test_demo_creates_accounts_and_the_example(tmp_path, capsys):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert main(["demo", "--database-url", url, "--demo-password", "demo-pass-123"]) == 0
    out = capsys.readouterr().out
    for name in ("admin", "caizheng", "zhuguan", "tianbao"):
        assert name in out
    assert "系统管理员" in out and "财政局审核" in out and "主管部门审核" in out and "预算单位填报" in out
    assert main(["demo", "--database-url", url]) == 0  # again: passwords reset, nothing duplicated
    engine = make_engine(url)
    with session_factory(engine)() as session:
        assert len(list(session.scalars(select(User)))) == 4
        budget = session.scalar(select(Budget))
        assert budget.state == "draft" and "罗湖区科技创新局" in budget.source
    engine.dispose()


def test_user_add_list_passwd(tmp_path, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'u.db'}"
    monkeypatch.setattr("sys.stdin", io.StringIO("first-Admin-pw\n"))
    assert main(["user", "--database-url", url, "add", "root", "--role", "admin", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["user", "--database-url", url, "add", "x", "--role", "admin", "--password-stdin"]) == 1
    monkeypatch.setattr("sys.stdin", io.StringIO("another-Pw-1\n"))
    assert main(["user", "--database-url", url, "add", "p", "--role", "preparer", "--password-stdin"]) == 1
    assert main(["user", "--database-url", url, "list"]) == 0
    assert "root\t系统管理员" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("new-Admin-pw-2\n"))
    assert main(["user", "--database-url", url, "passwd", "root", "--password-stdin"]) == 0
    engine = make_engine(url)
    with session_factory(engine)() as session:
        user = session.scalar(select(User).where(User.username == "root"))
        assert user.password_hash.startswith("$argon2id$")
        assert auth.verify_password(user.password_hash, "new-Admin-pw-2")
    engine.dispose()


def test_invisible_characters_in_a_user_name_are_refused(tmp_path, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'u.db'}"
    for name in ("al\u200bice", "bo\u00a0b", "car\x07ol"):
        monkeypatch.setattr("sys.stdin", io.StringIO("first-Admin-pw\n"))
        assert main(["user", "--database-url", url, "add", name, "--role", "admin", "--password-stdin"]) == 1
        assert "不可见字符" in capsys.readouterr().err


def test_a_database_that_cannot_be_opened_is_one_line(tmp_path, capsys):  # type: ignore[no-untyped-def]
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"\x00\xffthis is no SQLite database" * 200)
    urls = [f"sqlite:///{garbage}", f"sqlite:///{tmp_path}", "nosuchdialect://x", "not a url",
            "postgresql://u:secret-pw@127.0.0.1:1/x"]
    for url in urls:
        for command in (["user", "--database-url", url, "list"], ["demo", "--database-url", url]):
            assert main(command) == 1
            err = capsys.readouterr().err
            assert err.startswith("错误：无法打开数据库 ") and err.count("\n") == 1, err
            assert "secret-pw" not in err
