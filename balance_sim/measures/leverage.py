"""Which schools weigh most on an enrolment-weighted CV: the CV after moving one school's value
to the county's weighted mean, every other school unchanged (a what-if for targeting
investment; the CV is the official one of 教督〔2012〕3号 / 〔2017〕6号, docs/sources.md#cv).
"""
from __future__ import annotations

import numpy as np


def cv_after_moving_to_mean(values, weights) -> np.ndarray:
    """For each school i, the weighted CV if school i's value were the current weighted mean.

    Enrolment-weighted like the official CV. Schools with NaN values or weight ≤ 0 get NaN and
    are not counted in the others' results. O(n): uses the running sums, not n recomputations.
    """
    x = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    keep = np.isfinite(x) & np.isfinite(w) & (w > 0)
    out = np.full(len(x), np.nan)
    if not keep.any():
        return out
    xk, wk = x[keep], w[keep]
    total = wk.sum()
    mean = (wk * xk).sum() / total
    deviation = xk - mean
    spread = (wk * deviation * deviation).sum()
    # Centred sums keep precision: school i's deviation drops out of the spread, and the mean
    # moves by −w_i d_i / W, which lowers the variance about the new mean by that squared.
    shift = wk * deviation / total
    new_mean = mean - shift
    variance = np.maximum((spread - wk * deviation * deviation) / total - shift * shift, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out[keep] = np.sqrt(variance) / new_mean
    return out
