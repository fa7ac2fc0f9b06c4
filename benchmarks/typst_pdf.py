"""The two PDF engines on the example (issue 16): ReportLab (the default, tagged by ``render/pdf_tagging``) against
Typst (``build --pdf-engine typst``), with the charts, as ``deptbudget build`` writes them.

For each engine: median CPU time of ``--runs`` warm runs in this process (process time: Typst's compiler
threads are counted), the first run (fonts, jieba, Typst's font scan), the size, the pages, what ``pdfinfo``
says (Tagged) and the faces ``pdffonts`` lists; then whether both print the same amounts (the fidelity test
is ``tests/render/test_pdf_engines.py``).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/typst_pdf.py [--runs 5] [--out /tmp/engines]

Results and the choice are in docs/pdf-renderer.md.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from deptbudget.commands.source_disclosure import read_source
from deptbudget.model.disclosure import Disclosure

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "luohu-2020.yaml"
AMOUNT = re.compile(r"(?<![\d,.])-?\d{1,3}(?:,\d{3})*\.\d{2}(?![\d%])")


def engines() -> dict[str, Callable[[Disclosure], bytes]]:
    from deptbudget.render.pdf import pdf_bytes
    from deptbudget.render.pdf_typst import pdf_bytes_typst

    return {"reportlab": pdf_bytes, "typst": pdf_bytes_typst}


def _run(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout


def measure(d: Disclosure, make: Callable[[Disclosure], bytes], runs: int, path: Path) -> dict[str, object]:
    started = time.process_time()
    data = make(d)
    first = time.process_time() - started
    times = []
    for _ in range(runs):
        started = time.process_time()
        make(d)
        times.append(time.process_time() - started)
    path.write_bytes(data)
    info = _run("pdfinfo", str(path))
    fonts = sorted({line.split()[0].split("+")[-1] for line in _run("pdffonts", str(path)).splitlines()[2:]})
    return {
        "warm (median)": f"{statistics.median(times):.3f} s",
        "first run": f"{first:.3f} s",
        "size": f"{len(data) / 1024:.0f} KB",
        "pages": re.search(r"^Pages:\s+(\d+)", info, re.M)[1],  # type: ignore[index]
        "tagged": re.search(r"^Tagged:\s+(\w+)", info, re.M)[1],  # type: ignore[index]
        "fonts": ", ".join(fonts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--source", type=Path, default=EXAMPLE)
    parser.add_argument("--out", type=Path, default=Path("/tmp/deptbudget-engines"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    d, _ = read_source(args.source)
    amounts = {}
    for name, make in engines().items():
        path = args.out / f"{name}.pdf"
        result = measure(d, make, args.runs, path)
        print(name)
        for key, value in result.items():
            print(f"  {key:<14} {value}")
        amounts[name] = Counter(AMOUNT.findall(_run("pdftotext", "-layout", str(path), "-")))
    same = amounts["reportlab"] == amounts["typst"]
    print(f"same printed amounts: {'yes' if same else 'no'} ({sum(amounts['reportlab'].values())} amounts)")


if __name__ == "__main__":
    main()
