"""The teacher arrays at the start: read from the county's roster, or synthesised from the school
totals when there is none (design.md: "a roster consistent with the school totals is
synthesised (seeded)"). A synthesised roster reproduces every school's count of teachers, of
teachers above the required degree, with mid/senior titles, backbone and PE/arts teachers.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from balance_sim.errors import InputError, Problem
from balance_sim.sim.columns import plain_texts
from balance_sim.sim.groups import rank_in_runs
from balance_sim.sim.state import (
    ABOVE_DEGREE_MIN,
    BACKBONE,
    DEGREES,
    PE_ART_SUBJECTS,
    TITLES,
    Schools,
    Teachers,
)
from balance_sim.sim.streams import CountyDraws


def empty_teachers(capacity: int) -> Teachers:
    z = lambda dtype: np.zeros(capacity, dtype=dtype)  # noqa: E731
    return Teachers(
        ids=np.empty(capacity, dtype=object), active=z(bool), school=z(np.int32), post=z(np.int32),
        age=z(np.int8), female=z(bool), degree=z(np.int8), title=z(np.int8), backbone=z(np.int8),
        pe_art=z(bool), years_at_school=z(np.int8), rural_years=z(np.int8),
        exchange_left=z(np.int8), training_cycle=z(np.int8),
    )


def _capacity(n: int, years: int, hires_share: float) -> int:
    # Room for a decade of hires at the policy's largest rate, so the loop never reallocates.
    return int(n * (1 + hires_share * max(years, 1)) + 64)


def _rank_within(per_school: np.ndarray, county: np.ndarray, rng: CountyDraws) -> np.ndarray:
    """A random rank 0..k−1 of each teacher within its school (teachers school by school,
    per_school[s] of school s), from one draw per teacher of its county's stream."""
    return rank_in_runs(rng.random(county), per_school)


def synthesise(schools: Schools, counts: np.ndarray, policy, start_year: int,
               rng: CountyDraws, years: int) -> Teachers:
    """A roster matching `counts` (S × 5: teachers, above degree, mid/senior, backbone, PE/arts),
    school by school; each county's teachers draw from its own stream in turn (`rng`), so a
    county's roster in a table of many counties is the one it has alone."""
    per_school = counts[:, 0].astype(np.int64)
    n = int(per_school.sum())
    school = np.repeat(np.arange(schools.n, dtype=np.int32), per_school)
    county = schools.county[school]
    per_county = np.bincount(county, minlength=rng.counties)
    capacity = sum(_capacity(int(k), years, policy.teachers.max_hires_share) for k in per_county)
    t = empty_teachers(capacity)
    t.n = n
    t.active[:n] = True
    t.school[:n] = school
    t.post[:n] = school
    female = rng.random(county) < policy.roster.female_share
    retire = np.where(
        female,
        policy.teachers.retirement_age.female.at(start_year),
        policy.teachers.retirement_age.male.at(start_year),
    )
    low = policy.roster.min_age
    age = low + np.floor(rng.random(county) * np.maximum(retire - low, 1)).astype(np.int64)
    t.age[:n] = age
    t.female[:n] = female
    level = schools.level[school]
    # Each attribute independently: the first k teachers of a random order within the school.
    above = _rank_within(per_school, county, rng) < counts[school, 1]
    lower = ABOVE_DEGREE_MIN[level]
    t.degree[:n] = np.where(above, lower + (rng.random(county) < 0.3), np.maximum(lower - 1, 0))
    mid = _rank_within(per_school, county, rng) < counts[school, 2]
    t.title[:n] = np.where(mid, 2 + (rng.random(county) < 0.3), (age > low + 1).astype(np.int8))
    backbone = _rank_within(per_school, county, rng) < counts[school, 3]
    t.backbone[:n] = np.where(backbone, 1 + (rng.random(county) < 0.2), 0)
    t.pe_art[:n] = _rank_within(per_school, county, rng) < counts[school, 4]
    tenure_cap = np.minimum(age - low + 1, policy.roster.max_years_at_school + 1)
    years_here = np.floor(rng.random(county) * tenure_cap).astype(np.int64)
    t.years_at_school[:n] = years_here
    t.rural_years[:n] = np.where(schools.rural[school], years_here, 0)
    # Each county numbers its teachers from T000000 (its slots are contiguous, county by county).
    first_of_county = np.cumsum(per_county) - per_county
    t.ids[:n] = _default_ids(int(per_county.max(initial=0)))[np.arange(n) - first_of_county[county]]
    return t


