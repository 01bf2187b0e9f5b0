"""The numbers of synthetic school sections: pupils, classes, teachers and their sub-counts,
buildings, equipment, books, computers, multimedia rooms, public funds and pupil groups.

Each quantity is the level's base (calibration.yaml `levels`) times the section's role multiplier
(`roles`), a weak-school multiplier (`weak_school`) and lognormal noise (`noise`); a county's `gap`
scales the distance of every multiplier from 1 and every noise spread, its `wealth` scales
resources per pupil. Teachers are set so that each county and level reaches its pupil-teacher
ratio (docs/sources.md#national-statistics); sub-counts are binomial draws, so they never exceed the totals.
Given level totals (the national case, `national.py`), every section's pupils of a level are scaled
by one factor so that the level reaches its total, and every county's ratio by one factor so that
the teachers do.
"""
from __future__ import annotations

import numpy as np

from balance_sim.datasets import calibration as cal
from balance_sim.datasets import thresholds
from balance_sim.datasets.layout import Layout


def _spread(mult: np.ndarray, gap: np.ndarray) -> np.ndarray:
    # gap 0: every section at the base; gap 1: the calibrated multipliers
    return np.maximum(1.0 + gap * (mult - 1.0), 0.02)


def _noise(rng: np.random.Generator, sigma: float, gap: np.ndarray) -> np.ndarray:
    return np.exp(sigma * gap * rng.standard_normal(len(gap)))


