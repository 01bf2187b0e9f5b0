"""Enrolment-weighted Gini and Theil indices of per-pupil resources across schools, with the
Theil index split into between urban/town and rural and within (policy-brief "The yardstick":
general inequality measures beside the official ones). Each school counts with its pupils, all
at the school's value, as the official CV does (facts.md §1). Vectorised over many series.
"""
from __future__ import annotations

import numpy as np


def weighted_gini(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Gini of each row: values and weights (n_series, n_schools); NaN values or zero weights
    are left out. From the Lorenz curve: G = 1 − Σ_i w_i (L_{i−1} + L_i) / W."""
    x = np.asarray(values, float)
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


def weighted_theil(values: np.ndarray, weights: np.ndarray, groups: np.ndarray, n_groups: int = 2):
    """(total, between-group) Theil T of each row; `groups` (n_schools,) in [0, n_groups).
    T = Σ s_i ln(x_i / μ) with s_i = w_i x_i / Σ w x; between = Σ_g S_g ln(μ_g / μ);
    within = total − between (each group's own T weighted by its share S_g)."""
    x = np.asarray(values, float)
    w = np.where(np.isfinite(x) & (x >= 0), np.asarray(weights, float), 0.0)
    x = np.where(w > 0, x, 0.0)
    wx = w * x
    total_wx = wx.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = total_wx / w.sum(axis=1, keepdims=True)
        share = wx / total_wx
        total = np.where(share > 0, share * np.log(x / mean), 0.0).sum(axis=1)
        onehot = np.eye(n_groups)[groups]  # (n_schools, n_groups)
        group_wx = wx @ onehot
        group_w = w @ onehot
        group_share = group_wx / total_wx
        group_mean = group_wx / group_w
        between = np.where(group_share > 0, group_share * np.log(group_mean / mean), 0.0).sum(axis=1)
    valid = total_wx[:, 0] > 0
    return np.where(valid, total, np.nan), np.where(valid, between, np.nan)
