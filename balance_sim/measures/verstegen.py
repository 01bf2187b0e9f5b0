"""The Verstegen index: how far the pupils above the median sit above it (the upper-half
companion of the McLoone index). Enrolment-weighted: the median is the pupil median.

Verstegen = Σ_{x_i ≥ m} w_i x_i / (m Σ_{x_i ≥ m} w_i); 1 = nobody above the median.
"""
from __future__ import annotations

from balance_sim.measures._weights import clean, weighted_quantile


def verstegen(values, weights=None) -> float:
    """Verstegen index ≥ 1; NaN if the median is not > 0. `weights`: pupils per school."""
    x, w = clean(values, weights)
    median = weighted_quantile(x, w, 0.5)
    if not median > 0:
        return float("nan")
    above = x >= median
    return float((w[above] * x[above]).sum() / (median * w[above].sum()))
