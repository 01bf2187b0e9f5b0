"""The index page of a set of reports (`reports/index.html`): each report's question, a link to it
and its headline numbers, read from the run's `summary.json`.

Self-contained (inline CSS, no script), so it opens from a USB stick on an offline machine.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat

from balance_sim.report.html_export import in_language, run_language
from balance_sim.report.outputs import WORKBOOK_FILE
from balance_sim.report.summary import read_summary

INDEX_FILE = "index.html"
_CSS = """
body { font-family: "Noto Sans CJK SC", "Noto Sans", "DejaVu Sans", sans-serif; margin: 2em auto;
       max-width: 60em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-bottom: 0.2em; }
section { border-top: 1px solid #ccc; padding: 0.5em 0 1em; }
.question { color: #444; margin-top: 0.2em; }
table.headline { border-collapse: collapse; }
table.headline th { text-align: left; font-weight: normal; padding: 0.15em 1.5em 0.15em 0; }
table.headline td.value { text-align: right; font-weight: bold; font-variant-numeric: tabular-nums; }
table.headline td.unit { color: #555; padding-left: 0.4em; }
.files { font-size: 0.9em; }
.missing { color: #a00; }
"""


def title_and_question(notebook: Path, language: str | None = None) -> tuple[str, str]:
    """The title (first heading) and question (the rest) of a notebook's first Markdown cell in
    `language` (default: the language it ran with)."""
    node = nbformat.read(str(notebook), as_version=4)
    node = in_language(node, language or run_language(node))
    text = next((c.source for c in node.cells if c.cell_type == "markdown"), "")
    lines = [line.strip() for line in text.strip().splitlines()]
    title = re.sub(r"^#+\s*", "", lines[0]) if lines else notebook.stem
    question = " ".join(line for line in lines[1:] if line)
    return title, re.sub(r"[*_`]", "", question)


def _headline_rows(summary: dict) -> str:
    rows = []
    for item in summary.get("headline", []):
        value = "" if item["value"] is None else html.escape(str(item["value"]), quote=True)
        rows.append(
            f'<tr data-key="{html.escape(item["key"], quote=True)}">'
            f'<th>{html.escape(item["label"])}</th>'
            f'<td class="value" data-value="{value}">{html.escape(item["text"])}</td>'
            f'<td class="unit">{html.escape(item.get("unit", ""))}</td></tr>'
        )
    return '<table class="headline">' + "".join(rows) + "</table>"


def _section(out: Path, name: str) -> str:
    title, question = title_and_question(out / f"{name}.ipynb")
    summary = read_summary(out / name)
    link = html.escape(f"{name}.html", quote=True)
    parts = [
        f'<section class="report" id="{html.escape(name, quote=True)}">',
        f'<h2><a class="report-link" href="{link}">{html.escape(title)}</a></h2>',
        f'<p class="question">{html.escape(question)}</p>',
        _headline_rows(summary) if summary else '<p class="missing">This run wrote no summary.json.</p>',
    ]
    if (out / name / WORKBOOK_FILE).is_file():
        workbook = html.escape(f"{name}/{WORKBOOK_FILE}", quote=True)
        parts.append(f'<p class="files">Tables: <a class="workbook" href="{workbook}">Excel workbook</a></p>')
    parts.append("</section>")
    return "\n".join(parts)


def report_names(out: str | Path) -> list[str]:
    """Names of the reports in `out`: every numbered notebook that has both .ipynb and .html."""
    out = Path(out)
    return sorted(p.stem for p in out.glob("[0-9][0-9]_*.html") if (out / f"{p.stem}.ipynb").is_file())


def write_index(out: str | Path, names: list[str] | None = None, title: str = "balance_sim reports") -> Path:
    """Write `out/index.html` linking the reports `names` (default: all found in `out`)."""
    out = Path(out)
    names = report_names(out) if names is None else names
    body = "\n".join(_section(out, name) for name in names)
    page = (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n"
        "<p>Balanced development of compulsory education (义务教育均衡发展): "
        "monitoring and policy simulation. Each report below opens as a standalone page.</p>\n"
        f"{body}\n</body>\n</html>\n"
    )
    path = out / INDEX_FILE
    path.write_text(page, encoding="utf-8")
    return path
