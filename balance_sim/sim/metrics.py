"""County metrics per year and level, computed after the loop for every year at once: the
official CVs (`measures.cv.grouped_weighted_cv`) and verdicts of each standard (docs/sources.md#cv, docs/sources.md#basic-2012, docs/sources.md#quality-2017), the
per-school rule, the county's own targets (docs/sources.md#county-targets) and class sizes (docs/sources.md#money).

Inputs are the recorded panel arrays (years × sections); groups are year × level. Sums per
group of many arrays at once go through one `np.bincount` (`group_sums`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from balance_sim.measures.cv import grouped_weighted_cv
from balance_sim.sim.rules import Rules, _standard_rules, all_rules
from balance_sim.sim.state import TEACHER_COUNTS
from balance_sim.standards.rules import cv_compared

N_LEVELS = 2
BACKBONE = TEACHER_COUNTS.index("backbone_teachers")


@dataclass
class Panel:
    """Recorded arrays, years first: pupils, classes, open (Y × S); counts (Y × S × 6);
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
        """Sums per year and level (m × Y × 2) of m (Y × S) arrays (m × Y × S), over the open
        sections (or those in `keep`)."""
        return group_sums(rows, self.open if keep is None else keep, self.level)


def group_sums(rows: np.ndarray, keep: np.ndarray, level: np.ndarray) -> np.ndarray:
    """Sums per year and level (m × Y × 2) of m (Y × S) arrays over the kept sections, in one
    bincount: bin (array, year, level)."""
    m, n_years, _ = rows.shape
    keep = np.asarray(keep, dtype=bool)
    year = np.broadcast_to(np.arange(n_years)[:, None], keep.shape)
    group = (year * N_LEVELS + np.asarray(level, dtype=np.int64)[None, :])[keep]
    n_groups = n_years * N_LEVELS
    bins = (np.arange(m)[:, None] * n_groups + group[None, :]).ravel()
    sums = np.bincount(bins, weights=rows[:, keep].ravel(), minlength=m * n_groups)
    return sums.reshape(m, n_years, N_LEVELS)


def included(panel: Panel, rules: Rules) -> np.ndarray:
    """(Y × S) sections the standard counts: open, with pupils, teaching points as the rules allow."""
    return rules.counts(panel.open, panel.pupils, panel.teaching_point[None, :])


def school_meets(indicators: np.ndarray, level: np.ndarray, rules: Rules) -> np.ndarray:
    """Per-school rule: ≥ min_met minimums met and every other ≥ floor_ratio of its minimum."""
    ratio = np.nan_to_num(indicators[..., rules.columns] / rules.minimums[level], nan=0.0)
    return ((ratio >= 1.0).sum(axis=-1) >= rules.min_met) & (ratio >= rules.floor_ratio).all(axis=-1)


def _standard(panel: Panel, rules: Rules, out: dict) -> np.ndarray | None:
    keep = included(panel, rules)
    g = panel.group(keep).ravel()
    n_groups = panel.n_years * N_LEVELS
    values = panel.indicators[..., rules.columns].reshape(-1, len(rules.columns))
    means, cvs = grouped_weighted_cv(values, panel.pupils.ravel(), g, n_groups)
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
        verdict = cv_compared(composite, rules.cv_decimals) <= rules.cv_max
    else:
        verdict = (cv_compared(cvs, rules.cv_decimals) <= rules.cv_max[None, :, None]).all(axis=2)
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
    columns = _standard_rules("quality-2017").columns
    k = len(columns)
    (total_classes, small, large, super_large, total_pupils, rural_bb, other_bb, rural_pupils, other_pupils,
     quality, teachers, sections, *stocks) = target_sums(
        panel.pupils, panel.classes, panel.open, panel.counts, panel.indicators, panel.quality,
        panel.level.astype(np.int64), panel.rural, columns.astype(np.int64), BACKBONE,
        float(tg.small_class_size), float(tg.large_class_size), float(tg.super_large_class_size))
    with np.errstate(divide="ignore", invalid="ignore"):
        out["small_class_share"] = small / total_classes
        out["large_classes"] = large
        out["super_large_classes"] = super_large
        out["mean_class_size"] = total_pupils / total_classes
        out["backbone_rural_share"] = rural_bb / (rural_bb + other_bb)
        out["backbone_rural_to_urban"] = (rural_bb / rural_pupils) / (other_bb / other_pupils)
        # Urban–rural balance: mean over the quality-2017 resources of (smaller ÷ larger) of
        # the rural and the town-and-urban per-pupil means.
        r = np.stack(stocks[:k]) / rural_pupils
        o = np.stack(stocks[k:]) / other_pupils
        out["urban_rural_balance"] = np.mean(np.minimum(r, o) / np.maximum(r, o), axis=0)
        out["quality_mean"] = quality / total_pupils
    out["pupils"] = total_pupils
    out["teachers"] = teachers
    out["sections"] = sections


# Rows of target_sums: twelve sums, then each resource's stock among rural sections, then
# among the others.
TARGET_ROWS = 12


def target_sums(pupils, classes, open_, counts, indicators, quality, level, rural, columns, backbone,
                small_size, large_size, super_size):
    """Per year and level (rows × Y × 2), over the open sections: classes; classes of
    ≤ small_size, > large_size, > super_size pupils (pupils ÷ classes; no classes: size 0);
    pupils; backbone teachers rural, other; pupils rural, other; quality × pupils (NaN quality:
    0); teachers; sections; then each indicator's stock (value × pupils, NaN: 0) rural, then other.
    Infinite quality and stocks count as the largest float (as np.nan_to_num turns them)."""
    rural = np.broadcast_to(np.asarray(rural, dtype=bool), pupils.shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        size = np.where(classes > 0, pupils / classes, 0.0)
        # (k × Y × S): each counted indicator's value × pupils
        stock = np.nan_to_num(indicators[..., columns] * pupils[..., None]).transpose(2, 0, 1)
        quality_pupils = np.nan_to_num(quality) * pupils
    backbone_teachers = counts[..., backbone].astype(float)
    rows = np.concatenate([np.stack([
        classes, classes * (size <= small_size), classes * (size > large_size), classes * (size > super_size),
        pupils, np.where(rural, backbone_teachers, 0.0), np.where(rural, 0.0, backbone_teachers),
        np.where(rural, pupils, 0.0), np.where(rural, 0.0, pupils), quality_pupils,
        counts[..., 0].astype(float), np.ones_like(pupils, dtype=float),
    ]), np.where(rural, stock, 0.0), np.where(rural, 0.0, stock)])
    return group_sums(rows, np.asarray(open_, dtype=bool), level)


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
