"""The reports as a reader sees them: headless Chromium opens the index of a `demo` run, follows
every link, and checks that each report loads cleanly, every figure has a size, the index numbers
are the run's numbers, and Chinese text renders.

Needs Debian's Chromium (/usr/bin/chromium) driven by Playwright. Without it the test is skipped,
unless the environment variable CI is set: then it fails, since CI installs Chromium on purpose.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import nbformat
import openpyxl
import pytest

from balance_sim.report.demo import run_demo
from balance_sim.report.runner import run_notebook
from balance_sim.report.summary import read_summary

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
STDERR = '[data-mime-type="application/vnd.jupyter.stderr"]'  # a warning or error a kernel printed
CJK = re.compile(r"[\u4e00-\u9fff]")


def _require_chromium(chromium: Path = CHROMIUM) -> None:
    reason = None
    if not chromium.is_file():
        reason = f"headless Chromium is absent ({chromium})"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "Playwright for Python is not installed"
    if reason and os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser test (install chromium and playwright)")
    if reason:
        pytest.skip(f"{reason}; set CI=1 to make this a failure")


@pytest.fixture(scope="module")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def demo(browser, tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("demo") / "reports", progress=False)


def _open(browser, url: str):
    """A page at `url` and the list its console errors, page errors and failed requests go to."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.goto(url, wait_until="load")
    return page, problems


def _links(page) -> list[str]:
    return page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")


def test_every_link_on_the_index_opens_cleanly_with_sized_figures(browser, demo):
    page, problems = _open(browser, demo.index.as_uri())
    links = _links(page)
    reports = [link for link in links if link.endswith(".html")]
    assert sorted(Path(urlparse(r).path).stem for r in reports) == [run.name for run in demo.runs]
    assert len(demo.runs) >= 1
    for link in links:
        if not link.endswith(".html"):  # the Excel workbooks: present and readable
            assert openpyxl.load_workbook(url2pathname(urlparse(link).path)).sheetnames
            continue
        report, report_problems = _open(browser, link)
        sizes = report.eval_on_selector_all(
            "img", "images => images.map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
        assert sizes, f"{link}: no figure"
        assert all(done and width > 0 and height > 0 for done, width, height in sizes), f"{link}: {sizes}"
        assert report_problems == [], f"{link}: {report_problems}"
        warnings = report.eval_on_selector_all(STDERR, "cells => cells.map(c => c.textContent)")
        assert warnings == [], f"{link}: text on stderr in the report: {warnings}"
        title = report.title()
        assert title and not title[:2].isdigit(), f"{link}: title {title!r}"  # a heading, not a file name
        report.close()
    assert problems == []


def test_index_numbers_are_the_numbers_of_each_runs_summary(browser, demo):
    page, _ = _open(browser, demo.index.as_uri())
    for run in demo.runs:
        shown = page.eval_on_selector_all(
            f"section[id='{run.name}'] tr[data-key]",
            "rows => rows.map(r => [r.dataset.key, r.querySelector('td.value').textContent,"
            " r.querySelector('td.value').dataset.value])")
        summary = read_summary(run.out_dir)
        expected = [[h["key"], h["text"], "" if h["value"] is None else str(h["value"])] for h in summary["headline"]]
        assert shown == expected and shown


_DRAW_TWO_CHARACTERS = """() => {
  const draw = text => {
    const canvas = document.createElement('canvas');
    canvas.width = 48; canvas.height = 48;
    const context = canvas.getContext('2d');
    context.font = '40px "Noto Sans CJK SC", sans-serif';
    context.fillText(text, 4, 42);
    return Array.from(context.getImageData(0, 0, 48, 48).data);
  };
  const first = draw('均'), second = draw('衡');
  return {inked: first.some(v => v > 0), different: first.join() !== second.join()};
}"""


@pytest.mark.parametrize("notebook", ["01_county_monitoring", "02_new_funds_to_rural"])
def test_a_chinese_report_is_chinese_throughout(browser, tmp_path, notebook):
    parameters = {"language": "zh"} if notebook.startswith("01") else {"language": "zh", "replications": 2}
    run = run_notebook(notebook, parameters, out=tmp_path, progress=False)
    page, problems = _open(browser, run.html.as_uri())
    headings = page.eval_on_selector_all("h1, h2", "hs => hs.map(h => h.textContent)")
    assert headings and all(CJK.search(h) for h in headings), headings
    assert CJK.search(page.title())
    body = page.inner_text("body")
    for english in ("quality-2017", "not_assessable", "Headline numbers", "Conclusion", "source: ", "note: ",
                    "Interactive explorer", "Wrote "):
        assert english not in body, english
    assert page.eval_on_selector_all(STDERR, "cells => cells.length") == 0
    assert problems == []


def test_chinese_report_renders_chinese_labels(browser, tmp_path):
    run = run_notebook("01_county_monitoring", {"language": "zh"}, out=tmp_path / "run", progress=False)
    executed = nbformat.read(str(run.notebook), as_version=4)
    streams = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    assert "missing from font" not in streams  # matplotlib found a glyph for every character
    page, problems = _open(browser, run.html.as_uri())
    assert "差异系数" in page.inner_text("body")
    # Tofu boxes for missing glyphs all look alike; two real characters do not.
    assert page.evaluate(_DRAW_TWO_CHARACTERS) == {"inked": True, "different": True}
    shot = tmp_path / "01_county_monitoring_zh_figure.png"  # never into the project's reports/
    page.locator("img").first.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    shutil.copy(run.out_dir / "figures" / "cv_by_indicator.png", tmp_path / "01_cv_by_indicator_zh.png")
    assert problems == []



def test_absent_chromium_skips_locally_but_fails_in_ci(monkeypatch, tmp_path):
    missing = tmp_path / "no-chromium"
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="set CI=1"):
        _require_chromium(missing)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run the browser test"):
        _require_chromium(missing)
