"""benchmarks/web_load.py: a database an earlier run left is refused with a clear message, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.web_load import prepare


def test_a_second_run_on_the_same_database_is_refused_with_a_message(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    budget_id, unit_code, drafts, _ = prepare(url, "bench-password-1", preparers=1)
    assert budget_id and unit_code and len(drafts) == 1
    with pytest.raises(SystemExit) as refused:
        prepare(url, "bench-password-1", preparers=1)
    message = str(refused.value)
    assert "已有数据" in message and "--reuse-database" in message and "bench.db" in message
