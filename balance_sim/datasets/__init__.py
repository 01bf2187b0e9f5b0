"""Embedded demo data and synthetic counties for balance_sim.

`demo_county()` is a county modelled on the county of seed 001 (about 45 primary and 14 junior
schools, facts.md §5) with a full teacher roster and a ten-year budget; `demo_province()` is a
province of 60 counties (seed 003, facts.md §6). Both are synthetic, seeded and calibrated to the
national statistics of facts.md §7–§9 (see `calibration.yaml` and `data/README.md`).
`synthetic_county` / `synthetic_province` make counties of any size for tests and benchmarks.
"""
from __future__ import annotations

import numpy as np

from balance_sim.county import County
from balance_sim.datasets.checklist_data import checklist_columns, county_table
from balance_sim.datasets import calibration as _cal
from balance_sim.datasets.roster import synthesise_roster
from balance_sim.datasets.synthetic import synthetic_county, synthetic_province

__all__ = ["demo_county", "demo_province", "synthetic_county", "synthetic_province", "synthesise_roster"]


def demo_county() -> County:
    """The demo county 示范县: passes basic-2012, fails quality-2017 (data/README.md)."""
    d = lambda key: _cal.value("demo", key)  # noqa: E731
    county = synthetic_county(
        d("seed"), d("n_primary"), d("n_junior"), d("n_teaching_points"), d("n_nine_year"),
        wealth=d("wealth"), gap=d("gap"), name=d("name"), code=d("code"),
    )
    # The checklist columns and county table have their own random stream, so adding them
    # leaves every other demo number as it was.
    rng = np.random.default_rng(np.random.SeedSequence([d("seed"), 2017]))
    schools = checklist_columns(county.schools, county.teachers, rng)
    table = county_table(schools, county.teachers, d("name"), cal_year())
    return County.from_frames(schools, county.teachers, county.budget, table, source="demo", notes=county.notes)


def cal_year() -> int:
    return int(_cal.value("reference_year"))


def demo_province() -> County:
    """The demo province: 60 counties, schools tables only."""
    county = synthetic_province(_cal.value("province", "seed"), _cal.value("province", "n_counties"))
    return County.from_frames(county.schools, source="demo-province", notes=county.notes)
