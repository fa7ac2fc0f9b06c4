"""Import speed: pages per second, and our import time over the PDF library's raw text extraction.

    .venv/bin/python benchmarks/import_speed.py [FILE.pdf ...] [--repeat 3]

Without files it renders the example budget (examples/luohu-2020.yaml) to PDF with and without
charts, and also times the seed text and the example as XLSX, HTML and DOCX. The baseline is
pdfplumber's ``extract_text`` over every page — what the importer reads a PDF with; pypdfium2's
text extraction is shown for reference. The aim is an import time at most 1.5× the baseline.
Times are CPU seconds, best of ``--repeat`` runs. Run by hand, not in CI.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from deptbudget.importers import import_document  # noqa: E402


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The best CPU time of ``repeat`` runs: the work is single-threaded and CPU-bound, and CPU
    time does not count what other processes on the machine take."""
    times = []
    for _ in range(repeat):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return min(times)


def plumber_text(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def pdfium_text(path: Path) -> None:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    for page in document:
        page.get_textpage().get_text_range()
    document.close()


def measure_pdf(path: Path, repeat: int) -> dict[str, float]:
    pages = plumber_text(path)
    baseline = best_of(repeat, lambda: plumber_text(path))
    ours = best_of(repeat, lambda: import_document(path))
    pdfium = best_of(repeat, lambda: pdfium_text(path))
    return {"pages": pages, "import_s": ours, "baseline_s": baseline, "pdfium_s": pdfium,
            "pages_per_s": pages / ours, "ratio": ours / baseline}


def example_documents(folder: Path) -> list[Path]:
    from deptbudget.compute.disclosure import compute_disclosure
    from deptbudget.render.docx_render import write_docx
    from deptbudget.render.html import write_html
    from deptbudget.render.pdf import write_pdf
    from deptbudget.render.xlsx import write_xlsx
    from deptbudget.sources.yaml_source import load_budget

    disclosure = compute_disclosure(load_budget(ROOT / "examples" / "luohu-2020.yaml"))
    write_pdf(disclosure, folder / "example-charts.pdf")
    write_pdf(disclosure, folder / "example.pdf", charts=False)
    write_xlsx(disclosure, folder / "example.xlsx")
    write_html(disclosure, folder / "example.html")
    write_docx(disclosure, folder / "example.docx", charts=False)
    return [folder / name for name in ("example-charts.pdf", "example.pdf", "example.xlsx", "example.html",
                                       "example.docx")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        files = args.files or [*example_documents(Path(tmp)), ROOT / "tests" / "fixtures" /
                               "luohu-2020-as-published.txt"]
        import_document(files[0])  # import the reader modules once
        print(f"{'file':28} {'pages':>5} {'import s':>9} {'pages/s':>8} {'pdfplumber s':>12} {'ratio':>6} "
              f"{'pdfium s':>9}")
        ratios = []
        for path in files:
            if path.suffix.lower() == ".pdf":
                m = measure_pdf(path, args.repeat)
                ratios.append(m["ratio"])
                print(f"{path.name:28} {m['pages']:>5} {m['import_s']:>9.3f} {m['pages_per_s']:>8.1f} "
                      f"{m['baseline_s']:>12.3f} {m['ratio']:>6.2f} {m['pdfium_s']:>9.3f}")
            else:
                seconds = best_of(args.repeat, lambda p=path: import_document(p))
                print(f"{path.name:28} {'':>5} {seconds:>9.3f}")
        if ratios:
            print(f"median ratio import / pdfplumber text: {statistics.median(ratios):.2f} (aim ≤ 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
