"""The demo county's data for the other three parts of quality-2017 (docs/sources.md#quality-2017-checklist): school columns
(music and art rooms, class-size bins, catchment pupils, certificates, training, teachers by
degree) and the county table (pay, exchange, quotas, children, retention, monitoring, survey,
evidence). Seeded; numbers in calibration.yaml `checklist`, each with its source.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtr

from balance_sim.datasets import calibration as cal

CHECKLIST_COLUMNS = [
    "music_rooms", "music_room_area_m2", "art_rooms", "art_room_area_m2", "indoor_sports_area_m2",
    "dense_urban", "extra_sports_area_m2", "itinerant_pe_art_teachers", "classes_over_45", "classes_over_50",
    "classes_over_56", "classes_over_66", "catchment_students", "certified_teachers",
    "training_completed_teachers", "training_spending_yuan", "teachers_associate", "teachers_bachelor",
    "teachers_postgraduate",
]
BINS = (45, 50, 56, 66)  # docs/sources.md#quality-2017-checklist class-size limits, §9 large and super-large classes


def _c(name: str):
    return cal.value("checklist", name)


def class_bins(students, classes, rng) -> dict[str, np.ndarray]:
    """Classes over 45, 50, 56 and 66 pupils: class sizes spread normally around the section's
    average; nested (over 66 ≤ over 56 ≤ …) and at least one class over a limit the average exceeds."""
    students, classes = np.asarray(students, float), np.asarray(classes, np.int64)
    average = np.where(classes > 0, students / np.maximum(classes, 1), 0.0)
    spread = _c("class_size_spread")
    counts, above = {}, classes
    for limit in BINS:
        with np.errstate(divide="ignore", invalid="ignore"):
            p_over = np.where(average > 0, 1.0 - ndtr((limit / np.maximum(average, 1e-9) - 1.0) / spread), 0.0)
        counts[limit] = rng.binomial(classes, np.clip(p_over, 0.0, 1.0))
    for limit in BINS:
        counts[limit] = np.where(average > limit, np.maximum(counts[limit], 1), counts[limit])
    for inner, outer in zip(BINS[-2::-1], BINS[:0:-1]):  # keep the bins nested
        counts[inner] = np.maximum(counts[inner], counts[outer])
    return {f"classes_over_{limit}": np.minimum(counts[limit], above).astype(np.int64) for limit in BINS}


def _rooms(schools: pd.DataFrame, rng) -> dict[str, np.ndarray]:
    n = len(schools)
    point = (schools["school_type"] == "teaching_point").to_numpy()
    rural = (schools["location"] == "rural").to_numpy()
    primary = (schools["level"] == "primary").to_numpy()
    need = np.ceil(schools["classes"].to_numpy() / _c("rooms_per_classes")).astype(np.int64)
    art = need - (rural & primary & (rng.random(n) < _c("rural_art_room_missing_share")))
    music_area = rng.uniform(*_c("music_room_area"), n)
    old = rural & (rng.random(n) < _c("rural_old_room_share"))
    music_area = np.where(old, rng.uniform(*_c("old_music_room_area"), n), music_area)
    return {
        "music_rooms": np.where(point, 0, need), "art_rooms": np.where(point, 0, art),
        "music_room_area_m2": np.where(point, 0.0, np.round(music_area, 1)),
        "art_room_area_m2": np.where(point, 0.0, np.round(rng.uniform(*_c("art_room_area"), n), 1)),
    }


def _by_degree(schools: pd.DataFrame, teachers: pd.DataFrame) -> dict[str, np.ndarray]:
    counts = teachers.groupby(["school_id", "level", "degree"]).size()
    key = pd.MultiIndex.from_arrays([schools["school_id"], schools["level"]])
    out = {}
    for degree in ("associate", "bachelor", "postgraduate"):
        by_section = counts.xs(degree, level="degree") if degree in counts.index.get_level_values("degree") else pd.Series(dtype=int)
        out[f"teachers_{degree}"] = by_section.reindex(key).fillna(0).to_numpy(dtype=np.int64)
    return out


def checklist_columns(schools: pd.DataFrame, teachers: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The schools table with the checklist columns appended (in CHECKLIST_COLUMNS order)."""
    n = len(schools)
    students, teachers_n = schools["students"].to_numpy(), schools["teachers"].to_numpy()
    junior_town = ((schools["level"] == "junior") & schools["location"].isin(["urban", "town"])).to_numpy()
    catchment = np.where(junior_town, np.floor(students * rng.uniform(*_c("junior_catchment_share"), n)), students)
    share = rng.uniform(*_c("training_funds_share"), n)
    columns = {
        **_rooms(schools, rng),
        "indoor_sports_area_m2": np.zeros(n), "dense_urban": np.zeros(n, dtype=bool),
        "extra_sports_area_m2": np.zeros(n), "itinerant_pe_art_teachers": np.zeros(n, dtype=np.int64),
        **class_bins(students, schools["classes"].to_numpy(), rng),
        "catchment_students": catchment.astype(np.int64), "certified_teachers": teachers_n.astype(np.int64),
        "training_completed_teachers": (teachers_n - rng.binomial(teachers_n, _c("training_not_completed_share"))).astype(np.int64),
        "training_spending_yuan": np.ceil(schools["public_funds_yuan"].to_numpy() * share),
        **_by_degree(schools, teachers),
    }
    return pd.concat([schools, pd.DataFrame({c: columns[c] for c in CHECKLIST_COLUMNS}, index=schools.index)], axis=1)


