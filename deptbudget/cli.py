"""The ``deptbudget`` command. Sub-commands live in ``deptbudget.commands``; each registers itself."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# Sub-command modules, in the order ``--help`` lists them. A module missing here is simply absent.
COMMANDS = ("build", "check", "import_cmd", "review", "compare", "evaluate", "catalog", "audit", "rollup", "user",
            "serve")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="deptbudget",
        description="deptbudget — 部门预算：编制、公开、检查、导入 (compile, publish, check, import)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"deptbudget.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"deptbudget.commands.{name}":
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("已中断 (interrupted)", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of our output went away (``deptbudget check … | head``): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
