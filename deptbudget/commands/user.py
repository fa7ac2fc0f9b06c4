"""``deptbudget user add|list|passwd``: accounts on the command line (the first administrator)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from deptbudget.store.models import ROLES


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("user", help="管理用户账号 (manage accounts)",
                                   description="管理网站用户。数据库：$DATABASE_URL，默认 var/deptbudget.db。")
    parser.add_argument("--database-url", default=None)
    sub = parser.add_subparsers(dest="user_command", metavar="ACTION")
    sub.required = True
    add = sub.add_parser("add", help="添加用户 (add an account)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=list(ROLES),
                     help="; ".join(f"{k}={v}" for k, v in ROLES.items()))
    add.add_argument("--name", default="", help="姓名")
    add.add_argument("--unit", default=None, help="预算单位代码（填报人）")
    add.add_argument("--department", default=None, help="主管部门代码（主管部门审核）")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（一行）")
    add.set_defaults(run=_guarded(run_add))
    lst = sub.add_parser("list", help="列出用户 (list accounts)")
    lst.set_defaults(run=_guarded(run_list))
    passwd = sub.add_parser("passwd", help="重设密码 (reset a password)")
    passwd.add_argument("username")
    passwd.add_argument("--password-stdin", action="store_true")
    passwd.set_defaults(run=_guarded(run_passwd))


def _guarded(action: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """``action`` with a database that cannot be opened reported in one line (exit 1)."""

    def run(args: argparse.Namespace) -> int:
        from deptbudget.store.db import DatabaseUnavailable

        try:
            return action(args)
        except DatabaseUnavailable as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1

    return run


def _password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        print("错误：没有终端可输入密码；请用 --password-stdin (no terminal: use --password-stdin)", file=sys.stderr)
        return None
    first = getpass.getpass("密码 (password): ")
    if first != getpass.getpass("再次输入 (again): "):
        print("错误：两次输入的密码不一致 (passwords differ)", file=sys.stderr)
        return None
    return first


def _session(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from deptbudget.store.db import open_database, session_factory

    return session_factory(open_database(args.database_url))()


def run_add(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from deptbudget.store.models import Department, Unit
    from deptbudget.web.auth import AuthError, add_user

    password = _password(args)
    if password is None:
        return 2
    with _session(args) as session:
        unit_id = department_id = None
        if args.unit:
            unit = session.scalar(select(Unit).where(Unit.code == args.unit))
            if unit is None:
                print(f"错误：没有单位代码 {args.unit} (no such unit)", file=sys.stderr)
                return 1
            unit_id = unit.id
        if args.department:
            dept = session.scalar(select(Department).where(Department.code == args.department))
            if dept is None:
                print(f"错误：没有主管部门代码 {args.department} (no such department)", file=sys.stderr)
                return 1
            department_id = dept.id
        try:
            user = add_user(session, args.username, password, args.role, args.name, unit_id=unit_id,
                            department_id=department_id)
        except AuthError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
        session.commit()
        print(f"已添加用户 {user.username}（{user.role_label}）(account added)")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from deptbudget.store.models import User

    with _session(args) as session:
        for user in session.scalars(select(User).order_by(User.username)):
            where = user.unit.name if user.unit else (user.department.name if user.department else "")
            print(f"{user.username}\t{user.role_label}\t{where}\t{'启用' if user.active else '停用'}")
    return 0


def run_passwd(args: argparse.Namespace) -> int:
    from sqlalchemy import delete, select

    from deptbudget.store.models import LoginSession, User
    from deptbudget.web.auth import AuthError, check_password_policy, set_password

    password = _password(args)
    if password is None:
        return 2
    with _session(args) as session:
        user = session.scalar(select(User).where(User.username == args.username))
        if user is None:
            print(f"错误：没有用户 {args.username} (no such user)", file=sys.stderr)
            return 1
        try:
            check_password_policy(password, user.username)
        except AuthError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
        set_password(user, password)
        session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
        session.commit()
        print(f"已重设 {user.username} 的密码，其登录会话已失效 (password reset)")
    return 0
