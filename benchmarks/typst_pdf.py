"""Typst against ReportLab on the example (issue 16): the same Disclosure as a Typst document.

Writes ``budget.typ`` (cover, the eight parts, every table from the shared grid with its header
rows repeated and its merges; charts left out on both sides) and, where the ``typst`` package is
importable, compiles it ``--runs`` times and prints the CPU time, the size and what ``pdfinfo`` says
(Tagged). typst is not a dependency of deptbudget: measure it from a throw-away environment, e.g.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/typst_pdf.py /tmp/typst      # writes budget.typ + ReportLab PDF
    /tmp/venv/bin/python benchmarks/typst_pdf.py /tmp/typst --compile-only   # venv with `pip install typst`

Results and the choice are in docs/pdf-renderer.md.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "luohu-2020.yaml"
FONT_PATHS = ["/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/wqy", "/usr/share/fonts/truetype/arphic"]

PREAMBLE = """#set document(title: "{title}", author: "{author}", keywords: ("部门预算", "{year}"))
#set text(font: ("Noto Serif CJK SC", "AR PL UMing CN"), lang: "zh", region: "cn", size: 12pt)
#set page(paper: "a4", margin: (x: 25mm, y: 22mm), numbering: "第 1 页")
#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: 0.9em)
#show heading: set text(font: ("Noto Sans CJK SC", "WenQuanYi Micro Hei"), weight: "bold")
#show heading.where(level: 1): it => align(center, text(size: 17pt, it))
#set table(stroke: 0.5pt)
"""


def _esc(text: str) -> str:
    out = text
    for ch in "\\#*_`$@<>[]~\"":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", " \\\n")


def typst_source(d: object) -> str:
    """The Disclosure as Typst markup (no charts)."""
    from deptbudget.render.grid import table_grid

    parts = [PREAMBLE.format(title=_esc(d.title), author=_esc(d.unit_name), year=d.fiscal_year)]
    parts.append(f'#align(center, text(size: 30pt, font: "Noto Sans CJK SC")[{_esc(d.title)}])\n#pagebreak()\n')
    parts.append("#outline()\n#pagebreak()\n")
    for part in d.parts:
        parts.append(f"= {_esc(part.title)}\n")
        for section in part.sections:
            if section.heading:
                parts.append(f"== {_esc(section.heading)}\n")
            parts.extend(f"{_esc(p)}\n" for p in section.paragraphs)
    for t in d.tables:
        grid = table_grid(t, split_lines=False)
        landscape = "true" if t.landscape else "false"
        parts.append(f"#page(flipped: {landscape})[\n#set par(first-line-indent: 0em, justify: false)\n")
        parts.append(f"表{t.number}\n#align(center)[#heading(level: 2, outlined: true)[{_esc(t.title)}]]\n")
        cols = ", ".join(["auto"] * grid.ncols)
        cells = []
        header = [c for c in grid.cells if c.header]
        body = [c for c in grid.cells if not c.header]
        for group, wrap in ((header, "table.header"), (body, None)):
            items = []
            for c in group:
                text = _esc(c.text) if c.text else ""
                items.append(f"table.cell(rowspan: {c.rowspan}, colspan: {c.colspan})[#text(size: 8pt)[{text}]]")
            if wrap and items:
                cells.append(f"{wrap}({', '.join(items)})")
            else:
                cells.extend(items)
        parts.append(f"#table(columns: ({cols},), {', '.join(cells)})\n]\n")
    return "".join(parts)


def compile_runs(typ: Path, runs: int) -> None:
    import typst

    times = []
    for _ in range(runs):
        started = time.process_time()
        pdf = typst.compile(str(typ), font_paths=FONT_PATHS)
        times.append(time.process_time() - started)
    out = typ.with_suffix(".pdf")
    out.write_bytes(pdf)
    print(f"typst: median CPU {statistics.median(times):.2f} s over {runs} runs; {len(pdf):,} bytes")
    print(subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--compile-only", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    typ = args.out / "budget.typ"
    if not args.compile_only:
        from deptbudget.compute.disclosure import compute_disclosure
        from deptbudget.render.pdf import render_pdf
        from deptbudget.sources.yaml_source import load_budget

        d = compute_disclosure(load_budget(EXAMPLE))
        typ.write_text(typst_source(d), encoding="utf-8")
        times = []
        for _ in range(args.runs + 1):
            started = time.process_time()
            render_pdf(d, str(args.out / "reportlab.pdf"), charts=False)
            times.append(time.process_time() - started)
        print(f"reportlab: median CPU {statistics.median(times[1:]):.2f} s (first {times[0]:.2f} s); "
              f"{(args.out / 'reportlab.pdf').stat().st_size:,} bytes")
    try:
        compile_runs(typ, args.runs)
    except ImportError:
        print(f"typst not importable here: compile {typ} from an environment that has it (--compile-only)")


if __name__ == "__main__":
    main()
