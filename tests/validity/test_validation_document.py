"""`python -m balance_sim.validation` writes the lever tables, the two-county directions and the
certifying mix (a short run here; docs/validation.md is the full one, committed)."""
from __future__ import annotations

import re

from balance_sim.validation.__main__ import main
from balance_sim.validation.certify import CERTIFYING_MIX
from balance_sim.validation.levers import LEVERS


def test_the_document_holds_every_lever_the_directions_and_the_mix(tmp_path):
    out = tmp_path / "validation.md"
    assert main(["--out", str(out), "--replications", "2", "--years", "3", "--seed", "5"]) == 0
    text = out.read_text(encoding="utf-8")
    for lever in LEVERS:
        assert f"## {lever.name}\n" in text
    assert "## Directions on two counties" in text and "## A policy mix that certifies the county" in text
    for path in CERTIFYING_MIX:
        assert f"`{path}`" in text
    # Every CV change carries its 90% interval: "+0.012 [+0.004, +0.020]".
    assert re.search(r"[+-]\d\.\d{3} \[[+-]\d\.\d{3}, [+-]\d\.\d{3}\]", text)
    assert "seed 5" in text and "3 years" in text


def test_the_committed_document_is_the_full_run():
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "validation.md").read_text(encoding="utf-8")
    assert "10 years with seed 2024 and 10 replications" in text
    assert "(holds)" in text and "does not hold" not in text
