"""Training and titles (policy-brief lever 2; facts.md §3a training, §6 and §8 titles).

Training reaches `training_rate` of teachers a year (rural teachers `rural_training_priority`
times as likely); a trained teacher may gain the next degree, and one with a mid or senior title
may become a county backbone teacher. Titles rise one step with a probability per step; with the
rural-service rule on, a teacher in a town or urban school needs `rural_service_years_required`
years of rural service before the senior title (seed 003; national rules since 2015).

The five-year 360-hour training cycle (facts.md §3a, target 100%): a teacher has completed the
current cycle for `training_cycle_years` years after completing its hours; then the next cycle
is due, and a teacher who is due completes it with `training_completion_rate` a year. Hires start
due. The steady-state share completed is L ÷ (L + (1 − p) ÷ p), L the cycle length.
"""
from __future__ import annotations

import numpy as np

from balance_sim.sim.state import State

SENIOR = 3
TOP_DEGREE, TOP_TITLE = 3, 4


def step(state: State, policy, rng: np.random.Generator):
    t, s, tp = state.teachers, state.schools, policy.teachers
    n = t.n
    active = t.active[:n]
    rural = s.rural[t.school[:n]]
    # One block of draws per teacher (training, promotion, cycle), single precision (half the
    # cost, ample for probabilities); the degree and backbone draws only for the trained.
    u = rng.random((3, n), dtype=np.float32)
    _complete_cycle(t.training_cycle[:n], active, u[2], tp)
    trained = np.flatnonzero(active & (u[0] < state.constants.training_probability[rural.view(np.int8)]))
    v = rng.random((2, len(trained)), dtype=np.float32)
    degree, title, backbone = t.degree[:n], t.title[:n], t.backbone[:n]
    upgrade = trained[(degree[trained] < TOP_DEGREE) & (v[0] < tp.degree_upgrade_probability)]
    new_backbone = trained[(backbone[trained] == 0) & (title[trained] >= 2) & (v[1] < tp.backbone_probability)]
    degree[upgrade] += 1
    backbone[new_backbone] = 1
    promote = active & (u[1] < state.constants.promotion[title])
    if tp.rural_service_before_senior:
        served = rural | (t.rural_years[:n] >= tp.rural_service_years_required)
        promote &= (title + 1 != SENIOR) | served
    title += promote & (title < TOP_TITLE)
    return state, []


def _complete_cycle(cycle: np.ndarray, active: np.ndarray, u: np.ndarray, tp) -> None:
    """Years since completion +1 (capped at the cycle length: due); due teachers complete with
    the completion rate (back to 0). In place."""
    length = np.int8(tp.training_cycle_years)
    cycle += active & (cycle < length)
    cycle[active & (cycle >= length) & (u < tp.training_completion_rate)] = 0


def steady_completion(tp) -> float:
    """Share of teachers who have completed the current cycle in the steady state (no hires)."""
    p, length = tp.training_completion_rate, tp.training_cycle_years
    return 1.0 if p >= 1.0 else length * p / (length * p + 1.0 - p)


def start_cycle(t, completed: np.ndarray | None, n_schools: int, tp, rng: np.random.Generator) -> None:
    """Base-year cycle state: in each section, `completed[i]` random teachers have completed the
    current cycle (at a random year of it), the others are due. Without the counts, each teacher
    has completed with the steady-state share of the policy's rate."""
    n, length = t.n, tp.training_cycle_years
    u = rng.random((2, n))
    if completed is None:
        done = u[0] < steady_completion(tp)
    else:
        school = t.school[:n]
        order = np.lexsort((u[0], school))
        starts = np.searchsorted(school[order], np.arange(n_schools))
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n) - starts[school[order]]
        done = rank < completed[school]
    t.training_cycle[:n] = np.where(done, np.floor(u[1] * length), length).astype(np.int8)
