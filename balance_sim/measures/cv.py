"""The official coefficient of variation (差异系数) of a resource across schools, weighted by
enrolment (pupils P_i, per-pupil value X_i):

X̄ = Σ P_i X_i / Σ P_i;  S = sqrt(Σ P_i (X_i − X̄)² / Σ P_i);  CV = S / X̄
Source: 教督〔2012〕3号 and 教督〔2017〕6号 (docs/sources.md#cv). Schools with NaN values or zero
weight are left out; the enrolment-weighted mean equals the county total per pupil.
Worked case: pupils 100, 300, 600 at 2, 4, 5 yuan give X̄ = 4.4 and CV = 0.2083.
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
    """Means and CVs of many indicators in many groups at once (the simulation's years × levels).

    values: (n_schools, n_indicators); weights: (n_schools,); groups: int (n_schools,) in
    [0, n_groups), −1 for schools not counted. Returns (means, cvs), each (n_groups, n_indicators),
    the official formulas over the schools of each group with a finite value and a positive weight.
    A group with no such school gets NaN. A zero mean is divided by as it is (0/0: NaN, S/0: inf),
    where `weighted_mean_cv` returns NaN.
    """
    x = np.asarray(values, dtype=float)
    n_indicators = x.shape[1]
    weight = np.broadcast_to(np.asarray(weights, dtype=float)[:, None], x.shape)
    group = np.broadcast_to(np.asarray(groups, dtype=np.int64)[:, None], x.shape)
    counted = (group >= 0) & (weight > 0) & np.isfinite(x)
    # One bin per (group, indicator); only the counted cells are summed.
    cell = (group * n_indicators + np.arange(n_indicators))[counted]
    w, xc = weight[counted], x[counted]

    def sum_by_cell(terms):
        return np.bincount(cell, weights=terms, minlength=n_groups * n_indicators).reshape(n_groups, n_indicators)

    total_weight = sum_by_cell(w)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = sum_by_cell(w * xc) / total_weight
        # Deviations from each group's own mean (two passes: no cancellation of large sums).
        deviation = xc - mean.ravel()[cell]
        cv = np.sqrt(sum_by_cell(w * deviation * deviation) / total_weight) / mean
    return mean, cv
