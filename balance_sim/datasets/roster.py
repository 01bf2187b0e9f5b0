"""A teacher roster consistent with a schools table: one row per full-time teacher (vectorised).

Summed per section, the roster gives exactly `teachers`, `teachers_above_degree` (associate+
primary, bachelor+ junior), `teachers_mid_senior_title` (intermediate, senior, professor),
`backbone_teachers` (county level or higher) and `pe_art_teachers` (pe, music, art) — the
definitions of docs/sources.md#quality-2017. Within a section the flags go to the teachers most likely to hold
them: degrees to the younger, titles to the older, backbone status to titled mid-career teachers;
rural teachers are older and stay longer (calibration.yaml `roles`, `teachers`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from balance_sim.datasets import calibration as cal

ROSTER_COLUMNS = [
    "teacher_id", "school_id", "level", "birth_year", "age", "sex", "degree", "title",
    "backbone", "subject", "years_at_school", "rural_service_years",
]
SEXES = ("male", "female")
DEGREES = ("secondary", "associate", "bachelor", "postgraduate")
TITLES = ("none", "junior", "intermediate", "senior", "professor")
BACKBONE = ("none", "county", "city", "province", "national")
SUBJECTS = ("chinese", "math", "english", "science", "pe", "music", "art", "it", "moral", "other")
COUNT_COLUMNS = ["teachers_above_degree", "teachers_mid_senior_title", "backbone_teachers", "pe_art_teachers"]


def roles_of(schools: pd.DataFrame) -> np.ndarray:
    """The calibration role of each section, from its level, location, type and size."""
    level = schools["level"].astype(str).to_numpy()
    location = schools["location"].astype(str).to_numpy()
    school_type = schools["school_type"].astype(str).to_numpy() if "school_type" in schools else np.full(len(schools), "regular")
    small = schools["students"].to_numpy() < 200
    names = np.where(
        level == "junior",
        np.char.add(location.astype(str), "_junior"),
        np.where(location == "urban", "urban_primary", np.where(location == "town", "town_central", np.where(small, "village", "rural_central"))),
    )
    names = np.where((level == "primary") & (school_type == "teaching_point"), "teaching_point", names)
    return np.array([cal.role_code(n) for n in names], dtype=np.int64) if len(names) else np.zeros(0, dtype=np.int64)


def _rank_within(section: np.ndarray, key: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """0-based rank of each teacher's key within its section (teachers are grouped by section)."""
    # one float sort: sections apart by more than the key's range (faster than lexsort)
    key = np.asarray(key, dtype=float)
    span = float(key.max() - key.min()) + 1.0 if len(key) else 1.0
    order = np.argsort(section * span + (key - (key.min() if len(key) else 0.0)))
    rank = np.empty(len(section), dtype=np.int64)
    rank[order] = np.arange(len(section)) - starts[section[order]]
    return rank


def _pick(rng: np.random.Generator, choices: dict[str, float], n: int, vocabulary: tuple[str, ...]) -> np.ndarray:
    """Codes into `vocabulary` drawn with the calibration's probabilities."""
    codes = np.array([vocabulary.index(word) for word in choices], dtype=np.int8)
    p = np.array(list(choices.values()), dtype=float)
    return codes[rng.choice(len(codes), size=n, p=p / p.sum())]


def _text(codes: np.ndarray, vocabulary) -> pd.api.extensions.ExtensionArray:
    # strings built by pyarrow from codes: far faster than from Python objects
    words = pa.DictionaryArray.from_arrays(pa.array(np.asarray(codes, dtype=np.int32)), pa.array(list(vocabulary), type=pa.large_string()))
    return pd.array(words.cast(pa.large_string()), dtype="str")


def _ages(rng, role, female) -> np.ndarray:
    lo = cal.value("teachers", "min_age")
    hi = np.where(female, cal.value("teachers", "max_age_female"), cal.value("teachers", "max_age_male"))
    age = np.floor(cal.role_array("mean_age")[role] + cal.value("teachers", "age_sd") * rng.standard_normal(len(role)) + 0.5)
    outside = (age < lo) | (age > hi)
    # ages outside working life are redrawn uniformly inside it
    age = np.where(outside, lo + np.floor(rng.random(len(role)) * (hi - lo + 1)), age)
    return age.astype(np.int64)


def _words(rng, n, flags, junior, age) -> dict[str, np.ndarray]:
    """Codes of degree, title, backbone grade and subject that honour the section flags."""
    above, titled, backbone, pe_art = flags
    t = lambda name: cal.value("teachers", name)  # noqa: E731
    degree = np.where(
        junior,
        np.where(above, _pick(rng, t("degree_above_junior"), n, DEGREES), _pick(rng, t("degree_below_junior"), n, DEGREES)),
        np.where(above, _pick(rng, t("degree_above_primary"), n, DEGREES), _pick(rng, t("degree_below_primary"), n, DEGREES)),
    )
    untitled = np.where(age <= t("untitled_young_age"), TITLES.index("none"), TITLES.index("junior"))
    title = np.where(titled, _pick(rng, t("title_mid_senior"), n, TITLES), untitled)
    title = np.where((title == TITLES.index("professor")) & (age < t("professor_min_age")), TITLES.index("senior"), title)
    title = np.where((title == TITLES.index("senior")) & (age < t("senior_min_age")), TITLES.index("intermediate"), title)
    subject = np.where(
        pe_art,
        _pick(rng, t("pe_art_subject"), n, SUBJECTS),
        np.where(junior, _pick(rng, t("other_subject_junior"), n, SUBJECTS), _pick(rng, t("other_subject_primary"), n, SUBJECTS)),
    )
    grade = np.where(backbone, _pick(rng, t("backbone_grade"), n, BACKBONE), BACKBONE.index("none"))
    return {"degree": degree, "title": title, "backbone": grade, "subject": subject}


