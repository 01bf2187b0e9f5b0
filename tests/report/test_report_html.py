"""HTML reports open offline: nothing fetched from elsewhere, code hidden, outputs kept."""
from __future__ import annotations

import re

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from balance_sim.report.html_export import export_html

PNG_1PX = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def test_exported_page_references_nothing_outside_itself(tmp_path):
    node = new_notebook(cells=[
        new_markdown_cell("# Question\n\nIs $x$ balanced?"),
        new_code_cell("secret_code_line()", outputs=[
            new_output("display_data", data={"image/png": PNG_1PX, "text/plain": "<Figure>"}),
            new_output("stream", name="stdout", text="Composite CV: 0.5\n"),
        ]),
    ], metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}}})
    page = export_html(node, tmp_path / "r.html", title="r").read_text(encoding="utf-8")
    sources = re.findall(r'<(?:script|link|img|iframe)[^>]*?(?:src|href)="([^"]*)"', page)
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)
    assert "secret_code_line" not in page
    assert "Composite CV: 0.5" in page and "Is $x$ balanced?" in page
