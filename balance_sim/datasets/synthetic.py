"""Synthetic counties and provinces: seeded, vectorised, calibrated by `calibration.yaml`.

`synthetic_county` and `synthetic_province` build a County (schools table, optional teacher
roster and budget history) from a seed and size parameters; the same arguments give identical
tables; `synthetic_county_tables` / `synthetic_province_tables` give the same data as its files
hold it. Nine-year schools report their facilities once for the whole school, as statistics do,
and the County splits them as the loader does (`tables.py`). Independent random streams (layout,
school numbers, roster, budget) are spawned from the seed, so asking for a roster never changes
the schools.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from balance_sim.county import County
from balance_sim.datasets import calibration as cal
from balance_sim.datasets import layout as layout_mod
from balance_sim.datasets.budget import budget_history
from balance_sim.datasets.names import POOL_SIZE, ordinal, place_names
from balance_sim.datasets.roster import synthesise_roster
from balance_sim.datasets.schools import section_numbers
from balance_sim.datasets.tables import CountyTables, whole_school
from balance_sim.errors import ParameterError

SCHOOL_COLUMNS = [
    "school_id", "name", "county", "township", "level", "location", "school_type",
    "students", "classes", "teachers", "teachers_above_degree", "teachers_mid_senior_title",
    "backbone_teachers", "pe_art_teachers", "teaching_area_m2", "sports_area_m2",
    "equipment_value_yuan", "books", "computers", "multimedia_classrooms", "public_funds_yuan",
    "boarding_students", "migrant_students", "left_behind_students", "weak_school",
]
SYNTHETIC_NOTE = "synthetic data (balance_sim.datasets), calibrated to national statistics; not a real county"


def _township_names(lay: layout_mod.Layout, offsets: np.ndarray) -> np.ndarray:
    t = lay.township
    # stride 37 is coprime with the pool size, so a county's townships get distinct names
    index = (offsets[lay.county] + 37 * t) % POOL_SIZE + POOL_SIZE * (t // POOL_SIZE)
    suffix = np.where(lay.township_kind == 1, "镇", "乡")
    return np.where(t == 0, cal.value("layout", "seat_township"), np.char.add(place_names(index), suffix))


def _school_names(lay: layout_mod.Layout, county_names: np.ndarray, townships: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    role = np.array(cal.ROLES)[lay.role]
    county = county_names[lay.county]
    seed_index = offsets[lay.county] * 13 + lay.township * 29
    village = place_names((seed_index + 11 * lay.ordinal) % POOL_SIZE)
    point = place_names((seed_index + 11 * (lay.ordinal + 300)) % POOL_SIZE)
    names = np.select(
        [role == "urban_primary", role == "urban_junior", np.isin(role, ["town_central", "rural_central"]),
         role == "town_primary", np.isin(role, ["town_junior", "rural_junior"]), role == "village"],
        [np.char.add(np.char.add(county, ordinal(lay.ordinal)), "小学"),
         np.char.add(np.char.add(county, ordinal(lay.ordinal)), "中学"),
         np.char.add(townships, "中心小学"), np.char.add(townships, "第二小学"),
         np.char.add(townships, "中学"), np.char.add(np.char.add(townships, village), "村小学")],
        default=np.char.add(np.char.add(townships, point), "村教学点"),
    )
    return np.where(lay.nine_year, np.char.add(townships, "九年一贯制学校"), names)


def _schools_frame(lay, numbers, county_names, county_codes, rng) -> pd.DataFrame:
    offsets = rng.integers(0, POOL_SIZE, size=len(county_names))
    townships = _township_names(lay, offsets)
    width = max(4, len(str(int(lay.school_no.max()))))
    school_id = np.char.add(county_codes[lay.county], np.char.zfill(lay.school_no.astype(str), width))
    role = np.array(cal.ROLES)[lay.role]
    frame = pd.DataFrame({
        "school_id": school_id,
        "name": _school_names(lay, county_names, townships, offsets),
        "county": county_names[lay.county],
        "township": townships,
        "level": np.array(cal.LEVELS)[cal.ROLE_LEVEL[lay.role]],
        "location": cal.ROLE_LOCATION[lay.role],
        "school_type": np.where(lay.nine_year, "nine_year", np.where(role == "teaching_point", "teaching_point", "regular")),
        **numbers,
    })
    for column in ("school_id", "name", "county", "township", "level", "location", "school_type"):
        frame[column] = frame[column].astype("str")
    return frame[SCHOOL_COLUMNS]


def _build(seed, n_primary, n_junior, n_points, n_nine, wealth, gap, ratio, county_names, county_codes, roster, budget,
           level_totals=None) -> CountyTables:
    layout_rng, numbers_rng, names_rng, roster_rng, budget_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5)
    )
    lay = layout_mod.build(n_primary, n_junior, n_points, n_nine, layout_rng)
    numbers = section_numbers(lay, np.asarray(wealth, float), np.asarray(gap, float), np.asarray(ratio, float), numbers_rng,
                              level_totals=level_totals)
    schools = _schools_frame(lay, numbers, np.asarray(county_names), np.asarray(county_codes), names_rng)
    teachers = synthesise_roster(schools, roster_rng) if roster else None
    history = None
    if budget:
        pupils = schools.groupby("level")["students"].sum()
        history = budget_history(int(pupils.get("primary", 0)), int(pupils.get("junior", 0)), budget_rng)
    # each nine-year school's facilities: the sum of what its two sections were drawn, reported whole
    sections, shared = whole_school(schools)
    return CountyTables(sections, shared if len(shared) else None, teachers, history, notes=(SYNTHETIC_NOTE,))


def _positive(name: str, value: float) -> None:
    if not np.isfinite(value) or value < 0:
        raise ParameterError(f"{name} must be a finite number >= 0 (got {value})")


def synthetic_county_tables(
    seed: int,
    n_primary: int = 45,
    n_junior: int = 14,
    n_teaching_points: int = 4,
    n_nine_year: int = 2,
    *,
    wealth: float = 1.0,
    gap: float = 1.0,
    pupil_teacher_ratio: tuple[float, float] | None = None,
    name: str = "样本县",
    code: str = "229900",
    roster: bool = True,
    budget: bool = True,
) -> CountyTables:
    """One synthetic county as its files hold it (`synthetic_county` gives it as a County).

    n_primary: primary sections without teaching points (nine-year primary sections included);
    n_junior: junior sections (nine-year junior sections included); n_nine_year: nine-year
    schools (each one primary and one junior section). wealth scales resources per pupil
    (1 = calibration); gap scales differences between schools (0 = all alike, 1 = calibration).
    pupil_teacher_ratio: (primary, junior) pupils per teacher, default docs/sources.md#national-statistics (16.1, 12.7).
    """
    _positive("wealth", wealth)
    _positive("gap", gap)
    ratio = cal.level_array("pupil_teacher_ratio") if pupil_teacher_ratio is None else np.asarray(pupil_teacher_ratio, float)
    if ratio.shape != (2,) or not (ratio > 0).all():
        raise ParameterError(f"pupil_teacher_ratio must be two positive numbers (got {pupil_teacher_ratio})")
    return _build(seed, [n_primary], [n_junior], [n_teaching_points], [n_nine_year], [wealth], [gap],
                  ratio.reshape(1, 2), [name], [code], roster, budget)


def synthetic_province_tables(
    seed: int,
    n_counties: int = 60,
    *,
    n_primary_range: tuple[int, int] | None = None,
    wealth_range: tuple[float, float] | None = None,
    gap_range: tuple[float, float] | None = None,
    roster: bool = False,
) -> CountyTables:
    """Many synthetic counties of varied size, wealth and gaps, as their files hold them
    (schools table; roster optional; `synthetic_province` gives them as a County).

    Wealth and gap are spread evenly over their ranges (stratified), richer counties tending to
    be more equal, so every province holds near-equal and strongly unequal, poor and rich counties. Ranges default to
    calibration.yaml `province`.
    """
    if n_counties < 1:
        raise ParameterError(f"n_counties must be at least 1 (got {n_counties})")
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(6)[5])
    lo, hi = cal.value("province", "n_primary_range") if n_primary_range is None else n_primary_range
    n_primary = rng.integers(lo, hi + 1, size=n_counties)
    j_lo, j_hi = cal.value("province", "junior_per_primary")
    n_junior = np.maximum(1, np.floor(n_primary * rng.uniform(j_lo, j_hi, n_counties) + 0.5)).astype(np.int64)
    n_junior = np.minimum(n_junior, n_primary - 1)
    profiles = county_profiles(rng, n_junior, wealth_range=wealth_range, gap_range=gap_range)
    width = max(4, len(str(n_counties)))
    codes = np.char.add(cal.value("province", "code_prefix"), np.char.zfill((np.arange(n_counties) + 1).astype(str), width))
    return build_counties(seed, n_primary, n_junior, profiles, codes, roster=roster)


def county_profiles(
    rng: np.random.Generator,
    n_junior: np.ndarray,
    *,
    wealth_range: tuple[float, float] | None = None,
    gap_range: tuple[float, float] | None = None,
) -> dict[str, np.ndarray]:
    """What makes counties differ beyond their numbers of schools: teaching points, nine-year
    schools, wealth, gap, pupil-teacher ratio and name, one element per county (calibration.yaml
    `province`). Shared by `synthetic_province_tables` and `synthetic_country_tables`; the draws
    come in a fixed order from `rng`, so the demo province stays as its files hold it."""
    n_counties = len(n_junior)
    p = lambda key, given: cal.value("province", key) if given is None else given  # noqa: E731
    n_points = rng.integers(0, cal.value("province", "teaching_points_max") + 1, size=n_counties)

    # gap quantiles spread evenly; wealth quantiles mostly opposite (richer counties more equal)
    gap_q = (rng.permutation(n_counties) + rng.random(n_counties)) / n_counties
    coupling = cal.value("province", "wealth_gap_coupling")
    mixed = coupling * (1.0 - gap_q) + (1.0 - coupling) * rng.random(n_counties)
    wealth_q = (np.argsort(np.argsort(mixed)) + rng.random(n_counties)) / n_counties
    (g_lo, g_hi), (w_lo, w_hi) = p("gap_range", gap_range), p("wealth_range", wealth_range)
    gap, wealth = g_lo + (g_hi - g_lo) * gap_q, w_lo + (w_hi - w_lo) * wealth_q
    rural_townships = n_junior - np.floor(n_junior * cal.value("layout", "urban_junior_share") + 0.5)
    n_nine = np.minimum(rng.integers(0, cal.value("province", "nine_year_max") + 1, size=n_counties), rural_townships // 2).astype(np.int64)
    ratio = cal.level_array("pupil_teacher_ratio")[None, :] * np.exp(cal.value("province", "ratio_spread") * rng.standard_normal((n_counties, 1)))
    names = np.char.add(place_names(rng.permutation(max(n_counties, POOL_SIZE))[:n_counties]), "县")
    return {"n_points": n_points, "n_nine": n_nine, "wealth": wealth, "gap": gap, "ratio": ratio, "names": names}


def build_counties(seed, n_primary, n_junior, profiles: dict[str, np.ndarray], codes, *, roster: bool = False,
                   level_totals: dict[str, np.ndarray] | None = None) -> CountyTables:
    """The tables of many counties (no budget) from their numbers of sections and `county_profiles`;
    `level_totals` (see `schools.section_numbers`) sets the pupils and teachers of each level in all."""
    return _build(seed, n_primary, n_junior, profiles["n_points"], profiles["n_nine"], profiles["wealth"],
                  profiles["gap"], profiles["ratio"], profiles["names"], codes, roster, False, level_totals)


def synthetic_county(
    seed: int,
    n_primary: int = 45,
    n_junior: int = 14,
    n_teaching_points: int = 4,
    n_nine_year: int = 2,
    *,
    wealth: float = 1.0,
    gap: float = 1.0,
    pupil_teacher_ratio: tuple[float, float] | None = None,
    name: str = "样本县",
    code: str = "229900",
    roster: bool = True,
    budget: bool = True,
) -> County:
    """One synthetic county as a loader reads its files (arguments: `synthetic_county_tables`);
    nine-year schools' whole-school facilities are split across their sections (docs/sources.md#combined-schools)."""
    return synthetic_county_tables(
        seed, n_primary, n_junior, n_teaching_points, n_nine_year, wealth=wealth, gap=gap,
        pupil_teacher_ratio=pupil_teacher_ratio, name=name, code=code, roster=roster, budget=budget,
    ).county()


def synthetic_province(
    seed: int,
    n_counties: int = 60,
    *,
    n_primary_range: tuple[int, int] | None = None,
    wealth_range: tuple[float, float] | None = None,
    gap_range: tuple[float, float] | None = None,
    roster: bool = False,
) -> County:
    """Many synthetic counties as a loader reads their files (arguments: `synthetic_province_tables`)."""
    return synthetic_province_tables(
        seed, n_counties, n_primary_range=n_primary_range, wealth_range=wealth_range, gap_range=gap_range, roster=roster,
    ).county()
