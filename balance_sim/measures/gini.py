"""The Gini coefficient of a resource across schools, enrolment-weighted by default.

G = Σ_i Σ_j w_i w_j |x_i − x_j| / (2 W² μ), μ = Σ w_i x_i / W. With w = pupils this is the Gini
among pupils (each pupil carries their school's value); with w = 1 it is PySAL's
`inequality.gini.Gini` over schools. Computed in O(n log n) from the sorted values.
"""
from __future__ import annotations

import numpy as np

from balance_sim.measures._weights import clean


def gini(values, weights=None) -> float:
    """Gini coefficient in [0, 1) (0 = every pupil equally provided); NaN if the mean is not > 0.

    `weights`: pupils per school (None: every school counts once).
    """
    x, w = clean(values, weights)
    if x.size == 0:
        return float("nan")
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    total = w.sum()
    mean = (w * x).sum() / total
    if not mean > 0:
        return float("nan")
    cumulative = np.cumsum(w)
    # School i lies above the weight before it and below the weight after it:
    # Σ_j w_j |x_i − x_j| summed over i equals 2 Σ_i w_i x_i (2 C_i − w_i − W).
    pair_sum = (w * x * (2 * cumulative - w - total)).sum()
    return float(pair_sum / (total * total * mean))
