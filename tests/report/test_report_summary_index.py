"""Headline numbers: formatted once, saved in summary.json, shown unchanged on the index page."""
from __future__ import annotations

import json
import re

import nbformat
import numpy as np
from nbformat.v4 import new_markdown_cell, new_notebook

from balance_sim.report.index import report_names, title_and_question, write_index
from balance_sim.report.summary import headline, print_headlines, read_summary, write_summary


def test_headline_rounds_and_formats():
    assert headline("cv", "CV", 0.123456).text == "0.123"
    assert headline("cv", "CV", 0.123456).value == 0.123
    assert headline("n", "Schools", np.int64(1234)).text == "1,234"
    assert headline("n", "Schools", np.int64(1234)).value == 1234
    assert headline("y", "Year", 2031.0, digits=0).text == "2,031"
    assert headline("y", "Year", None).text == "—"
    assert headline("x", "X", float("nan")).value is None
    assert headline("v", "Verdict", "fail").text == "fail"


def test_print_headlines_is_one_stable_line_each(capsys):
    print_headlines([headline("cv", "Composite CV, primary", 0.5), headline("c", "Cost", 2e6, "yuan", digits=0)])
    assert capsys.readouterr().out == "Composite CV, primary: 0.500\nCost: 2,000,000 yuan\n"


def test_summary_round_trips_with_chinese_labels(tmp_path):
    items = [headline("cv", "综合差异系数", 0.4567), headline("schools", "学校数", 12)]
    path = write_summary(tmp_path, "01_x", items, language="zh")
    assert json.loads(path.read_text(encoding="utf-8"))["headline"][0]["label"] == "综合差异系数"
    summary = read_summary(tmp_path)
    assert summary["notebook"] == "01_x" and summary["language"] == "zh"
    assert [h["value"] for h in summary["headline"]] == [0.457, 12]
    assert read_summary(tmp_path / "missing") is None


def _fake_run(out, name, title, items):
    node = new_notebook(cells=[new_markdown_cell(f"# {title}\n\nIs the **county** balanced <today>?")])
    nbformat.write(node, str(out / f"{name}.ipynb"))
    (out / f"{name}.html").write_text("<html></html>")
    write_summary(out / name, name, items)


def test_index_shows_each_reports_numbers_exactly_as_summarised(tmp_path):
    _fake_run(tmp_path, "01_a", "County monitoring", [headline("cv", "Composite CV", 0.61234)])
    _fake_run(tmp_path, "02_b", "New funds <to> rural", [headline("year", "Year the county passes", 2029, digits=0)])
    page = write_index(tmp_path).read_text(encoding="utf-8")
    assert re.findall(r'href="([^"]+\.html)"', page) == ["01_a.html", "02_b.html"]
    assert '<td class="value" data-value="0.612">0.612</td>' in page
    assert '<td class="value" data-value="2029">2,029</td>' in page
    assert "New funds &lt;to&gt; rural" in page and "&lt;today&gt;" in page  # text is escaped


def test_index_lists_only_complete_numbered_runs(tmp_path):
    _fake_run(tmp_path, "01_a", "A", [])
    (tmp_path / "02_half.html").write_text("")  # no executed notebook beside it
    (tmp_path / "notes.html").write_text("")
    assert report_names(tmp_path) == ["01_a"]


def test_title_and_question_come_from_the_first_markdown_cell(tmp_path):
    _fake_run(tmp_path, "01_a", "County monitoring", [])
    assert title_and_question(tmp_path / "01_a.ipynb") == ("County monitoring", "Is the county balanced <today>?")
