"""Embedded demo data and synthetic counties for balance_sim.

`demo_county()` is a county modelled on the county of docs/sources.md#county-targets (about 45 primary and 14 junior
schools, docs/sources.md#county-targets) with a full teacher roster and a ten-year budget; `demo_province()` is a
province of 60 counties (docs/sources.md#jilin-2011, docs/sources.md#jilin-2011). Both are synthetic, seeded and calibrated to the
national statistics of docs/sources.md#national-statistics, docs/sources.md#teachers, docs/sources.md#money (see `calibration.yaml` and `data/README.md`).
`synthetic_county` / `synthetic_province` make counties of any size for tests and benchmarks;
`synthetic_country` makes the country of docs/sources.md#national-statistics (2,895 counties, or fewer with the
counts scaled), the data source `synthetic:N[:SEED]` (`national.py`).
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from balance_sim.county import County
from balance_sim.datasets.checklist_data import checklist_columns, county_table
from balance_sim.datasets import calibration as _cal
from balance_sim.datasets.national import national_targets, synthetic_country, synthetic_country_tables
from balance_sim.datasets.roster import synthesise_roster
from balance_sim.datasets.synthetic import (
    synthetic_county, synthetic_county_tables, synthetic_province, synthetic_province_tables,
)
from balance_sim.datasets.tables import CountyTables

__all__ = [
    "demo_county", "demo_province", "demo_county_tables", "demo_province_tables", "synthetic_county",
    "synthetic_province", "synthetic_county_tables", "synthetic_province_tables", "synthetic_country",
    "synthetic_country_tables", "national_targets", "synthesise_roster", "CountyTables",
]


def demo_county_tables() -> CountyTables:
    """The demo county 示范县 as `data/demo/` holds it (nine-year schools in shared_facilities)."""
    d = lambda key: _cal.value("demo", key)  # noqa: E731
    tables = synthetic_county_tables(
        d("seed"), d("n_primary"), d("n_junior"), d("n_teaching_points"), d("n_nine_year"),
        wealth=d("wealth"), gap=d("gap"), name=d("name"), code=d("code"),
    )
    # The checklist columns and county table have their own random stream, so adding them
    # leaves every other demo number as it was.
    rng = np.random.default_rng(np.random.SeedSequence([d("seed"), 2017]))
    schools = checklist_columns(tables.schools, tables.teachers, rng)
    return replace(tables, schools=schools, county_table=county_table(schools, tables.teachers, d("name"), cal_year()))


def demo_county() -> County:
    """The demo county 示范县: passes basic-2012, fails quality-2017 (data/README.md).

    The same tables as `balance_sim.io.load("data/demo")`: the two nine-year schools' whole-school
    facilities are split across their sections by pupil weights (docs/sources.md#combined-schools), so the facility
    columns are floats.
    """
    return demo_county_tables().county(source="demo")


def cal_year() -> int:
    return int(_cal.value("reference_year"))


def demo_province_tables() -> CountyTables:
    """The demo province as `data/demo-province/` holds it."""
    return synthetic_province_tables(_cal.value("province", "seed"), _cal.value("province", "n_counties"))


def demo_province() -> County:
    """The demo province: 60 counties, schools tables only."""
    return demo_province_tables().county(source="demo-province")
