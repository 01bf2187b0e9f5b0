"""A synthetic country: `synthetic_country(counties=2895, seed=1)`, the national scale of
docs/sources.md#national-statistics, and the data source `synthetic:N[:SEED]` that names it.

The counties are made as those of `synthetic_province` are (one scheme: `synthetic.county_profiles`
for teaching points, nine-year schools, wealth, gap, ratios and names; `layout.py` and `schools.py`
for the schools), with two differences: each county's numbers of primary and junior sections are
apportioned so that the country holds the national counts, and pupils and teachers are scaled per
level to the national totals (calibration.yaml `national`). With fewer than 2,895 counties every
count is the national one times counties / 2,895.

What docs/sources.md#national-statistics gives, and what is derived (also in data/README.md):

- Schools: 149,100 primary and 52,500 junior (201,600 together), read as school **sections**
  (a nine-year school counts once in each level, as the schools table holds it). Teaching points
  are not among them (assumption: the statistics count them apart); each county has 0–8 (calibration
  `province`), about 11,600 in the country, all rural, in addition to the 201,600.
- Pupils: 107 million primary and 51.206 million junior; full-time teachers: 6.6294 million
  primary and 4.0252 million junior (10.6546 million together; 16.1 and 12.7 pupils per teacher).
- By location the source gives no split. It is derived from the layout of every synthetic county
  (calibration.yaml `layout`, assumptions): 20% of junior sections in the county seat (urban), a
  third (35%) of the other townships towns, each township with one junior section, so junior
  sections are 20% urban, 28% town, 52% rural; primary sections are 11% urban, two per town
  township (a central and a second school: 2 × 28% of the junior count) town, the rest rural.
  Pupils and teachers by location follow from the role sizes and staffing rules (not targets).

Tolerances, checked by tests/test_synthetic_country.py: sections by level are exact at every size
(rounded to whole schools: round(149,100 × N / 2,895), round(52,500 × N / 2,895)); pupils and
teachers by level are within 0.5% of their (scaled) totals; sections by level and location within
2% of the derived counts at N = 2,895 (and within 5% for 60 or more counties, where a county's
rounding weighs more). The same counties and seed give identical tables.

The country carries no teacher roster: the simulation synthesises one from the school counts
(balance_sim.sim.roster), and 10.65 million rows would not be modest memory. With the defaults it
is built in about 2 seconds and 250 MB (`python -m balance_sim.datasets.national_table` measures it
and prints the table of data/README.md).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from balance_sim.county import County
from balance_sim.datasets import calibration as cal
from balance_sim.datasets.synthetic import build_counties, county_profiles
from balance_sim.datasets.tables import CountyTables
from balance_sim.errors import ParameterError
from balance_sim.io.load import SYNTHETIC_PREFIX as SOURCE_PREFIX

NATIONAL_COUNTIES: int = int(cal.value("national", "counties"))
DEFAULT_SEED = 1
_MAX_SEED = 2**64 - 1
_FORM = "synthetic:N[:SEED]"


def _scaled(national: float, counties: int) -> float:
    return national * counties / NATIONAL_COUNTIES


def _check(counties, seed) -> None:
    if isinstance(counties, bool) or not isinstance(counties, (int, np.integer)) or not 1 <= counties <= NATIONAL_COUNTIES:
        raise ParameterError(f"counties: must be a whole number from 1 to {NATIONAL_COUNTIES:,}, got {counties!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= _MAX_SEED:
        raise ParameterError(f"seed: must be a whole number from 0 to {_MAX_SEED:,}, got {seed!r}")


def _apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Whole numbers proportional to `weights` that sum to `total` (largest remainders)."""
    quota = weights / weights.sum() * total
    counts = np.floor(quota).astype(np.int64)
    short = int(total - counts.sum())
    order = np.argsort(-(quota - counts), kind="stable")
    counts[order[:short]] += 1
    return counts


def level_schools(counties: int = NATIONAL_COUNTIES) -> np.ndarray:
    """(primary, junior) sections of a country of `counties` counties, teaching points not counted."""
    national = np.asarray(cal.value("national", "schools"), dtype=float)
    return np.floor(_scaled(national, counties) + 0.5).astype(np.int64)


def national_targets(counties: int = NATIONAL_COUNTIES) -> pd.DataFrame:
    """What a country of `counties` counties aims at: one row per quantity, level and location
    (`all` where not split), with the target and where it comes from (module docstring)."""
    _check(counties, DEFAULT_SEED)
    primary, junior = level_schools(counties)
    urban_junior = cal.value("layout", "urban_junior_share")
    town_share = cal.value("layout", "town_township_share") * (1.0 - urban_junior)
    urban_primary = cal.value("layout", "urban_primary_share")
    derived = "derived from calibration.yaml layout (assumption)"
    national = "docs/sources.md#national-statistics"
    rows = [
        ("counties", "all", "all", counties, national),
        ("sections", "primary", "all", primary, f"{national}, teaching points not counted"),
        ("sections", "junior", "all", junior, national),
        ("sections", "primary", "urban", urban_primary * primary, derived),
        ("sections", "primary", "town", 2.0 * town_share * junior, derived),
        ("sections", "primary", "rural", primary - urban_primary * primary - 2.0 * town_share * junior, derived),
        ("sections", "junior", "urban", urban_junior * junior, derived),
        ("sections", "junior", "town", town_share * junior, derived),
        ("sections", "junior", "rural", (1.0 - urban_junior - town_share) * junior, derived),
    ]
    for quantity in ("students", "teachers"):
        for level, value in zip(cal.LEVELS, cal.value("national", quantity)):
            rows.append((quantity, level, "all", _scaled(value, counties), national))
        rows.append((quantity, "all", "all", _scaled(sum(cal.value("national", quantity)), counties), national))
    return pd.DataFrame(rows, columns=["quantity", "level", "location", "target", "source"])


