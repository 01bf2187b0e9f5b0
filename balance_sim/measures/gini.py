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
    return float(gini_rows(x[None, :], w[None, :])[0])


def gini_rows(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Gini of each row at once (the simulation's many years × indicators): values and weights
    (n_series, n_schools), weights broadcast to the values' shape. As in `gini`, a school counts
    when its value and weight are finite and its weight is positive; NaN for a row whose counted
    schools have no weight or no resource. From the Lorenz curve over the schools in increasing
    value: G = 1 − Σ_i w_i (L_{i−1} + L_i) / W, which equals the pair-difference form above.
    """
    x = np.asarray(values, dtype=float)
    w = np.broadcast_to(np.asarray(weights, dtype=float), x.shape)
    counted = np.isfinite(x) & np.isfinite(w) & (w > 0)
    # Schools left out sort last and carry neither weight nor resource: they add nothing.
    order = np.argsort(np.where(counted, x, np.inf), axis=1, kind="stable")
    weight = np.take_along_axis(np.where(counted, w, 0.0), order, axis=1)
    resource = weight * np.take_along_axis(np.where(counted, x, 0.0), order, axis=1)
    total_weight, total_resource = weight.sum(axis=1), resource.sum(axis=1)
    defined = (total_weight > 0) & (total_resource > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        lorenz = np.cumsum(resource, axis=1) / total_resource[:, None]
        previous = np.concatenate([np.zeros((x.shape[0], 1)), lorenz[:, :-1]], axis=1)
        area = (weight * (previous + lorenz)).sum(axis=1)
        return np.where(defined, 1.0 - area / total_weight, np.nan)
