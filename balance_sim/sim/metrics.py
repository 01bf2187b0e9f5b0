"""County metrics of one simulated year, per level: the official CVs and verdicts of each
standard (facts.md §1–§3), the county's own targets (facts.md §5) and exchange figures.

Computed from the state's arrays with `grouped_weighted_cv`; `assess` is not called in the loop.
"""
from __future__ import annotations

import numpy as np

from balance_sim.measures.cv import grouped_weighted_cv
from balance_sim.sim.rules import Rules, _standard_rules, all_rules
from balance_sim.sim.state import State

N_LEVELS = 2
QUALITY = _standard_rules("quality-2017")


def included(state: State, rules: Rules) -> np.ndarray:
    """Sections the standard counts: open, with pupils, teaching points only as the rules allow."""
    s = state.schools
    pupils = s.pupils()
    keep = s.open & (pupils > 0)
    if rules.exclude_teaching_points:
        keep &= ~s.teaching_point
    keep &= ~s.teaching_point | (pupils >= rules.teaching_point_min_students)
    return keep


def school_meets(indicators: np.ndarray, level: np.ndarray, rules: Rules) -> np.ndarray:
    """Per-school rule: ≥ min_met minimums met and every other ≥ floor_ratio of its minimum."""
    ratio = indicators[:, rules.columns] / rules.minimums[level]
    ratio = np.nan_to_num(ratio, nan=0.0)
    return ((ratio >= 1.0).sum(axis=1) >= rules.min_met) & (ratio >= rules.floor_ratio).all(axis=1)


def _standard(state: State, rules: Rules, out: dict) -> None:
    s = state.schools
    keep = included(state, rules)
    groups = np.where(keep, s.level, -1)
    means, cvs = grouped_weighted_cv(s.indicators[:, rules.columns], s.pupils(), groups, N_LEVELS)
    present = np.bincount(s.level[keep], minlength=N_LEVELS) > 0
    name = rules.name
    out[f"{name}:mean"] = means
    out[f"{name}:cv"] = cvs
    if rules.cv_rule == "mean":
        composite = cvs.mean(axis=1)
        cv_ok = composite <= rules.cv_max
        out[f"{name}:composite_cv"] = composite
    else:
        cv_ok = (cvs <= rules.cv_max[:, None]).all(axis=1)
    verdict = cv_ok & present
    if rules.has_minimums:
        meets = school_meets(s.indicators, s.level, rules) & keep
        n_meet = np.bincount(s.level[meets], minlength=N_LEVELS)
        n_in = np.bincount(s.level[keep], minlength=N_LEVELS)
        out[f"{name}:schools_meeting"] = n_meet.astype(float)
        out[f"{name}:share_meeting"] = np.where(n_in > 0, n_meet / np.maximum(n_in, 1), np.nan)
        verdict &= n_meet == n_in
        if name == "quality-2017":
            s.meets_quality = meets
    out[f"{name}:schools"] = np.bincount(s.level[keep], minlength=N_LEVELS).astype(float)
    out[f"{name}:verdict"] = np.where(present, verdict, np.nan)


def _by_level(values: np.ndarray, weights: np.ndarray, level: np.ndarray) -> np.ndarray:
    return np.bincount(level, weights=values * weights, minlength=N_LEVELS)


def _targets(state: State, policy, out: dict) -> None:
    s, tg = state.schools, policy.targets
    pupils = np.where(s.open, s.pupils(), 0.0)
    level, rural = s.level, s.rural
    with np.errstate(divide="ignore", invalid="ignore"):
        size = np.where(s.classes > 0, pupils / s.classes, 0.0)
        classes = s.classes
        total_classes = _by_level(classes, 1.0, level)
        out["small_class_share"] = _by_level(classes, size <= tg.small_class_size, level) / total_classes
        out["large_classes"] = _by_level(classes, size > tg.large_class_size, level)
        out["super_large_classes"] = _by_level(classes, size > tg.super_large_class_size, level)
        out["mean_class_size"] = _by_level(pupils, 1.0, level) / total_classes
        backbone = s.counts[:, 3] * s.open
        rural_bb = _by_level(backbone, rural, level)
        out["backbone_rural_share"] = rural_bb / _by_level(backbone, 1.0, level)
        rural_pupils, other_pupils = _by_level(pupils, rural, level), _by_level(pupils, ~rural, level)
        out["backbone_rural_to_urban"] = (rural_bb / rural_pupils) / (_by_level(backbone, ~rural, level) / other_pupils)
        # Urban–rural balance: mean over the quality-2017 resources of (smaller ÷ larger) of the
        # rural and the town-and-urban per-pupil means.
        numer = np.nan_to_num(s.indicators[:, QUALITY.columns] * pupils[:, None])
        sums = np.zeros((2 * N_LEVELS, numer.shape[1]))
        np.add.at(sums, level * 2 + rural, numer)
        rural_mean = sums[1::2] / rural_pupils[:, None]
        other_mean = sums[0::2] / other_pupils[:, None]
        ratio = np.minimum(rural_mean, other_mean) / np.maximum(rural_mean, other_mean)
        out["urban_rural_balance"] = ratio.mean(axis=1)
        out["quality_mean"] = _by_level(np.nan_to_num(s.quality), pupils, level) / _by_level(pupils, 1.0, level)
    out["pupils"] = _by_level(pupils, 1.0, level)
    out["teachers"] = _by_level(s.counts[:, 0] * s.open, 1.0, level)
    out["sections"] = np.bincount(level[s.open], minlength=N_LEVELS).astype(float)


def year_metrics(state: State, policy) -> dict[str, np.ndarray]:
    """Every per-level metric of the year: arrays of shape (2,) or (2, k) (level first)."""
    out: dict[str, np.ndarray] = {}
    for rules in all_rules():
        _standard(state, rules, out)
    _targets(state, policy, out)
    return out