def _factor(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    """(code per row, −1 where empty; the distinct values as stripped text): words are looked up
    once per distinct value, not once per teacher. Arrow-backed text is encoded by Arrow (about
    twice as fast as pandas.factorize on it)."""
    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        array = pa.array(series.array)
        if isinstance(array, pa.ChunkedArray):  # e.g. after pandas.concat
            array = array.combine_chunks()
        encoded = array.dictionary_encode()
        codes = pc.fill_null(encoded.indices, -1).to_numpy().astype(np.int64)
        return codes, [u.strip() for u in encoded.dictionary.to_pylist()]
    codes, uniques = pd.factorize(series)
    return codes, [str(u).strip() for u in uniques]


def _codes(frame: pd.DataFrame, column: str, words: tuple[str, ...], default: str | None) -> np.ndarray:
    if column not in frame:
        if default is None:
            raise InputError(Problem("teachers", None, column, "column missing"))
        return np.full(len(frame), words.index(default), dtype=np.int8)
    codes, uniques = _factor(frame[column])
    lookup = {w: i for i, w in enumerate(words)}
    text = [u.lower() for u in uniques] + [default or ""]  # the last entry: empty cells
    mapped = np.array([lookup.get(u, -1) for u in text], dtype=np.int64)[codes]
    bad = np.flatnonzero(mapped < 0)
    if len(bad):
        problems = [
            Problem("teachers", int(i) + 2, column, f"unknown value {text[codes[i]]!r}; expected one of {', '.join(words)}")
            for i in bad[:20]
        ]
        raise InputError(problems)
    return mapped.astype(np.int8)


def _sections(frame: pd.DataFrame, schools: Schools) -> np.ndarray:
    """Index of each teacher's school section, from (school_id, level); −1 when there is none."""
    if "level" not in frame:
        raise InputError(Problem("teachers", None, "level", "column missing"))
    ids, id_words = _factor(frame["school_id"])
    levels, level_words = _factor(frame["level"])
    position = {(str(i), int(lv)): k for k, (i, lv) in enumerate(zip(schools.ids, schools.level))}
    level_code = [LEVEL_WORDS.index(w.lower()) if w.lower() in LEVEL_WORDS else -1 for w in level_words]
    # (distinct ids + 1) × (distinct levels + 1); the last row and column catch empty cells (−1).
    table = np.array([[position.get((i, lv), -1) for lv in level_code] + [-1] for i in id_words]
                     + [[-1] * (len(level_code) + 1)], dtype=np.int64)
    return table[ids, levels]


class RosterColumns(NamedTuple):
    """What the roster says, per teacher, before the policy is applied, in the Teachers' dtypes
    (read once per County and base year; arrays read-only). None: the column is absent and the
    policy's default applies."""

    school: np.ndarray  # int32 section index
    age_given: np.ndarray  # int64, in the base year
    age: np.ndarray  # int8, clipped to 0–120
    female: np.ndarray  # bool
    degree: np.ndarray  # int8
    title: np.ndarray  # int8
    backbone: np.ndarray  # int8
    pe_art: np.ndarray | None  # bool
    years_at_school: np.ndarray | None  # int8, clipped to 0–100
    rural_years: np.ndarray | None  # int8, clipped to 0–100
    ids: np.ndarray | None  # object: teacher_id


def read_roster(frame: pd.DataFrame, schools: Schools, start_year: int) -> RosterColumns:
    """The roster's columns as arrays (canonical columns; values already validated)."""
    school = _sections(frame, schools)
    if (school < 0).any():
        rows = np.flatnonzero(school < 0)[:20]
        level, school_id = frame["level"].astype("string"), frame["school_id"].astype("string")
        raise InputError([
            Problem("teachers", int(i) + 2, "school_id", f"no {str(level.iloc[i]).strip().lower()} section of school "
                    f"{str(school_id.iloc[i])!r} in the schools table")
            for i in rows
        ])
    if "birth_year" in frame and frame["birth_year"].notna().all():
        age = start_year - pd.to_numeric(frame["birth_year"]).to_numpy(dtype=np.int64)
    elif "age" in frame and frame["age"].notna().all():
        age = pd.to_numeric(frame["age"]).to_numpy(dtype=np.int64)
    else:
        raise InputError(Problem("teachers", None, "birth_year", "every teacher needs birth_year or age"))
    sex = _codes(frame, "sex", ("male", "female"), None)
    degree = _codes(frame, "degree", DEGREES, None)
    title = _codes(frame, "title", TITLES, None)
    backbone = _codes(frame, "backbone", BACKBONE, "none")
    pe_art = None
    if "subject" in frame:
        codes, subjects = _factor(frame["subject"])
        pe_art = np.array([w.lower() in PE_ART_SUBJECTS for w in subjects] + [False])[codes]
    columns = RosterColumns(
        school=school.astype(np.int32), age_given=age, age=np.clip(age, 0, 120).astype(np.int8), female=sex == 1,
        degree=degree, title=title, backbone=backbone, pe_art=pe_art,
        years_at_school=_whole_numbers(frame, "years_at_school"), rural_years=_whole_numbers(frame, "rural_service_years"),
        ids=_ids(frame["teacher_id"]) if "teacher_id" in frame else None,
    )
    for array in columns:
        if array is not None:
            array.flags.writeable = False  # shared by every run of the County: never changed
    return columns


def _ids(series: pd.Series) -> np.ndarray:
    texts = plain_texts(series)
    return texts if texts is not None else series.astype(str).to_numpy(dtype=object)


def _whole_numbers(frame: pd.DataFrame, column: str) -> np.ndarray | None:
    """Years (tenure, rural service) as int8, empty cells 0, clipped to 0–100; None when absent."""
    if column not in frame:
        return None
    return np.clip(pd.to_numeric(frame[column]).fillna(0).to_numpy(dtype=np.int64), 0, 100).astype(np.int8)


def teachers_from(columns: RosterColumns, schools: Schools, policy, years: int) -> Teachers:
    """Teacher arrays from the roster's columns, with room for `years` years of hires; tenure
    and rural service the roster lacks are derived from age (policy.roster)."""
    n = len(columns.school)
    t = empty_teachers(_capacity(n, years, policy.teachers.max_hires_share))
    t.n = n
    t.active[:n] = True
    t.school[:n] = columns.school
    t.post[:n] = columns.school
    t.age[:n] = columns.age
    t.female[:n] = columns.female
    t.degree[:n] = columns.degree
    t.title[:n] = columns.title
    t.backbone[:n] = columns.backbone
    if columns.pe_art is not None:
        t.pe_art[:n] = columns.pe_art
    if columns.years_at_school is not None:
        t.years_at_school[:n] = columns.years_at_school
    else:
        years_here = np.clip(columns.age_given - policy.roster.min_age, 0, policy.roster.max_years_at_school)
        t.years_at_school[:n] = np.clip(years_here, 0, 100)
    if columns.rural_years is not None:
        t.rural_years[:n] = columns.rural_years
    else:  # years of rural service: the years at this school when it is rural
        t.rural_years[:n] = np.where(schools.rural[columns.school], t.years_at_school[:n], 0)
    t.ids[:n] = columns.ids if columns.ids is not None else _default_ids(n)
    return t


def from_roster(frame: pd.DataFrame, schools: Schools, policy, start_year: int, years: int) -> Teachers:
    """Teacher arrays from the county's roster (canonical columns; values already validated)."""
    return teachers_from(read_roster(frame, schools, start_year), schools, policy, years)


_DEFAULT_IDS: list[np.ndarray] = [np.zeros(0, dtype=object)]


def _default_ids(n: int) -> np.ndarray:
    """T000000, T000001, … for a roster without ids (read-only): the first n of one table, grown
    when a larger county asks, so the counties of a province share the same strings."""
    if len(_DEFAULT_IDS[0]) < n:
        ids = np.array([f"T{i:06d}" for i in range(max(n, 2 * len(_DEFAULT_IDS[0])))], dtype=object)
        ids.flags.writeable = False
        _DEFAULT_IDS[0] = ids
    return _DEFAULT_IDS[0][:n]


LEVEL_WORDS = ("primary", "junior")
