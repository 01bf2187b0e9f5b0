"""Shared plumbing of the inequality measures: drop unusable schools, weighted quantiles."""
from __future__ import annotations

import numpy as np


def clean(values, weights=None) -> tuple[np.ndarray, np.ndarray]:
    """Values and weights of the schools that count: finite value, finite positive weight.

    Without weights every school weighs 1 (the unweighted, school-as-unit form).
    """
    x = np.asarray(values, dtype=float).ravel()
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float).ravel()
    if w.shape != x.shape:
        raise ValueError(f"values and weights differ in length: {x.shape} vs {w.shape}")
    keep = np.isfinite(x) & np.isfinite(w) & (w > 0)
    return x[keep], w[keep]


def weighted_quantile(values, weights, q: float) -> float:
    """The q-quantile of the weighted distribution (inverted CDF): the smallest value whose
    cumulative weight reaches q of the total. With whole-number pupil weights this is the value
    of the pupil at that rank, as `numpy.percentile(..., method="inverted_cdf")` on the pupils."""
    x, w = clean(values, weights)
    if x.size == 0:
        return float("nan")
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    cumulative = np.cumsum(w)
    # A small relative tolerance so that q·W landing exactly on a school boundary picks that school.
    index = np.searchsorted(cumulative, q * cumulative[-1] * (1 - 1e-12), side="left")
    return float(x[min(index, x.size - 1)])
