"""Apply a standard's rules to a schools table: which sections count (inclusion) and whether
each section meets the per-school rule (quality-2017: ≥ 6 of 7 minimums met, the rest ≥ 85%).
Sources: 教督〔2012〕3号, 教督〔2017〕6号 (docs/sources.md#basic-2012–§3).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from balance_sim.standards.model import Inclusion, Resources

TOLERANCE = 1e-9


def exclusion_reasons(schools: pd.DataFrame, inclusion: Inclusion) -> pd.Series:
    """Why each section is left out (string), or <NA> when it is counted. Same index as `schools`."""
    students = pd.to_numeric(schools["students"], errors="coerce").fillna(0).to_numpy()
    if "school_type" in schools:
        school_type = schools["school_type"].astype("string").fillna("regular").to_numpy()
    else:
        school_type = np.full(len(schools), "regular", dtype=object)
    reasons = pd.Series(pd.NA, index=schools.index, dtype="string")
    # Checked from the most general reason to the most specific; the first that applies is kept.
    if inclusion.teaching_point_min_students is not None:
        small = (school_type == "teaching_point") & (students < inclusion.teaching_point_min_students)
        reasons[small] = f"teaching point with fewer than {inclusion.teaching_point_min_students} pupils"
    for excluded_type in inclusion.exclude_school_types:
        reasons[school_type == excluded_type] = f"school type {excluded_type} is not counted"
    if inclusion.exclude_zero_enrolment:
        reasons[students <= 0] = "no pupils in this section"
    return reasons


def minimum_table(levels: pd.Series, resources: Resources) -> pd.DataFrame:
    """Per-section minimums (same index as `levels`), one column per indicator; NaN if none."""
    keys = list(resources.indicators)
    by_level = {lv: [resources.minimum(lv, k) for k in keys] for lv in resources.minimums}
    nan_row = [np.nan] * len(keys)
    rows = [by_level.get(level, nan_row) for level in levels.astype(str)]
    return pd.DataFrame(np.array(rows, dtype=float).reshape(len(rows), len(keys)), index=levels.index, columns=keys)


def meets_school_rule(values: pd.DataFrame, minimums: pd.DataFrame, resources: Resources) -> pd.Series:
    """Whether each section meets the per-school rule (nullable boolean; <NA> without minimums).

    A missing value counts as not met and as 0% of its minimum: what is not reported cannot be
    certified.
    """
    rule = resources.school_rule
    if rule is None:
        return pd.Series(pd.NA, index=values.index, dtype="boolean")
    ratio, met = ratio_and_met(values, minimums)
    ratio = ratio.fillna(0.0)
    n_met = met.sum(axis=1)
    # Unmet indicators must still reach the floor; met ones trivially do.
    floor_ok = (ratio >= rule.floor_ratio - TOLERANCE) | met
    ok = (n_met >= rule.min_met) & floor_ok.all(axis=1)
    return ok.astype("boolean")


def ratio_and_met(values: pd.DataFrame, minimums: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Value ÷ minimum, and whether the minimum is met (a missing value is not met)."""
    ratio = values / minimums
    # A value equal to its minimum must not fail on the last bit of a float division.
    met = ratio.fillna(0.0) >= 1.0 - TOLERANCE
    return ratio, met


def composite_cv(cvs) -> float:
    """The 2012 comprehensive CV (综合差异系数): the plain, unweighted mean of the indicator CVs
    (docs/sources.md#basic-2012); NaN when any CV is missing, since the rule needs all of them."""
    values = np.asarray(list(cvs), dtype=float)
    return float(values.mean()) if values.size and np.isfinite(values).all() else float("nan")