def _service(rng, role, rural, age, title) -> tuple[np.ndarray, np.ndarray]:
    career = age - cal.value("teachers", "min_age")
    years = np.minimum(career, np.floor(rng.exponential(cal.role_array("years_at_school_mean")[role]))).astype(np.int64)
    before = career - years  # years of teaching before this school
    past = np.floor(rng.random(len(age)) * (before + 1)).astype(np.int64)
    had_rural_post = rng.random(len(age)) < cal.value("teachers", "rural_past_share")
    rural_years = np.where(rural, years + np.floor(past / 2).astype(np.int64), np.where(had_rural_post, past, 0))
    if cal.value("teachers", "senior_needs_rural_year"):
        # a senior title needs a year of rural service (docs/sources.md#teachers, docs/sources.md#jilin-2011)
        needs = ~rural & (title >= TITLES.index("senior")) & (rural_years < 1)
        rural_years = np.where(needs, 1, rural_years)
        years = np.where(needs, np.minimum(years, career - 1), years)
    return years, rural_years


def _number_in_school(schools, size, section, starts) -> np.ndarray:
    """1-based number of each teacher within its school_id (a nine-year school's sections share it)."""
    before = pd.Series(size).groupby(schools["school_id"].astype(str).to_numpy(), sort=False).cumsum().to_numpy() - size
    return before[section] + np.arange(len(section)) - starts[section] + 1


def synthesise_roster(schools: pd.DataFrame, rng: np.random.Generator, year: int | None = None) -> pd.DataFrame:
    """One row per teacher of `schools` (a canonical schools table), consistent with its counts.

    Missing count columns are treated as 0. `year` (default: calibration reference year) turns
    ages into birth years.
    """
    year = cal.value("reference_year") if year is None else year
    size = schools["teachers"].to_numpy(dtype=np.int64)
    n = int(size.sum())
    section = np.repeat(np.arange(len(schools)), size)
    starts = np.cumsum(size) - size
    role = roles_of(schools)[section] if n else np.zeros(0, dtype=np.int64)
    junior = (schools["level"].astype(str).to_numpy() == "junior")[section]
    rural = (schools["location"].astype(str).to_numpy() == "rural")[section]
    counts = {c: (schools[c].fillna(0).to_numpy(dtype=np.int64) if c in schools else np.zeros(len(schools), dtype=np.int64))[section] for c in COUNT_COLUMNS}

    female = rng.random(n) < cal.role_array("female_share")[role]
    age = _ages(rng, role, female)
    above = _rank_within(section, age + 8.0 * rng.standard_normal(n), starts) < counts["teachers_above_degree"]
    titled = _rank_within(section, -age + 5.0 * rng.standard_normal(n), starts) < counts["teachers_mid_senior_title"]
    backbone_key = -20.0 * titled + np.abs(age - 42) + 6.0 * rng.standard_normal(n)
    backbone = _rank_within(section, backbone_key, starts) < counts["backbone_teachers"]
    pe_art = _rank_within(section, rng.random(n), starts) < counts["pe_art_teachers"]
    words = _words(rng, n, (above, titled, backbone, pe_art), junior, age)
    years, rural_years = _service(rng, role, rural, age, words["title"])

    ids = pa.array(list(schools["school_id"].astype(str)), type=pa.large_string())
    number = _number_in_school(schools, size, section, starts)
    width = max(3, len(str(int(number.max())))) if n else 3
    padded = pc.utf8_lpad(pa.array(number).cast(pa.large_string()), width=width, padding="0")
    school_id = pa.DictionaryArray.from_arrays(pa.array(section.astype(np.int32)), ids).cast(pa.large_string())
    columns = {
        "teacher_id": pd.array(pc.binary_join_element_wise(pa.scalar("T", pa.large_string()), school_id, padded, pa.scalar("", pa.large_string())), dtype="str"),
        "school_id": pd.array(school_id, dtype="str"),
        "level": _text(junior.astype(np.int8), cal.LEVELS),
        "birth_year": (year - age).astype(np.int64), "age": age,
        "sex": _text(female.astype(np.int8), SEXES),
        "degree": _text(words["degree"], DEGREES), "title": _text(words["title"], TITLES),
        "backbone": _text(words["backbone"], BACKBONE), "subject": _text(words["subject"], SUBJECTS),
        "years_at_school": years, "rural_service_years": rural_years,
    }
    return pd.DataFrame(columns)[ROSTER_COLUMNS]
