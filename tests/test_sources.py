"""Every citation into docs/sources.md resolves to an anchor of the page, no citation points at a
file the project does not carry, and the page's table of uses is up to date."""
from __future__ import annotations

import re

from balance_sim import sources


def test_every_citation_resolves_to_an_anchor():
    missing = {anchor: files for anchor, files in sources.citations().items() if anchor not in sources.anchors()}
    assert not missing, missing


def test_the_anchors_are_the_documented_ones_and_each_is_cited():
    anchors = sources.anchors()
    assert {"cv", "basic-2012", "quality-2017", "quality-2017-checklist", "money", "teachers"} <= anchors
    assert set(sources.citations()) == anchors


def test_no_citation_points_outside_the_project():
    outside = re.compile(r"facts\.md|policy-brief|\bseeds? 00[0-4]\b|\.\./shared")
    hits = [f"{file.relative_to(sources.ROOT)}:{n}" for file in sources.cited_files()
            for n, line in enumerate(file.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
            if outside.search(line)]
    assert not hits, hits[:10]


def test_the_table_of_uses_is_current():
    page = (sources.ROOT / sources.PAGE).read_text(encoding="utf-8")
    assert page == sources.rewrite(), "run: python -m balance_sim.sources"


def test_a_missing_anchor_is_found(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "sources.md").write_text('<a id="cv"></a>\n<!-- uses:start -->\n<!-- uses:end -->\n')
    (tmp_path / "balance_sim").mkdir()
    (tmp_path / "balance_sim" / "x.py").write_text("# docs/sources.md#cv and docs/sources.md#nowhere\n")
    assert sources.citations(tmp_path) == {"cv": ["balance_sim/x.py"], "nowhere": ["balance_sim/x.py"]}
    assert "nowhere" not in sources.anchors(tmp_path)
