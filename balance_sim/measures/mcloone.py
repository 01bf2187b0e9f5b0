"""The McLoone index: how close the pupils below the median come to it (school-finance equity
measure of the lower half). Enrolment-weighted: the median is the pupil median.

McLoone = Σ_{x_i ≤ m} w_i x_i / (m Σ_{x_i ≤ m} w_i); 1 = everyone below the median is at it.
"""
from __future__ import annotations

from balance_sim.measures._weights import clean, weighted_quantile


def mcloone(values, weights=None) -> float:
    """McLoone index in [0, 1]; NaN if the median is not > 0. `weights`: pupils per school."""
    x, w = clean(values, weights)
    median = weighted_quantile(x, w, 0.5)
    if not median > 0:
        return float("nan")
    below = x <= median
    return float((w[below] * x[below]).sum() / (median * w[below].sum()))
