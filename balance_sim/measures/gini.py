"""The Gini coefficient of a resource across schools, enrolment-weighted by default.

G = Σ_i Σ_j w_i w_j |x_i − x_j| / (2 W² μ), μ = Σ w_i x_i / W. With w = pupils this is the Gini
among pupils (each pupil carries their school's value); with w = 1 it is PySAL's
`inequality.gini.Gini` over schools. Computed in O(n log n) from the sorted values.
"""
from __future__ import annotations

import numpy as np

from balance_sim.jit import kernel
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
    (n_series, n_schools); NaN values or zero weights are left out. From the Lorenz curve:
    G = 1 − Σ_i w_i (L_{i−1} + L_i) / W, which equals the pair-difference form above.
    One compiled pass per row (sort, then two sums), not a dozen array operations."""
    x = np.ascontiguousarray(values, dtype=float)
    w = np.ascontiguousarray(np.broadcast_to(np.asarray(weights, dtype=float), x.shape))
    out = np.empty(x.shape[0])
    gini_kernel(x, w, out)
    return out


@kernel
def gini_kernel(x, weights, out):
    """Row r of `out`: the Gini of row r. Left-out schools (NaN value, weight ≤ 0) sort last
    and add nothing to the resource; NaN when no weight or no resource is left."""
    n_rows, n = x.shape
    xs = np.empty(n)
    ws = np.empty(n)
    for r in range(n_rows):
        for i in range(n):
            v = x[r, i]
            wi = weights[r, i] if np.isfinite(v) else 0.0
            ws[i] = wi
            xs[i] = v if wi > 0 else np.inf
        order = np.argsort(xs, kind="mergesort")
        total_w = 0.0
        total_wx = 0.0
        for i in range(n):
            total_w += ws[i]
            total_wx += ws[i] * (xs[i] if ws[i] > 0 else 0.0)
        if not (total_w > 0 and total_wx > 0):
            out[r] = np.nan
            continue
        running = 0.0  # Σ w x of the schools so far, in increasing x
        previous = 0.0  # L_{i−1}
        area = 0.0
        for j in range(n):
            i = order[j]
            running += ws[i] * (xs[i] if ws[i] > 0 else 0.0)
            lorenz = running / total_wx
            area += ws[i] * (previous + lorenz)
            previous = lorenz
        out[r] = 1.0 - area / total_w
