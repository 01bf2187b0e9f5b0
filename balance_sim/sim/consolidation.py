"""Consolidation of small schools into their township's central school (seed 001 county draft:
primary schools under 200 pupils and junior schools under 3 classes merged or kept as teaching
points; facts.md §5). Optional, off by default.

A merged section closes for good: its pupils and the teachers teaching there move to the
township's largest remaining section of the same level; posts held there move too. Its buildings
stay behind (they are not counted once the section closes).
"""
from __future__ import annotations

import numpy as np

from balance_sim.sim import ledger as L
from balance_sim.sim.state import State


def step(state: State, policy, rng: np.random.Generator):
    c = policy.enrolment.consolidation
    s = state.schools
    if not c.enabled:
        return state, []
    pupils = s.pupils()
    small = np.where(s.level == 0, pupils < c.primary_min_students, s.classes < c.junior_min_classes)
    if c.keep_teaching_points:
        small &= ~s.teaching_point
    candidate = s.open & small
    if not candidate.any():  # most years, once the small sections have closed
        return state, []
    group = s.township.astype(np.int64) * 2 + s.level
    n_groups = int(group.max()) + 1 if s.n else 0
    keeper = np.flatnonzero(s.open & ~candidate)
    order = keeper[np.lexsort((pupils[keeper], group[keeper]))]
    sorted_group = group[order]
    last = np.append(sorted_group[1:] != sorted_group[:-1], True) if len(order) else np.zeros(0, bool)
    central = np.full(n_groups, -1, dtype=np.int64)
    central[sorted_group[last]] = order[last]
    closing = np.flatnonzero(candidate & (central[group] >= 0))
    if not len(closing):
        return state, []
    into = np.full(s.n, -1, dtype=np.int64)
    into[closing] = central[group[closing]]
    np.add.at(s.grades, into[closing], s.grades[closing])
    s.grades[closing] = 0.0
    s.open[closing] = False
    t = state.teachers
    n = t.n
    serving = t.active[:n]
    moving = np.flatnonzero(serving & (into[t.school[:n]] >= 0))
    source = t.school[moving].copy()
    t.school[moving] = into[source]
    t.years_at_school[moving] = 0
    posted = np.flatnonzero(serving & (into[t.post[:n]] >= 0))
    t.post[posted] = into[t.post[posted]]
    state.notes.append(f"{state.year}: {len(closing)} small sections merged into their township's central school")
    return state, [L.moves(L.CONSOLIDATION, moving, source, t.school[moving])]
