"""``deptbudget serve`` (the web system at http://127.0.0.1:8000) and ``deptbudget demo``."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve", help="启动网站 (start the web system)",
        description="启动部门预算网站（默认 http://127.0.0.1:8000）。数据库：$DATABASE_URL，默认 var/deptbudget.db。")
    serve.add_argument("--host", default="127.0.0.1", help="监听地址 (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="端口 (default 8000)")
    serve.add_argument("--database-url", default=None,
                       help="数据库地址 (default $DATABASE_URL or sqlite var/deptbudget.db)")
    serve.add_argument("--init-demo", action="store_true",
                       help="先建库并载入示例单位和每个角色的演示账号；已有的演示账号保留原密码 "
                            "(create the demo data first; existing demo accounts keep their passwords)")
    serve.add_argument("--demo-password", default=None, help="演示账号使用此密码（默认随机生成）")
    serve.add_argument("--proxy-headers", action="store_true",
                       help="信任反向代理的 X-Forwarded-Proto（https 时 Cookie 带 Secure）")
    serve.set_defaults(run=run_serve)

    demo = subparsers.add_parser(
        "demo", help="建库并载入演示数据 (create the database and the demo data)",
        description="创建数据库、载入示例单位（罗湖区科技创新局 2020 年预算，草稿）"
                    "和每个角色一个演示账号，并打印账号。")
    demo.add_argument("--database-url", default=None)
    demo.add_argument("--demo-password", default=None, help="演示账号使用此密码（默认随机生成）")
    demo.set_defaults(run=run_demo)


def _init_demo(database_url: str | None, password: str | None, address: str = "http://127.0.0.1:8000",
               keep_passwords: bool = False) -> int:
    from deptbudget.store.db import DatabaseUnavailable, open_database, session_factory
    from deptbudget.store.db import database_url as resolve
    from deptbudget.web.demo import init_demo

    try:
        engine = open_database(database_url)
    except DatabaseUnavailable as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    with session_factory(engine)() as session, session.begin():
        accounts = init_demo(session, password=password, keep_passwords=keep_passwords)
    engine.dispose()
    url = resolve(database_url)
    print(f"数据库已就绪 (database ready): {url.split('@')[-1] if '@' in url else url}")
    print(f"演示账号 (demo accounts) — 登录 {address}/login")
    for account in accounts:
        secret = account.password or "（沿用原密码 unchanged；重设：deptbudget user passwd 或 --demo-password）"
        print(f"  {account.role_label:<8} 用户名 {account.username:<10} 密码 {secret}")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    return _init_demo(args.database_url, args.demo_password)


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from deptbudget.store.db import DatabaseUnavailable, open_database
    from deptbudget.web.app import create_app

    if args.init_demo and _init_demo(args.database_url, args.demo_password, f"http://{args.host}:{args.port}",
                                     keep_passwords=True):
        return 1
    try:
        app = create_app(engine=open_database(args.database_url), run_migrations=False)
    except DatabaseUnavailable as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    print(f"部门预算网站：http://{args.host}:{args.port}/  （Ctrl-C 停止）", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", proxy_headers=args.proxy_headers,
                forwarded_allow_ips="127.0.0.1" if args.proxy_headers else None)
    return 0
