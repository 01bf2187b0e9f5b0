"""Range measures of a resource across schools: the federal range ratio (pupil-weighted 95th
minus 5th percentile over the 5th, as in US school-finance equity reviews) and the plain
max/min ratio over schools.
"""
from __future__ import annotations

from balance_sim.measures._weights import clean, weighted_quantile


def federal_range_ratio(values, weights=None, low: float = 0.05, high: float = 0.95) -> float:
    """(x_high − x_low) / x_low with pupil-weighted quantiles; 0 = no spread. NaN if x_low ≤ 0."""
    x, w = clean(values, weights)
    bottom, top = weighted_quantile(x, w, low), weighted_quantile(x, w, high)
    return float((top - bottom) / bottom) if bottom > 0 else float("nan")


def max_min_ratio(values, weights=None) -> float:
    """Largest over smallest school value (schools with pupils only); NaN if the smallest ≤ 0.

    Weights only decide which schools count (weight > 0): the ratio is between schools.
    """
    x, _ = clean(values, weights)
    if x.size == 0 or not x.min() > 0:
        return float("nan")
    return float(x.max() / x.min())
