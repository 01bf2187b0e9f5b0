"""Theil's T and L (mean log deviation) of a resource across schools, enrolment-weighted by
default, with the between/within decomposition by a partition (location, township).

With pupils as weights, x_i the per-pupil value, s_i = w_i x_i / Σ w x (the school's share of
the resource) and p_i = w_i / W (its share of pupils):
  T = Σ s_i ln(x_i / μ)            = Σ_g S_g T_g + Σ_g S_g ln(μ_g / μ)
  L = Σ p_i ln(μ / x_i)            = Σ_g P_g L_g + Σ_g P_g ln(μ / μ_g)
(within + between). With unit weights T is PySAL's `inequality.theil.Theil`/`TheilD`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from balance_sim.measures._weights import clean


def theil_t(values, weights=None) -> float:
    """Theil T (GE(1)) ≥ 0; a school with value 0 adds nothing (x ln x → 0). NaN if mean ≤ 0."""
    x, w = clean(values, weights)
    mean = _mean(x, w)
    if not mean > 0 or (x < 0).any():
        return float("nan")
    share = w * x / (w * x).sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(x > 0, share * np.log(x / mean), 0.0)
    return float(terms.sum())


def theil_l(values, weights=None) -> float:
    """Theil L (mean log deviation, GE(0)) ≥ 0; undefined (NaN) when a school has value ≤ 0."""
    x, w = clean(values, weights)
    mean = _mean(x, w)
    if not mean > 0 or (x <= 0).any():
        return float("nan")
    return float((w / w.sum() * np.log(mean / x)).sum())


@dataclass(frozen=True)
class TheilDecomposition:
    """`total` = `between` + `within`; `groups` has per group: weight_share, resource_share,
    mean and the group's own index."""

    measure: str
    total: float
    between: float
    within: float
    groups: pd.DataFrame


def theil_decomposition(values, partition, weights=None, measure: str = "T") -> TheilDecomposition:
    """Split Theil T (`measure="T"`) or L (`"L"`) into between- and within-group parts."""
    if measure not in ("T", "L"):
        raise ValueError(f"measure must be 'T' or 'L', got {measure!r}")
    x_all = np.asarray(values, dtype=float).ravel()
    w_all = np.ones_like(x_all) if weights is None else np.asarray(weights, dtype=float).ravel()
    labels = np.asarray(partition, dtype=object).ravel()
    keep = np.isfinite(x_all) & np.isfinite(w_all) & (w_all > 0)
    x, w, labels = x_all[keep], w_all[keep], labels[keep]
    index = theil_t if measure == "T" else theil_l
    total = index(x, w)
    mean = _mean(x, w)
    rows = []
    for group in pd.unique(labels):
        member = labels == group
        xg, wg = x[member], w[member]
        rows.append({
            "group": group, "schools": int(member.sum()),
            "weight_share": wg.sum() / w.sum(),
            "resource_share": (wg * xg).sum() / (w * x).sum() if (w * x).sum() > 0 else np.nan,
            "mean": _mean(xg, wg), "index": index(xg, wg),
        })
    groups = pd.DataFrame(rows, columns=["group", "schools", "weight_share", "resource_share", "mean", "index"])
    share = groups["resource_share"] if measure == "T" else groups["weight_share"]
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = np.log(groups["mean"] / mean) if measure == "T" else np.log(mean / groups["mean"])
        # A group holding none of the resource adds nothing to T's between part (s ln s → 0).
        between_terms = np.where(share > 0, share * log_ratio, 0.0) if measure == "T" else share * log_ratio
    between = float(np.sum(between_terms))
    within = float((share * groups["index"]).sum())
    return TheilDecomposition(measure, total, between, within, groups)


def _mean(x: np.ndarray, w: np.ndarray) -> float:
    return float((w * x).sum() / w.sum()) if w.size and w.sum() > 0 else float("nan")


def theil_t_rows(values: np.ndarray, weights: np.ndarray, groups: np.ndarray, n_groups: int = 2):
    """(total, between-group) Theil T of each row at once (the simulation's many years ×
    indicators), values and weights (n_series, n_schools); `groups` (n_schools,) in [0, n_groups).
    T = Σ s_i ln(x_i / μ) with s_i = w_i x_i / Σ w x; between = Σ_g S_g ln(μ_g / μ);
    within = total − between (each group's own T weighted by its share S_g). A school counts when
    its value is finite and ≥ 0 and its weight finite and > 0; NaN for a row with no resource."""
    x = np.asarray(values, dtype=float)
    w = np.broadcast_to(np.asarray(weights, dtype=float), x.shape)
    counted = np.isfinite(x) & (x >= 0) & np.isfinite(w) & (w > 0)
    weight = np.where(counted, w, 0.0)
    value = np.where(counted, x, 0.0)
    resource = weight * value
    total_resource = resource.sum(axis=1)
    group_weight, group_resource = _group_sums(weight, groups, n_groups), _group_sums(resource, groups, n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = total_resource / weight.sum(axis=1)
        total = _share_log_ratio(resource, value, total_resource, mean)
        between = _share_log_ratio(group_resource, group_resource / group_weight, total_resource, mean)
    defined = total_resource > 0
    return np.where(defined, total, np.nan), np.where(defined, between, np.nan)


def _share_log_ratio(resource: np.ndarray, column_mean: np.ndarray, total_resource: np.ndarray, mean: np.ndarray):
    """Σ_j s_j ln(μ_j / μ) over the columns j of each row, s_j = resource_j / total: Theil T
    over schools (μ_j the school's value) or its between part over groups (μ_j the group's
    mean). A column with no resource adds nothing (s ln s → 0)."""
    share = resource / total_resource[:, None]
    terms = share * np.log(column_mean / mean[:, None])
    return np.where(share > 0, terms, 0.0).sum(axis=1)


def _group_sums(rows: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """(n_rows, n_groups) sums of each row's columns by group, in one bincount."""
    n_rows = rows.shape[0]
    bins = np.arange(n_rows)[:, None] * n_groups + np.asarray(groups, dtype=np.int64)[None, :]
    return np.bincount(bins.ravel(), weights=rows.ravel(), minlength=n_rows * n_groups).reshape(n_rows, n_groups)
