"""County metrics per year and level, computed after the loop for every year at once: the
official CVs (`grouped_mean_cv`) and verdicts of each standard (facts.md §1–§3), the
per-school rule, the county's own targets (facts.md §5) and class sizes (facts.md §9).

Inputs are the recorded panel arrays (years × sections); groups are year × level.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from balance_sim.sim.rules import Rules, _standard_rules, all_rules
from balance_sim.sim.state import TEACHER_COUNTS

N_LEVELS = 2
BACKBONE = TEACHER_COUNTS.index("backbone_teachers")


@dataclass
class Panel:
    """Recorded arrays, years first: pupils, classes, open (Y × S); counts (Y × S × 5);
    indicators (Y × S × 11); quality (Y × S); static level, rural, teaching_point (S)."""

    pupils: np.ndarray
    classes: np.ndarray
    open: np.ndarray
    counts: np.ndarray
    indicators: np.ndarray
    quality: np.ndarray
    level: np.ndarray
    rural: np.ndarray
    teaching_point: np.ndarray

    @property
    def n_years(self) -> int:
        return self.pupils.shape[0]

    def group(self, keep: np.ndarray) -> np.ndarray:
        """Group of each (year, section): year × 2 + level, −1 where not kept."""
        years = np.arange(self.n_years)[:, None]
        return np.where(keep, years * N_LEVELS + self.level[None, :], -1)

    def by_group(self, values: np.ndarray, keep: np.ndarray | None = None) -> np.ndarray:
        """Sums per year and level (Y × 2) of a (Y × S) array."""
        return self.by_groups(values[None], keep)[0]

    def by_groups(self, rows: np.ndarray, keep: np.ndarray | None = None) -> np.ndarray:
        """Sums per year and level (m × Y × 2) of m (Y × S) arrays (m × Y × S), in one bincount:
        each sum adds its sections in the same order as one bincount per array would."""
        keep = self.open if keep is None else keep
        g = self.group(keep).ravel()
        kept = g >= 0
        n_groups = self.n_years * N_LEVELS
        m = rows.shape[0]
        bins = (np.arange(m)[:, None] * n_groups + np.where(kept, g, 0)[None, :]).ravel()
        weights = np.where(kept[None, :], rows.reshape(m, -1), 0.0).ravel()
        return np.bincount(bins, weights=weights, minlength=m * n_groups).reshape(m, self.n_years, N_LEVELS)


def grouped_mean_cv(values: np.ndarray, weights: np.ndarray, groups: np.ndarray, n_groups: int):
    """`balance_sim.measures.cv.grouped_weighted_cv` (the official weighted mean and CV, same
    formula, same operations in the same order, so the same bits), with its group sums taken by
    one `np.bincount` over (group, indicator) bins instead of `np.add.at`, several times cheaper
    on the panel's thousands of rows; the tests check the two agree exactly."""
    x = np.asarray(values, dtype=float)
    n_ind = x.shape[1]
    w = np.asarray(weights, dtype=float)[:, None] * np.ones_like(x)
    valid = np.isfinite(x) & (w > 0) & (np.asarray(groups)[:, None] >= 0)
    w = np.where(valid, w, 0.0)
    xz = np.where(valid, x, 0.0)
    g = np.where(np.asarray(groups) >= 0, groups, 0)
    bins = (g[:, None] * n_ind + np.arange(n_ind)[None, :]).ravel()
    size = n_groups * n_ind

    def sums(v):
        return np.bincount(bins, weights=v.ravel(), minlength=size).reshape(n_groups, n_ind)

    total = sums(w)
    sum_wx = sums(w * xz)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = sum_wx / total
        dev = xz - mean[g]
        sum_wdev = sums(w * dev * dev)
        cv = np.sqrt(sum_wdev / total) / mean
    return mean, cv


def included(panel: Panel, rules: Rules) -> np.ndarray:
    """(Y × S) sections the standard counts: open, with pupils, teaching points as the rules allow."""
    keep = panel.open & (panel.pupils > 0)
    tp = panel.teaching_point[None, :]
    if rules.exclude_teaching_points:
        keep &= ~tp
    return keep & (~tp | (panel.pupils >= rules.teaching_point_min_students))


def school_meets(indicators: np.ndarray, level: np.ndarray, rules: Rules) -> np.ndarray:
    """Per-school rule: ≥ min_met minimums met and every other ≥ floor_ratio of its minimum."""
    ratio = np.nan_to_num(indicators[..., rules.columns] / rules.minimums[level], nan=0.0)
    return ((ratio >= 1.0).sum(axis=-1) >= rules.min_met) & (ratio >= rules.floor_ratio).all(axis=-1)


