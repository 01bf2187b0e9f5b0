"""HTML export of an executed notebook: one self-contained file a policy officer can open offline.

nbconvert's `lab` template, minus everything it would fetch from a CDN (require.js, MathJax,
Mermaid, the widget manager): our reports hold text, tables and PNG figures embedded as data
URLs, so nothing is lost and the page loads without a network. Code cells are hidden; their
outputs, the Markdown and any warnings stay.
"""
from __future__ import annotations

from pathlib import Path

import jinja2
import nbformat
from nbconvert import HTMLExporter

_TEMPLATE_NAME = "balance_sim_report.html.j2"
_OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
"""


def exporter() -> HTMLExporter:
    """An HTML exporter whose pages reference nothing outside themselves."""
    html = HTMLExporter(
        template_name="lab",
        extra_loaders=[jinja2.DictLoader({_TEMPLATE_NAME: _OFFLINE_TEMPLATE})],
    )
    html.template_file = _TEMPLATE_NAME
    html.exclude_input = True
    html.exclude_input_prompt = True
    html.exclude_output_prompt = True
    return html


LANGUAGES = ("en", "zh")


def run_language(notebook: nbformat.NotebookNode) -> str:
    """The `language` parameter the notebook ran with (papermill records it), else English."""
    parameters = notebook.metadata.get("papermill", {}).get("parameters", {})
    language = parameters.get("language", "en")
    return language if language in LANGUAGES else "en"


def in_language(notebook: nbformat.NotebookNode, language: str) -> nbformat.NotebookNode:
    """The notebook without the cells written for another language (Markdown cells tagged with
    a language: each heading and explanation has an `en` and a `zh` twin)."""
    out = nbformat.from_dict(notebook)
    others = set(LANGUAGES) - {language}
    out.cells = [c for c in out.cells if not others & set(c.get("metadata", {}).get("tags", []))]
    return out


def first_heading(notebook: nbformat.NotebookNode) -> str:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return ""


def export_html(notebook: nbformat.NotebookNode | str | Path, html_path: str | Path, title: str = "",
                language: str | None = None) -> Path:
    """Write `notebook` (a node or an .ipynb path) as a standalone HTML page at `html_path`, in
    `language` (default: the language it ran with), titled by its first heading."""
    if not isinstance(notebook, nbformat.NotebookNode):
        notebook = nbformat.read(str(notebook), as_version=4)
    notebook = in_language(notebook, language or run_language(notebook))
    resources = {"metadata": {"name": first_heading(notebook) or title or Path(html_path).stem}}
    body, _ = exporter().from_notebook_node(notebook, resources=resources)
    html_path = Path(html_path)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(body, encoding="utf-8")
    return html_path
