"""The pieces of ``benchmarks/corpus.py`` the audit reuses (naming documents, reading their own text, counting
printed amounts, the tables read), imported from there rather than copied.

``benchmarks`` sits beside the ``deptbudget`` package in the source tree, which an editable install (the way
deptbudget is installed) does not put on the path of the ``deptbudget`` command: the source tree's root is
added when it holds ``benchmarks/corpus.py``. An install without the source tree cannot audit, and says so.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]


class CorpusUnavailable(ImportError):
    """benchmarks/corpus.py cannot be imported."""


try:
    import benchmarks.corpus as corpus
except ModuleNotFoundError as exc:
    if exc.name not in ("benchmarks", "benchmarks.corpus") or not (_ROOT / "benchmarks" / "corpus.py").is_file():
        raise CorpusUnavailable(f"审核需要 deptbudget 源码树中的 benchmarks/corpus.py，未找到 (the audit needs "
                                f"benchmarks/corpus.py of the source tree, not found under {_ROOT})") from exc
    sys.path.append(str(_ROOT))
    import benchmarks.corpus as corpus

__all__ = ["corpus"]