def _standard(panel: Panel, rules: Rules, out: dict) -> np.ndarray | None:
    keep = included(panel, rules)
    g = panel.group(keep).ravel()
    n_groups = panel.n_years * N_LEVELS
    values = panel.indicators[..., rules.columns].reshape(-1, len(rules.columns))
    means, cvs = grouped_mean_cv(values, panel.pupils.ravel(), g, n_groups)
    k = len(rules.columns)
    means, cvs = means.reshape(-1, N_LEVELS, k), cvs.reshape(-1, N_LEVELS, k)
    meets = None
    counted = [np.ones_like(panel.pupils)]
    if rules.has_minimums:
        meets = school_meets(panel.indicators, panel.level[None, :], rules) & keep
        counted.append(meets.astype(float))
    counts = panel.by_groups(np.stack(counted), keep)  # sections counted, and meeting the rule
    n_in = counts[0]
    present = n_in > 0
    name = rules.name
    out[f"{name}:mean"], out[f"{name}:cv"] = means, cvs
    if rules.cv_rule == "mean":
        composite = cvs.mean(axis=2)
        out[f"{name}:composite_cv"] = composite
        verdict = composite <= rules.cv_max
    else:
        verdict = (cvs <= rules.cv_max[None, :, None]).all(axis=2)
    if meets is not None:
        n_meet = counts[1]
        out[f"{name}:schools_meeting"] = n_meet
        with np.errstate(divide="ignore", invalid="ignore"):
            out[f"{name}:share_meeting"] = np.where(present, n_meet / n_in, np.nan)
        verdict &= n_meet == n_in
    out[f"{name}:schools"] = n_in
    out[f"{name}:verdict"] = np.where(present, verdict, np.nan)
    return meets


def _targets(panel: Panel, policy, out: dict) -> None:
    tg = policy.targets
    pupils = np.where(panel.open, panel.pupils, 0.0)
    classes = panel.classes
    rural = np.broadcast_to(panel.rural, pupils.shape)
    urban = ~rural
    # Urban–rural balance: mean over the quality-2017 resources of (smaller ÷ larger) of the
    # rural and the town-and-urban per-pupil means; the resources' stocks are summed with the rest.
    columns = _standard_rules("quality-2017").columns
    stock = np.nan_to_num(panel.indicators[..., columns] * pupils[..., None]).transpose(2, 0, 1)  # (k, Y, S)
    with np.errstate(divide="ignore", invalid="ignore"):
        size = np.where(classes > 0, pupils / classes, 0.0)
    backbone = panel.counts[..., BACKBONE].astype(float)
    # Every (Y × S) array summed per year and level, in one pass.
    (total_classes, small, large, super_large, total_pupils, rural_bb, other_bb, rural_pupils, other_pupils,
     quality, teachers, sections, *stocks) = panel.by_groups(np.concatenate([np.stack([
        classes, classes * (size <= tg.small_class_size), classes * (size > tg.large_class_size),
        classes * (size > tg.super_large_class_size), pupils, backbone * rural, backbone * urban,
        pupils * rural, pupils * urban, np.nan_to_num(panel.quality) * pupils,
        panel.counts[..., 0].astype(float), np.ones_like(pupils)]), stock * rural, stock * urban]))
    k = len(columns)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["small_class_share"] = small / total_classes
        out["large_classes"] = large
        out["super_large_classes"] = super_large
        out["mean_class_size"] = total_pupils / total_classes
        out["backbone_rural_share"] = rural_bb / (rural_bb + other_bb)
        out["backbone_rural_to_urban"] = (rural_bb / rural_pupils) / (other_bb / other_pupils)
        r = np.stack(stocks[:k]) / rural_pupils
        o = np.stack(stocks[k:]) / other_pupils
        out["urban_rural_balance"] = np.mean(np.minimum(r, o) / np.maximum(r, o), axis=0)
        out["quality_mean"] = quality / total_pupils
    out["pupils"] = total_pupils
    out["teachers"] = teachers
    out["sections"] = sections


def all_metrics(panel: Panel, policy) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Every per-level metric, arrays (Y × 2) or (Y × 2 × k), and the (Y × S) per-school
    quality-2017 rule."""
    out: dict[str, np.ndarray] = {}
    meets = None
    for rules in all_rules():
        m = _standard(panel, rules, out)
        if rules.name == "quality-2017":
            meets = m
    _targets(panel, policy, out)
    return out, meets
