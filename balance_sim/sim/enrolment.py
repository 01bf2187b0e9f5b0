"""Enrolment: pupils by grade in every section, advanced one year (policy-brief lever 3).

Cohort-survival method (as in UNESCO's projection models): grade g+1 next year = grade g this
year × the level's progression ratio; grade 1 follows the births trend; grade 7 of each
township's junior sections takes the township's grade 6 × the transition rate (county-wide when
the township has no junior section). Then urbanisation (a share of rural pupils moves to town and
urban sections), school choice (pupils leave sections below the level's mean quality for those
above it, damped by nearest-school enforcement), optional consolidation, and classes from pupils
and rooms. Pupils are expected values (floats).
"""
from __future__ import annotations

import numpy as np

from balance_sim.sim import consolidation
from balance_sim.sim.matching import staffing_norm
from balance_sim.sim.state import RURAL, State


def _redistribute(s, outflow: np.ndarray, receiver_weight: np.ndarray) -> float:
    """Move `outflow` (S × 9) to receivers of the same level in proportion to `receiver_weight`;
    a level with no receiver keeps its pupils. Returns the pupils moved."""
    level = s.level
    total = s.level_matrix @ outflow  # (2 levels × 9 grades)
    weight_by_level = np.bincount(level, weights=receiver_weight, minlength=2)
    has_receiver = weight_by_level > 0
    outflow = outflow * has_receiver[level][:, None]
    total *= has_receiver[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(has_receiver[level], receiver_weight / weight_by_level[level], 0.0)
    s.grades += share[:, None] * total[level] - outflow
    return float(total.sum())


def _advance(s, e) -> None:
    old = s.grades
    new = np.zeros_like(old)
    new[:, 0] = old[:, 0] * (1.0 + e.births_change)
    new[:, 1:6] = old[:, 0:5] * e.primary_progression
    new[:, 7:9] = old[:, 6:8] * e.junior_progression
    # Grade 6 → grade 7 of the township's junior sections, by their share of last year's intake.
    leavers = np.bincount(s.township, weights=old[:, 5] * e.transition_rate, minlength=int(s.township.max()) + 1)
    junior_weight = np.where(s.open & (s.level == 1), old[:, 6] + 1e-9, 0.0)
    township_weight = np.bincount(s.township, weights=junior_weight, minlength=len(leavers))
    served = township_weight > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        local = np.where(served[s.township], junior_weight / township_weight[s.township], 0.0)
    unserved = leavers[~served].sum()
    county_weight = junior_weight.sum()
    county = junior_weight / county_weight if county_weight > 0 else junior_weight
    new[:, 6] = leavers[s.township] * local + unserved * county
    new[~s.open] = 0.0
    s.grades = new


def _classes(s, limit: np.ndarray) -> None:
    """Classes from pupils by grade and the class-size limit by level (`limit`), within the rooms."""
    needed = np.ceil(s.grades / limit[s.level][:, None] - 1e-9).sum(axis=1)
    # Rooms limit the classes a school can open; more pupils per class where rooms are short.
    s.classes = np.where(s.open, np.minimum(needed, np.maximum(np.floor(s.rooms + 1e-9), 1.0)), 0.0)


def step(state: State, policy, rng: np.random.Generator):
    """One school year of pupils; returns teacher-ledger rows only when sections are merged."""
    s, e = state.schools, policy.enrolment
    _advance(s, e)
    pupils = s.pupils()
    receiving = s.open & (s.location != RURAL)
    rural_out = s.grades * (e.urbanisation_rate * (s.open & (s.location == RURAL)))[:, None]
    _redistribute(s, rural_out, np.where(receiving, pupils, 0.0))
    pupils = s.pupils()
    # School choice: the gap to the level's enrolment-weighted mean quality, relative to that mean.
    q = np.where(s.open & np.isfinite(s.quality), s.quality, 0.0)
    weight = np.where(s.open, pupils, 0.0)
    mean = np.bincount(s.level, weights=weight * q, minlength=2) / np.maximum(np.bincount(s.level, weights=weight, minlength=2), 1e-12)
    scale = np.maximum(np.abs(mean[s.level]), 1e-9)
    gap = (mean[s.level] - q) / scale
    leave = np.clip(e.choice_sensitivity * (1.0 - e.nearest_school_enforcement) * gap, 0.0, e.choice_max_share)
    leave = np.where(s.open, leave, 0.0)
    s.choice_moved = _redistribute(s, s.grades * leave[:, None], np.where(s.open & (gap < 0), -gap * pupils, 0.0))
    state, rows = consolidation.step(state, policy, rng)
    _classes(s, state.constants.class_limit)
    refresh(state, policy)
    return state, rows


def refresh(state: State, policy) -> None:
    """Pupils and staffing norms of the year, read by the later mechanisms."""
    state.pupils = state.schools.pupils()
    state.norm = staffing_norm(state, policy)
