"""Citations into `docs/sources.md`: which anchors exist, which files cite which anchor, and the
page's "where each source is used" table (`python -m balance_sim.sources` rewrites it)."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = Path("docs/sources.md")
CITATION = re.compile(r"sources\.md#([a-z0-9-]+)")
ANCHOR = re.compile(r'<a id="([a-z0-9-]+)"></a>')
# Where citations may stand: the package, the docs, the notebooks, the data notes, the README.
SEARCHED = ("balance_sim", "docs", "notebooks", "data", "README.md")
SUFFIXES = {".py", ".yaml", ".yml", ".md", ".ipynb"}
START, END = "<!-- uses:start -->", "<!-- uses:end -->"


def anchors(root: Path = ROOT) -> set[str]:
    return set(ANCHOR.findall((root / PAGE).read_text(encoding="utf-8")))


def cited_files(root: Path = ROOT):
    for place in SEARCHED:
        path = root / place
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES)
        for file in files:
            if file.resolve() != (root / PAGE).resolve() and "__pycache__" not in file.parts:
                yield file


def citations(root: Path = ROOT) -> dict[str, list[str]]:
    """anchor → the files (relative paths) that cite it."""
    out: dict[str, set[str]] = defaultdict(set)
    for file in cited_files(root):
        for anchor in CITATION.findall(file.read_text(encoding="utf-8", errors="replace")):
            out[anchor].add(file.relative_to(root).as_posix())
    return {anchor: sorted(files) for anchor, files in sorted(out.items())}


def uses_markdown(root: Path = ROOT) -> str:
    used = citations(root)
    lines = ["| source | cited in |", "|---|---|"]
    for anchor in sorted(anchors(root)):
        files = used.get(anchor, [])
        lines.append(f"| [{anchor}](#{anchor}) | {', '.join(f'`{f}`' for f in files) or '—'} |")
    return "\n".join(lines)


def rewrite(root: Path = ROOT) -> str:
    text = (root / PAGE).read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{uses_markdown(root)}\n{END}{tail}"


if __name__ == "__main__":
    (ROOT / PAGE).write_text(rewrite(), encoding="utf-8")
    print(f"wrote {PAGE}")