def _binomial(rng: np.random.Generator, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    return rng.binomial(n, np.clip(p, 0.0, 1.0)).astype(np.int64)


def _pupils_and_classes(rng, role, level, gap, students_total=None) -> tuple[np.ndarray, np.ndarray]:
    median, sigma = cal.role_array("students_median")[role], cal.role_array("students_sigma")[role]
    students = median * np.exp(sigma * rng.standard_normal(len(role)))
    students = np.clip(np.floor(students + 0.5), cal.role_array("students_min")[role], cal.role_array("students_max")[role]).astype(np.int64)
    if students_total is not None:
        # one factor per level: the role medians keep their proportions, the level its total
        drawn = np.bincount(level, weights=students, minlength=2)
        factor = np.where(drawn > 0, students_total / np.maximum(drawn, 1), 1.0)
        students = np.maximum(np.floor(students * factor[level] + 0.5), 1).astype(np.int64)
    size = cal.level_array("class_size_base")[level] * _spread(cal.role_array("class_size_mult")[role], gap)
    size = size * _noise(rng, cal.value("noise", "class_size"), gap)
    classes = np.clip(np.floor(students / size + 0.5), cal.role_array("min_classes")[role], cal.role_array("max_classes")[role])
    classes = np.minimum(classes, np.maximum(students, 1)).astype(np.int64)
    return students, classes


def _teachers(rng, role, level, gap, students, classes, county, ratio) -> np.ndarray:
    """Full-time teachers; each county's level total gives pupils / teachers ≈ `ratio[county, level]`."""
    per_teacher = cal.level_array("pupil_teacher_ratio")[level] * _spread(cal.role_array("pupil_teacher_mult")[role], gap)
    raw = students / per_teacher * _noise(rng, cal.value("noise", "pupil_teacher"), gap)
    raw = np.maximum(raw, classes * cal.role_array("teachers_per_class_min")[role])
    # scale each (county, level) so that its total meets the target ratio
    group = county * 2 + level
    n_groups = 2 * (county.max() + 1)
    pupils_sum = np.bincount(group, weights=students, minlength=n_groups)
    raw_sum = np.bincount(group, weights=raw, minlength=n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(raw_sum > 0, pupils_sum / ratio.reshape(-1) / raw_sum, 1.0)
    return np.maximum(np.floor(raw * factor[group] + 0.5), 1).astype(np.int64)


def _ratio_for_teachers(ratio, county, level, students, teachers_total) -> np.ndarray:
    """County ratios times one factor per level, so that all counties' teachers reach `teachers_total`
    (a county's teachers are its pupils over its ratio, `_teachers`)."""
    n_counties = ratio.shape[0]
    pupils = np.bincount(county * 2 + level, weights=students, minlength=2 * n_counties).reshape(n_counties, 2)
    implied = (pupils / ratio).sum(axis=0)
    factor = np.where(teachers_total > 0, implied / np.maximum(teachers_total, 1), 1.0)
    return ratio * factor[None, :]


def _teacher_counts(rng, role, level, gap, wealth, weak, teachers, students) -> dict[str, np.ndarray]:
    sigma = cal.value("noise", "teacher_share")
    weak_backbone = np.where(weak, _spread(np.full(len(role), cal.value("weak_school", "backbone")), gap), 1.0)
    weak_pe_art = np.where(weak, _spread(np.full(len(role), cal.value("weak_school", "pe_art")), gap), 1.0)
    below = (1.0 - cal.level_array("above_degree_share")[level]) * _spread(cal.role_array("below_degree_mult")[role], gap) / wealth
    title = cal.level_array("mid_senior_title_share")[level] * _spread(cal.role_array("mid_senior_title_mult")[role], gap)
    backbone = cal.level_array("backbone_share")[level] * _spread(cal.role_array("backbone_mult")[role], gap) * weak_backbone * wealth
    pe_art = cal.level_array("pe_art_share")[level] * _spread(cal.role_array("pe_art_mult")[role], gap) * weak_pe_art * np.sqrt(wealth)
    counts = {
        "teachers_above_degree": teachers - _binomial(rng, teachers, below * _noise(rng, sigma, gap)),
        "teachers_mid_senior_title": _binomial(rng, teachers, np.minimum(title * _noise(rng, sigma / 2, gap), 0.95)),
        "backbone_teachers": _binomial(rng, teachers, np.minimum(backbone * _noise(rng, sigma, gap), 0.6)),
        "pe_art_teachers": _binomial(rng, teachers, np.minimum(pe_art * _noise(rng, sigma, gap), 0.5)),
    }
    # Counties with small gaps staff each school to the per-school minimums (itinerant PE and arts
    # teachers, backbone teachers posted to small schools; docs/sources.md#lever-teachers); the share of
    # schools so staffed falls to 0 at `guarantee_gap`.
    staffed = rng.random(len(role)) < np.clip(1.0 - gap / cal.value("staffing", "guarantee_gap"), 0.0, 1.0)
    minimums = thresholds.quality_minimums()
    for column, key in (("backbone_teachers", "backbone_teachers_per_100"), ("pe_art_teachers", "pe_art_teachers_per_100")):
        needed = np.ceil(np.asarray(minimums[key])[level] * students / 100.0).astype(np.int64)
        counts[column] = np.where(staffed, np.maximum(counts[column], np.minimum(needed, teachers)), counts[column])
    return counts


def _facilities(rng, role, level, gap, wealth, weak, students, classes) -> dict[str, np.ndarray]:
    sigma = cal.value("noise", "facilities")
    out = {}
    specs = [  # column, level base, role multiplier, weak-school key, rounding step
        ("teaching_area_m2", "teaching_area_per_student", "teaching_area_mult", "teaching_area", 0.1),
        ("sports_area_m2", "sports_area_per_student", "sports_area_mult", None, 0.1),
        ("equipment_value_yuan", "equipment_value_per_student", "equipment_mult", "equipment", 100.0),
        ("books", "books_per_student", "books_mult", "books", 1),
        ("computers", "computers_per_100", "computers_mult", "computers", 1),
    ]
    for column, base, mult, weak_key, step in specs:
        per_pupil = cal.level_array(base)[level] * _spread(cal.role_array(mult)[role], gap) * wealth
        if weak_key:
            per_pupil = per_pupil * np.where(weak, _spread(np.full(len(role), cal.value("weak_school", weak_key)), gap), 1.0)
        per = 100.0 if column == "computers" else 1.0
        amount = students / per * per_pupil * _noise(rng, sigma, gap)
        rounded = np.floor(amount / step + 0.5) * step
        out[column] = rounded.astype(np.int64) if step == 1 else np.round(rounded, 1)
    per_class = cal.level_array("multimedia_per_class")[level] * _spread(cal.role_array("multimedia_per_class")[role], gap)
    rooms = classes * per_class * wealth
    rooms = rooms * np.where(weak, _spread(np.full(len(role), cal.value("weak_school", "multimedia")), gap), 1.0)
    out["multimedia_classrooms"] = np.floor(rooms * _noise(rng, cal.value("noise", "multimedia"), gap) + 0.5).astype(np.int64)
    return out


def _pupil_groups(rng, role, level, gap, students) -> dict[str, np.ndarray]:
    sigma = cal.value("noise", "pupil_groups")
    boarding = _binomial(rng, students, cal.role_array("boarding_share")[role] * _noise(rng, sigma, gap))
    migrant = _binomial(rng, students, cal.role_array("migrant_share")[role] * _noise(rng, sigma, gap))
    left_behind = _binomial(rng, students - migrant, cal.role_array("left_behind_share")[role] * _noise(rng, sigma, gap))
    small = cal.value("levels", "public_funds_small_school")
    funds = cal.level_array("public_funds_benchmark")[level] * np.maximum(students, small)
    funds = funds + cal.value("levels", "public_funds_boarding_supplement") * boarding
    funds = np.floor(funds * (1.0 + cal.value("levels", "public_funds_topup_max") * rng.random(len(role))) + 0.5)
    return {
        "public_funds_yuan": funds,
        "boarding_students": boarding,
        "migrant_students": migrant,
        "left_behind_students": left_behind,
    }


def section_numbers(layout: Layout, wealth: np.ndarray, gap: np.ndarray, ratio: np.ndarray, rng: np.random.Generator,
                    *, level_totals: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Every numeric column of the schools table, one element per section of `layout`.

    wealth, gap: one value per county; ratio: (n_counties, 2) pupils per teacher, primary and junior.
    level_totals: optional {"students": (primary, junior), "teachers": (primary, junior)} over all
    counties; pupils are scaled to them and the county ratios moved by one factor per level, so
    the counties keep their differences. Without it (every county and the demo data) nothing is
    rescaled and no extra random number is drawn.
    """
    role, county = layout.role, layout.county
    level = cal.ROLE_LEVEL[role].astype(np.int64)
    g, w = gap[county], wealth[county]
    ratio = np.asarray(ratio, dtype=float)
    students_total = None if level_totals is None else np.asarray(level_totals["students"], float)
    students, classes = _pupils_and_classes(rng, role, level, g, students_total)
    weak = rng.random(len(role)) < np.clip(cal.role_array("weak_probability")[role] * g, 0.0, 0.8)
    if level_totals is not None:
        ratio = _ratio_for_teachers(ratio, county, level, students, np.asarray(level_totals["teachers"], float))
    teachers = _teachers(rng, role, level, g, students, classes, county, ratio)
    out = {"students": students, "classes": classes, "teachers": teachers}
    out.update(_teacher_counts(rng, role, level, g, w, weak, teachers, students))
    out.update(_facilities(rng, role, level, g, w, weak, students, classes))
    out.update(_pupil_groups(rng, role, level, g, students))
    out["weak_school"] = weak
    return out
