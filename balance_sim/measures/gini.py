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


# Rows per pass: about this many values, so that a pass's sort and temporaries stay in the CPU
# cache (a county of thousands of schools); each row's result does not depend on the others.
BLOCK_VALUES = 1 << 16


def gini_rows(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Gini of each row at once (the simulation's many years × indicators): values and weights
    (n_series, n_schools); NaN values or zero weights are left out. From the Lorenz curve:
    G = 1 − Σ_i w_i (L_{i−1} + L_i) / W, which equals the pair-difference form above."""
    x = np.asarray(values, float)
    rows = max(1, BLOCK_VALUES // max(x.shape[1], 1))
    if x.shape[0] > rows:
        w = np.asarray(weights, float)
        return np.concatenate([_gini_rows(x[i:i + rows], w[i:i + rows]) for i in range(0, x.shape[0], rows)])
    return _gini_rows(x, weights)


def _gini_rows(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    w = np.where(np.isfinite(x), np.asarray(weights, float), 0.0)
    x = np.where(w > 0, x, np.inf)  # left-out schools sort last and carry no weight
    order = np.argsort(x, axis=1)
    x = np.take_along_axis(x, order, axis=1)
    w = np.take_along_axis(w, order, axis=1)
    wx = w * np.where(w > 0, x, 0.0)
    total_w = w.sum(axis=1, keepdims=True)
    total_wx = wx.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        lorenz = np.cumsum(wx, axis=1) / total_wx
        previous = np.concatenate([np.zeros_like(lorenz[:, :1]), lorenz[:, :-1]], axis=1)
        gini = 1.0 - (w * (previous + lorenz)).sum(axis=1) / total_w[:, 0]
    return np.where((total_w[:, 0] > 0) & (total_wx[:, 0] > 0), gini, np.nan)
