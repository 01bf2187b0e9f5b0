"""County metrics per year and level, computed after the loop for every year at once: the
official CVs and verdicts of each standard (facts.md §1–§3) with `grouped_weighted_cv`, the
per-school rule, the county's own targets (facts.md §5) and class sizes (facts.md §9).

Inputs are the recorded panel arrays (years × sections); groups are year × level.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from balance_sim.measures.cv import grouped_weighted_cv
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
        keep = self.open if keep is None else keep
        g = self.group(keep).ravel()
        sums = np.bincount(np.where(g >= 0, g, 0), weights=np.where(g >= 0, values.ravel(), 0.0),
                           minlength=self.n_years * N_LEVELS)
        return sums.reshape(self.n_years, N_LEVELS)


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
    means, cvs = grouped_weighted_cv(values, panel.pupils.ravel(), g, n_groups)
    k = len(rules.columns)
    means, cvs = means.reshape(-1, N_LEVELS, k), cvs.reshape(-1, N_LEVELS, k)
    n_in = panel.by_group(np.ones_like(panel.pupils), keep)
    present = n_in > 0
    name = rules.name
    out[f"{name}:mean"], out[f"{name}:cv"] = means, cvs
    if rules.cv_rule == "mean":
        composite = cvs.mean(axis=2)
        out[f"{name}:composite_cv"] = composite
        verdict = composite <= rules.cv_max
    else:
        verdict = (cvs <= rules.cv_max[None, :, None]).all(axis=2)
    meets = None
    if rules.has_minimums:
        meets = school_meets(panel.indicators, panel.level[None, :], rules) & keep
        n_meet = panel.by_group(meets.astype(float), keep)
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
    with np.errstate(divide="ignore", invalid="ignore"):
        size = np.where(classes > 0, pupils / classes, 0.0)
        total_classes = panel.by_group(classes)
        out["small_class_share"] = panel.by_group(classes * (size <= tg.small_class_size)) / total_classes
        out["large_classes"] = panel.by_group(classes * (size > tg.large_class_size))
        out["super_large_classes"] = panel.by_group(classes * (size > tg.super_large_class_size))
        out["mean_class_size"] = panel.by_group(pupils) / total_classes
        backbone = panel.counts[..., BACKBONE].astype(float)
        rural_bb, other_bb = panel.by_group(backbone * rural), panel.by_group(backbone * ~rural)
        rural_pupils, other_pupils = panel.by_group(pupils * rural), panel.by_group(pupils * ~rural)
        out["backbone_rural_share"] = rural_bb / (rural_bb + other_bb)
        out["backbone_rural_to_urban"] = (rural_bb / rural_pupils) / (other_bb / other_pupils)
        # Urban–rural balance: mean over the quality-2017 resources of (smaller ÷ larger) of
        # the rural and the town-and-urban per-pupil means.
        columns = _standard_rules("quality-2017").columns
        stock = np.nan_to_num(panel.indicators[..., columns] * pupils[..., None])
        ratios = []
        for k in range(len(columns)):  # seven indicators, not schools
            r = panel.by_group(stock[..., k] * rural) / rural_pupils
            o = panel.by_group(stock[..., k] * ~rural) / other_pupils
            ratios.append(np.minimum(r, o) / np.maximum(r, o))
        out["urban_rural_balance"] = np.mean(ratios, axis=0)
        out["quality_mean"] = panel.by_group(np.nan_to_num(panel.quality) * pupils) / panel.by_group(pupils)
    out["pupils"] = panel.by_group(pupils)
    out["teachers"] = panel.by_group(panel.counts[..., 0].astype(float))
    out["sections"] = panel.by_group(np.ones_like(pupils))


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
