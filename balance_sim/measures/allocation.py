"""Consistency of teacher allocation with enrolment: teachers regressed on pupils across schools
(ordinary least squares, statsmodels). R² is the share of the variation in teacher numbers that
enrolment explains; 1 − R² is the share left unexplained (allocation not following pupils).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm


@dataclass(frozen=True)
class AllocationFit:
    """OLS teachers = intercept + slope · pupils over `schools` schools."""

    r_squared: float
    unexplained: float
    slope: float
    intercept: float
    schools: int


def teacher_allocation(teachers, students) -> AllocationFit:
    """Fit teachers on pupils; NaN results when fewer than 3 schools or no spread in pupils."""
    y = np.asarray(teachers, dtype=float).ravel()
    x = np.asarray(students, dtype=float).ravel()
    keep = np.isfinite(y) & np.isfinite(x)
    y, x = y[keep], x[keep]
    if y.size < 3 or np.ptp(x) == 0:
        nan = float("nan")
        return AllocationFit(nan, nan, nan, nan, int(y.size))
    fit = sm.OLS(y, sm.add_constant(x, has_constant="add")).fit()
    # With no spread in teachers the fit is exact but R² is 0/0: the allocation is uniform.
    r2 = float(fit.rsquared) if np.ptp(y) > 0 else float("nan")
    return AllocationFit(r2, 1.0 - r2, float(fit.params[1]), float(fit.params[0]), int(y.size))