def achieved(county: County) -> pd.DataFrame:
    """The same rows as `national_targets`, counted in `county` (teaching points apart from
    sections, as the targets count them)."""
    s = county.schools
    regular = s[s["school_type"] != "teaching_point"]
    rows = [("counties", "all", "all", len(county.counties))]
    for level in cal.LEVELS:
        rows.append(("sections", level, "all", int((regular["level"] == level).sum())))
    by_location = regular.groupby(["level", "location"]).size()
    for level in cal.LEVELS:
        for location in ("urban", "town", "rural"):
            rows.append(("sections", level, location, int(by_location.get((level, location), 0))))
    for quantity in ("students", "teachers"):
        per_level = s.groupby("level")[quantity].sum()
        for level in cal.LEVELS:
            rows.append((quantity, level, "all", int(per_level.get(level, 0))))
        rows.append((quantity, "all", "all", int(per_level.sum())))
    return pd.DataFrame(rows, columns=["quantity", "level", "location", "achieved"])


def synthetic_country_tables(counties: int = NATIONAL_COUNTIES, seed: int = DEFAULT_SEED, *, roster: bool = False) -> CountyTables:
    """A synthetic country of `counties` counties as its files would hold it (schools and
    shared_facilities; a roster only when asked, 10.65 million rows at full scale)."""
    _check(counties, seed)
    primary, junior = level_schools(counties)
    # a stream of its own (the seventh child of the seed): _build uses the first five, a province the sixth
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(7)[6])
    # sizes drawn as a province's, then apportioned to the national counts
    lo, hi = cal.value("province", "n_primary_range")
    n_primary = _apportion(primary, rng.uniform(lo, hi + 1, counties))
    j_lo, j_hi = cal.value("province", "junior_per_primary")
    n_junior = _apportion(junior, n_primary * rng.uniform(j_lo, j_hi, counties))
    profiles = county_profiles(rng, n_junior)
    width = 6 - len(cal.value("national", "code_prefix"))
    codes = np.char.add(cal.value("national", "code_prefix"), np.char.zfill((np.arange(counties) + 1).astype(str), width))
    totals = {quantity: _scaled(np.asarray(cal.value("national", quantity), float), counties) for quantity in ("students", "teachers")}
    return build_counties(seed, n_primary, n_junior, profiles, codes, roster=roster, level_totals=totals)


def synthetic_country(counties: int = NATIONAL_COUNTIES, seed: int = DEFAULT_SEED, *, roster: bool = False) -> County:
    """A synthetic country as a loader reads it (`synthetic_country_tables`; nine-year schools'
    facilities split across their sections, docs/sources.md#combined-schools). `synthetic_country()`
    is the national case: 2,895 counties, 201,600 primary and junior sections, 10.65 million
    full-time teachers (docs/sources.md#national-statistics; tolerances in the module docstring)."""
    source = f"{SOURCE_PREFIX}{counties}:{seed}"
    return synthetic_country_tables(counties, seed, roster=roster).county(source=source)


def is_source(text: str) -> bool:
    """Whether a data PATH names a synthetic country (`synthetic:N[:SEED]`)."""
    return str(text).startswith(SOURCE_PREFIX)


def parse_source(text: str) -> tuple[int, int]:
    """(counties, seed) of `synthetic:N[:SEED]`; ParameterError naming the PATH for any other form."""
    parts = str(text)[len(SOURCE_PREFIX):].split(":")
    where = f"PATH {text!r}"
    if len(parts) > 2:
        raise ParameterError(f"{where}: expected {_FORM} (N counties, optional SEED), got {len(parts)} fields after 'synthetic:'")
    n_text, seed_text = parts[0], parts[1] if len(parts) == 2 else str(DEFAULT_SEED)
    # digits only (no sign, no spaces); long strings are refused before int() sees them
    if not re.fullmatch(r"[0-9]{1,7}", n_text) or not 1 <= int(n_text) <= NATIONAL_COUNTIES:
        raise ParameterError(f"{where}: N, the number of counties, must be a whole number from 1 to "
                             f"{NATIONAL_COUNTIES:,} ({_FORM}), got {n_text!r}")
    if not re.fullmatch(r"[0-9]{1,20}", seed_text) or int(seed_text) > _MAX_SEED:
        raise ParameterError(f"{where}: SEED must be a whole number from 0 to {_MAX_SEED:,} ({_FORM}), got {seed_text!r}")
    return int(n_text), int(seed_text)


def country_from_source(text: str) -> County:
    """The County a `synthetic:N[:SEED]` PATH names (SEED defaults to 1)."""
    counties, seed = parse_source(text)
    return synthetic_country(counties, seed)


def comparison_markdown(county: County, counties: int | None = None) -> str:
    """Targets against what `county` holds, as the table of data/README.md."""
    counties = len(county.counties) if counties is None else counties
    table = national_targets(counties).merge(achieved(county), on=["quantity", "level", "location"])
    lines = [f"| quantity | level | location | target | {county.source} | difference | source |", "|---|---|---|---|---|---|---|"]
    for row in table.itertuples():
        difference = round(row.achieved / row.target - 1.0, 6) + 0.0  # no "-0.000%"
        lines.append(f"| {row.quantity} | {row.level} | {row.location} | {row.target:,.0f} | {row.achieved:,} | "
                     f"{difference:+.3%} | {row.source} |")
    return "\n".join(lines)