def county_table(schools: pd.DataFrame, teachers: pd.DataFrame, name: str, year: int) -> pd.DataFrame:
    """One row: the county's figures for the items that are not per school."""
    row = dict(_c("county_row"))
    eligible = int((teachers["years_at_school"] >= _c("exchange_min_years")).sum())
    rotated = int(round(eligible * _c("exchange_rotated_share")))
    junior = int(schools.loc[schools["level"] == "junior", "students"].sum())
    cohort = junior // 3  # one grade of the three junior grades
    moved = int(round(cohort * row.pop("junior_transfer_share")))
    retention, deaths = row.pop("junior_retention"), row["junior_deaths"]
    migrant = int(schools["migrant_students"].sum())
    evidence = row.pop("evidence")
    out = {
        "county": name, "year": year, "teacher_average_pay_yuan": float(row["teacher_average_pay_yuan"]),
        "civil_servant_average_pay_yuan": float(row["civil_servant_average_pay_yuan"]),
        "special_education_funds_per_pupil_yuan": float(row["special_education_funds_per_pupil_yuan"]),
        "exchange_eligible_teachers": eligible, "exchange_rotated_teachers": rotated,
        "exchange_rotated_backbone_teachers": int(round(rotated * _c("exchange_backbone_share"))),
        "quality_senior_high_places": row["quality_senior_high_places"], "quota_places_allocated": row["quota_places_allocated"],
        "quota_tilted_to_rural": row["quota_tilted_to_rural"],
        "migrant_children": migrant, "migrant_children_public_places": int(round(migrant * row["migrant_children_public_share"])),
        "disabled_children": row["disabled_children"], "disabled_children_enrolled": row["disabled_children_enrolled"],
        # graduates so that (graduates − in + out) ÷ (cohort − deaths) is the calibrated retention
        "junior_graduates": int(round(retention * (cohort - deaths))) + moved - moved // 2,
        "junior_transferred_in": moved, "junior_transferred_out": moved // 2,
        "grade7_enrolment_three_years_before": cohort, "junior_deaths": deaths,
        "monitoring_level": row["monitoring_level"], "monitoring_difference_rate": row["monitoring_difference_rate"],
        "survey_satisfaction_share": row["survey_satisfaction_share"],
    }
    for key in ("layout_plan", "unified_standards", "staffing_within_quota", "left_behind_care", "school_charters",
                "ict_use", "moral_education", "full_curriculum", "no_excessive_homework"):
        out[key] = bool(evidence)
    return pd.DataFrame([out])
