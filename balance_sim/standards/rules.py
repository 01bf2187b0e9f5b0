"""Apply a standard's rules to a schools table: which sections count (inclusion), whether
each section meets the per-school rule (quality-2017: ≥ 6 of 7 minimums met, the rest ≥ 85%),
and whether a CV is within its ceiling (rounded as the standard says) or marginal.
Sources: 教督〔2012〕3号, 教督〔2017〕6号 (docs/sources.md#basic-2012, docs/sources.md#quality-2017;
the rounding and the marginal mark: docs/sources.md#cv).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from balance_sim.standards.model import Inclusion, Resources

TOLERANCE = 1e-9
# Half a unit of the second decimal: the coarsest rounding provinces publish CVs with.
MARGINAL_DISTANCE = 0.005
MARGINAL_NOTE = "marginal: within rounding of the ceiling"


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


def cv_compared(cv, decimals: int | None):
    """The value a CV is compared with its ceiling as: `cv` rounded half up (四舍五入, as
    published tables round) to `decimals`, or `cv` itself when `decimals` is None. NaN stays
    NaN. Takes a number or an array; returns the same shape."""
    if decimals is None:
        return cv
    values = np.asarray(cv, dtype=float)
    # The shortest decimal text of the float (repr) is what a published table shows, so 0.5015
    # rounds up to 0.502 although its binary value is a hair below.
    rounded = np.array([_round_half_up(v, decimals) for v in values.ravel()], dtype=float).reshape(values.shape)
    return rounded if rounded.ndim else float(rounded)


def _round_half_up(value: float, decimals: int) -> float:
    if not np.isfinite(value):
        return float(value)
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def cv_within_ceiling(cv, ceiling: float, decimals: int | None):
    """Whether a CV passes its ceiling: `cv_compared(cv, decimals) <= ceiling`; a NaN CV (not
    computable) never passes. Takes a number or an array; returns bool or a bool array."""
    compared = np.asarray(cv_compared(cv, decimals), dtype=float)
    passed = np.isfinite(compared) & (compared <= ceiling)
    return passed if passed.ndim else bool(passed)


def cv_marginal(cv, ceiling: float):
    """Whether a CV is within rounding distance of its ceiling: |CV − ceiling| < 0.005
    (`MARGINAL_DISTANCE`, half a unit of the second decimal), on the unrounded CV and whatever
    the standard's `cv_decimals`, so that a verdict that a province's rounding could turn is
    flagged under any convention. A CV exactly 0.005 away is not marginal; a NaN CV is not.
    Takes a number or an array; returns bool or a bool array."""
    distance = np.abs(np.asarray(cv, dtype=float) - ceiling)
    # The tolerance keeps a CV exactly half a unit away (0.495 against 0.50) out despite float noise.
    marginal = np.isfinite(distance) & (distance < MARGINAL_DISTANCE - TOLERANCE)
    return marginal if marginal.ndim else bool(marginal)
