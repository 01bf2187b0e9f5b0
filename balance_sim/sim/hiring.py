"""Hiring to the staffing norms (facts.md §8: 1:19 primary, 1:13.5 junior; small schools by
classes), new posts to rural and weak sections first (policy-brief lever 2), at most
`max_hires_share` of the teaching force a year (the county's quota, an assumption).
"""
from __future__ import annotations

import numpy as np

from balance_sim.sim import ledger as L
from balance_sim.sim.matching import slots
from balance_sim.sim.mobility import posts
from balance_sim.sim.state import State


def step(state: State, policy, rng: np.random.Generator):
    t, s, tp = state.teachers, state.schools, policy.teachers
    norm = state.norm
    vacancy = np.where(s.open, norm - posts(state), 0)
    free = slots(np.arange(s.n), vacancy)
    quota = int(tp.max_hires_share * np.count_nonzero(t.active[: t.n]))
    # Within a priority class, the sections furthest below their norm first.
    with np.errstate(divide="ignore", invalid="ignore"):
        shortage = np.where(norm > 0, vacancy / np.maximum(norm, 1), 0.0)
    order = np.lexsort((-shortage[free], s.priority[free]))
    where = free[order[:quota]]
    k = len(where)
    if not k:
        return state, [L.moves(L.HIRE, [], [], [])]
    t.grow(k)
    new = np.arange(t.n, t.n + k)
    t.n += k
    u = rng.random((3, k))
    d = tp.new_teacher_degree
    t.active[new] = True
    t.school[new] = where
    t.post[new] = where
    t.age[new] = tp.new_teacher_age
    t.female[new] = u[0] < tp.new_teacher_female_share
    t.degree[new] = 1 + (u[1] >= d.associate) + (u[1] >= d.associate + d.bachelor)
    t.title[new] = 0
    t.backbone[new] = 0
    t.pe_art[new] = u[2] < tp.new_teacher_pe_art_share
    t.years_at_school[new] = 0
    t.rural_years[new] = 0
    t.exchange_left[new] = 0
    t.training_cycle[new] = tp.training_cycle_years  # due: hires start the cycle uncompleted
    return state, [L.moves(L.HIRE, new, np.full(k, -1), where)]
