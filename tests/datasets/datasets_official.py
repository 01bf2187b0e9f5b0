"""A small, independent restatement of the official arithmetic (docs/sources.md#cv–§3) for the tests.

Deliberately written without the package's indicator or CV code, so that the demo data's
verdicts are checked by a second computation.
"""
import math

BASIC = {  # key: (numerator column, per)
    "teaching_area": ("teaching_area_m2", 1), "sports_area": ("sports_area_m2", 1),
    "equipment": ("equipment_value_yuan", 1), "computers": ("computers", 100), "books": ("books", 1),
    "teachers": ("teachers", 100), "above_degree": ("teachers_above_degree", 100),
    "mid_senior": ("teachers_mid_senior_title", 100),
}
QUALITY = {  # key: (numerator column, per, primary minimum, junior minimum)
    "above_degree": ("teachers_above_degree", 100, 4.2, 5.3), "backbone": ("backbone_teachers", 100, 1.0, 1.0),
    "pe_art": ("pe_art_teachers", 100, 0.9, 0.9), "teaching_area": ("teaching_area_m2", 1, 4.5, 5.8),
    "sports_area": ("sports_area_m2", 1, 7.5, 10.2), "equipment": ("equipment_value_yuan", 1, 2000, 2500),
    "multimedia": ("multimedia_classrooms", 100, 2.3, 2.4),
}
BASIC_CEILING = {"primary": 0.65, "junior": 0.55}
QUALITY_CEILING = {"primary": 0.50, "junior": 0.45}


def weighted_cv(values, weights):
    total = sum(weights)
    mean = sum(w * x for w, x in zip(weights, values)) / total
    variance = sum(w * (x - mean) ** 2 for w, x in zip(weights, values)) / total
    return math.sqrt(variance) / mean


def _records(schools, county, level):
    keep = (schools["level"] == level) & (schools["students"] > 0)
    if county is not None:
        keep &= schools["county"] == county
    return schools[keep].to_dict("records")


def comprehensive_cv(schools, level, county=None):
    """basic-2012: plain mean of the eight CVs, teaching points left out."""
    rows = [r for r in _records(schools, county, level) if r["school_type"] != "teaching_point"]
    pupils = [r["students"] for r in rows]
    cvs = [weighted_cv([r[col] / r["students"] * per for r in rows], pupils) for col, per in BASIC.values()]
    return sum(cvs) / len(cvs)


def quality_result(schools, level, county=None):
    """quality-2017: (the seven CVs, number of schools, number meeting 6 of 7 with the rest ≥ 85%)."""
    i = 0 if level == "primary" else 1
    rows = [r for r in _records(schools, county, level) if r["school_type"] != "teaching_point" or r["students"] >= 50]
    pupils = [r["students"] for r in rows]
    cvs = {k: weighted_cv([r[spec[0]] / r["students"] * spec[1] for r in rows], pupils) for k, spec in QUALITY.items()}
    meeting = 0
    for r in rows:
        shares = [r[spec[0]] / r["students"] * spec[1] / spec[2 + i] for spec in QUALITY.values()]
        if sum(s >= 1 for s in shares) >= 6 and min(shares) >= 0.85:
            meeting += 1
    return cvs, len(rows), meeting


def passes_basic(schools, level, county=None):
    return comprehensive_cv(schools, level, county) <= BASIC_CEILING[level]


def passes_quality(schools, level, county=None):
    cvs, n, meeting = quality_result(schools, level, county)
    return max(cvs.values()) <= QUALITY_CEILING[level] and meeting == n
