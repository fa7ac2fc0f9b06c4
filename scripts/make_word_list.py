"""Write the word list the PDF's table cells break by (deptbudget/render/words.txt): the words of jieba's
dictionary used at least ``--min-frequency`` times in its corpus, and every word of it that occurs in our own
budget vocabulary (catalog names, template labels, the examples: 专项资金 is rare in jieba's corpus, common in a
budget). Loading the whole dictionary (349,046 words) costs a fresh ``deptbudget build`` 0.7–1.3 s; this list a
fifth of that, with the same breaks in budget headers and names (unknown words are still found by jieba's HMM).

    .venv/bin/python scripts/make_word_list.py [--min-frequency 20]
"""

from __future__ import annotations

import argparse
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "deptbudget" / "render" / "words.txt"


def _domain_words(longest: int = 8) -> set[str]:
    """Every run of 2 to ``longest`` characters in the text of the catalogs, templates and examples."""
    root = OUT.parents[2]
    files = [*(root / "deptbudget" / "catalog").rglob("*.csv"), *(root / "deptbudget" / "templates").glob("*.yaml"),
             *(root / "examples").glob("*.yaml")]
    out: set[str] = set()
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            for i in range(len(line)):
                for j in range(i + 2, min(i + longest, len(line)) + 1):
                    out.add(line[i:j])
    return out


def main() -> None:
    import jieba

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-frequency", type=int, default=20)
    args = parser.parse_args()
    source = Path(jieba.__file__).with_name("dict.txt")
    domain = _domain_words()
    kept = [line for line in source.read_text(encoding="utf-8").splitlines()
            if len(parts := line.split()) >= 2 and (int(parts[1]) >= args.min_frequency or parts[0] in domain)]
    OUT.write_text("\n".join(kept) + "\n", encoding="utf-8")
    print(f"{len(kept)} words → {OUT}")


if __name__ == "__main__":
    main()
