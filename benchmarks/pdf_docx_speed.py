"""How fast are the PDF and DOCX renderers, against LibreOffice converting our DOCX to PDF?

    .venv/bin/python benchmarks/pdf_docx_speed.py [SOURCE.yaml] [--runs N]

Renders the example (``examples/luohu-2020.yaml``; the hand-built sample of the tests when the
example or the compute step is missing) and prints, in one run:

- import times of ReportLab, python-docx and matplotlib (paid once per process);
- ``write_pdf`` / ``write_docx``: the first call (imports the chart code, draws the charts) and
  the median of N later calls with the chart cache cleared (charts drawn every time), with and
  without charts;
- ``libreoffice --headless --convert-to pdf`` of our DOCX — how departments make their PDF
  today — when ``libreoffice`` is on PATH (Debian: ``libreoffice-writer-nogui``), else a note;
- the ratios. The aim: our PDF faster than the conversion and ≤ 2 s for the example.

Note: with ``PYTHONDONTWRITEBYTECODE=1`` and no bytecode in the venv, every import compiles its
modules from source; the import lines show that cost separately.
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from deptbudget.model.disclosure import Disclosure  # noqa: E402

EXAMPLE = ROOT / "examples" / "luohu-2020.yaml"


def load(source: Path) -> tuple[Disclosure, str]:
    try:
        from deptbudget.compute.disclosure import compute_disclosure
        from deptbudget.sources.yaml_source import load_budget

        if source.exists():
            return compute_disclosure(load_budget(source)), str(source.relative_to(ROOT))
    except ImportError:
        pass
    from tests.render.test_pdf import sample_disclosure

    return sample_disclosure(), "tests/render/test_pdf.py sample_disclosure() (example not available)"


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def import_time(module: str) -> float:
    if module in sys.modules:
        return 0.0
    return timed(lambda: importlib.import_module(module))


def median_time(fn: Callable[[], object], runs: int, before: Callable[[], object] = lambda: None) -> float:
    times = []
    for _ in range(runs):
        before()
        times.append(timed(fn))
    return statistics.median(times)


def libreoffice_time(docx: Path, out: Path, profile: Path) -> float | None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        return None
    command = [
        office,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        str(docx),
    ]
    elapsed = timed(lambda: subprocess.run(command, check=True, capture_output=True, timeout=300))
    if not (out / f"{docx.stem}.pdf").exists():
        raise RuntimeError("LibreOffice wrote no PDF")
    return elapsed


def pages(pdf: Path) -> str:
    if shutil.which("pdfinfo") is None:
        return "?"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", nargs="?", default=str(EXAMPLE))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    d, label = load(Path(args.source).resolve())
    print(f"disclosure: {label}: {len(d.parts)} parts, {len(d.tables)} tables")

    imports = {m: import_time(m) for m in ("reportlab.platypus", "docx", "matplotlib.figure")}
    from deptbudget.render import charts
    from deptbudget.render.docx_render import write_docx
    from deptbudget.render.pdf import write_pdf

    for module, seconds in imports.items():
        print(f"  import {module:<22} {seconds:6.2f} s")

    with tempfile.TemporaryDirectory(prefix="deptbudget-bench-") as tmp:
        work = Path(tmp)
        pdf, docx = work / "budget.pdf", work / "budget.docx"
        clear = charts._save.cache_clear
        clear()
        first_pdf = timed(lambda: write_pdf(d, pdf))
        pdf_size, pdf_pages = pdf.stat().st_size, pages(pdf)
        clear()
        first_docx = timed(lambda: write_docx(d, docx))
        docx_size = docx.stat().st_size
        pdf_charts = median_time(lambda: write_pdf(d, pdf), args.runs, clear)
        pdf_plain = median_time(lambda: write_pdf(d, pdf, charts=False), args.runs)
        docx_charts = median_time(lambda: write_docx(d, docx), args.runs, clear)
        docx_plain = median_time(lambda: write_docx(d, docx, charts=False), args.runs)
        chart_time = median_time(lambda: [charts.render_png(c, 150, False) for c in charts.chart_data(d)], 1, clear)

        print(f"PDF  ({pdf_pages} pages, {pdf_size / 1024:.0f} KiB)")
        print(f"  first call (charts: import + draw)  {first_pdf:6.2f} s")
        print(f"  with charts (median of {args.runs:<2})          {pdf_charts:6.2f} s")
        print(f"  without charts                      {pdf_plain:6.2f} s")
        print(f"  drawing the {len(charts.chart_data(d))} charts alone          {chart_time:6.2f} s")
        print(f"DOCX ({docx_size / 1024:.0f} KiB)")
        print(f"  first call                          {first_docx:6.2f} s")
        print(f"  with charts (median of {args.runs:<2})          {docx_charts:6.2f} s")
        print(f"  without charts                      {docx_plain:6.2f} s")

        profile = Path(tempfile.gettempdir()) / "deptbudget-bench-libreoffice-profile"
        lo_first = libreoffice_time(docx, work / "lo", profile)
        if lo_first is None:
            print("LibreOffice: not on PATH — skipped (Debian: apt-get install -y libreoffice-writer-nogui)")
            return 0
        lo = median_time(lambda: libreoffice_time(docx, work / "lo", profile), args.runs)
        print(f"LibreOffice DOCX → PDF ({pages(work / 'lo' / 'budget.pdf')} pages)")
        print(f"  first call (profile start-up)       {lo_first:6.2f} s")
        print(f"  median of {args.runs:<2}                        {lo:6.2f} s")
        print("Ratios (LibreOffice conversion ÷ ours)")
        print(f"  ÷ our PDF with charts               {lo / pdf_charts:6.1f} ×")
        print(f"  ÷ our PDF without charts            {lo / pdf_plain:6.1f} ×")
        print(f"  ÷ our first PDF call                {lo / first_pdf:6.1f} ×")
        target = "met" if pdf_charts <= 2.0 and pdf_charts < lo else "NOT met"
        print(f"Aim (PDF ≤ 2 s and faster than LibreOffice): {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
