"""The official coefficient of variation (差异系数), weighted by enrolment.

X̄ = Σ P_i X_i / Σ P_i;  S = sqrt(Σ P_i (X_i − X̄)² / Σ P_i);  CV = S / X̄
Source: 教督〔2012〕3号 and 教督〔2017〕6号 (facts.md §1). Schools with NaN values or zero
weight are left out; the enrolment-weighted mean equals the county total per pupil.
"""
from __future__ import annotations

import numpy as np

from balance_sim.jit import kernel


def weighted_mean_cv(values, weights) -> tuple[float, float]:
    """(enrolment-weighted mean, weighted CV) of one indicator over schools.

    NaN when no school has a value and a positive weight; CV is NaN when the mean is 0.
    """
    x = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    keep = np.isfinite(x) & np.isfinite(w) & (w > 0)
    x, w = x[keep], w[keep]
    total = w.sum()
    if total <= 0:
        return float("nan"), float("nan")
    mean = float((w * x).sum() / total)
    variance = float((w * (x - mean) ** 2).sum() / total)
    if mean == 0:
        return mean, float("nan")
    return mean, float(np.sqrt(max(variance, 0.0)) / mean)


def weighted_cv(values, weights) -> float:
    """The official CV of one indicator (see module docstring)."""
    return weighted_mean_cv(values, weights)[1]


def grouped_weighted_cv(values: np.ndarray, weights: np.ndarray, groups: np.ndarray, n_groups: int):
    """Means and CVs of many indicators in many groups at once (the simulation's years × levels).

    values: (n_schools, n_indicators); weights: (n_schools,); groups: int (n_schools,) in
    [0, n_groups), −1 for schools not counted. Returns (means, cvs), each (n_groups, n_indicators).
    One compiled pass over the schools instead of a few dozen array operations.
    """
    x = np.ascontiguousarray(values, dtype=float)
    w = np.ascontiguousarray(weights, dtype=float)
    return grouped_mean_cv_kernel(x, w, np.ascontiguousarray(groups, dtype=np.int64), n_groups)


@kernel
def grouped_mean_cv_kernel(x, weights, groups, n_groups):
    """(means, CVs), each (n_groups × indicators): X̄ = Σ P X / Σ P, CV = sqrt(Σ P (X − X̄)² / Σ P) / X̄
    over the sections of each group with a finite value and a positive weight (group −1: none)."""
    n, k = x.shape
    total = np.zeros((n_groups, k))
    sum_wx = np.zeros((n_groups, k))
    for i in range(n):
        g = groups[i]
        w = weights[i]
        if g < 0 or not w > 0:
            continue
        for j in range(k):
            if np.isfinite(x[i, j]):
                total[g, j] += w
                sum_wx[g, j] += w * x[i, j]
    mean = sum_wx / total
    sum_wdev = np.zeros((n_groups, k))
    for i in range(n):
        g = groups[i]
        w = weights[i]
        if g < 0 or not w > 0:
            continue
        for j in range(k):
            if np.isfinite(x[i, j]):
                dev = x[i, j] - mean[g, j]
                sum_wdev[g, j] += w * dev * dev
    return mean, np.sqrt(sum_wdev / total) / mean
