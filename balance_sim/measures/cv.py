"""The official coefficient of variation (差异系数), weighted by enrolment.

X̄ = Σ P_i X_i / Σ P_i;  S = sqrt(Σ P_i (X_i − X̄)² / Σ P_i);  CV = S / X̄
Source: 教督〔2012〕3号 and 教督〔2017〕6号 (facts.md §1). Schools with NaN values or zero
weight are left out; the enrolment-weighted mean equals the county total per pupil.
"""
from __future__ import annotations

import numpy as np


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
    """Means and CVs of many indicators in many groups at once (for the simulation's year loop).

    values: (n_schools, n_indicators); weights: (n_schools,); groups: int (n_schools,) in
    [0, n_groups), −1 for schools not counted. Returns (means, cvs), each (n_groups, n_indicators).
    """
    x = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)[:, None] * np.ones_like(x)
    valid = np.isfinite(x) & (w > 0) & (np.asarray(groups)[:, None] >= 0)
    w = np.where(valid, w, 0.0)
    xz = np.where(valid, x, 0.0)
    g = np.where(np.asarray(groups) >= 0, groups, 0)
    n_ind = x.shape[1]
    total = np.zeros((n_groups, n_ind))
    np.add.at(total, g, w)
    sum_wx = np.zeros((n_groups, n_ind))
    np.add.at(sum_wx, g, w * xz)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = sum_wx / total
        dev = xz - mean[g]
        sum_wdev = np.zeros((n_groups, n_ind))
        np.add.at(sum_wdev, g, w * dev * dev)
        cv = np.sqrt(sum_wdev / total) / mean
    return mean, cv
