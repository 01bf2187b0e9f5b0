"""Consolidation of small schools into their township's central school (docs/sources.md#county-targets county draft:
primary schools under 200 pupils and junior schools under 3 classes merged or kept as teaching
points; docs/sources.md#county-targets). Optional, off by default; enrolment calls it after the pupils' moves.

A section is small when it is open and

    primary: pupils < primary_min_students        junior: classes (last year's) < junior_min_classes

(teaching points excepted when `keep_teaching_points`). Its township's central school is the
open section of the same township and level, not small itself, with the most pupils (the last in
section order among equals); townships are distinct across the counties of a state, so no section
merges across a county's border. A small section with a central school closes for good: its pupils
by grade are added to the central school's, the teachers teaching there move to it (and start
there afresh: years at the school 0), and posts it holds move too. Its buildings stay behind
(they are not counted once the section closes). A township without a central school keeps its
small sections.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from balance_sim.sim import ledger as L
from balance_sim.sim.state import State


@dataclass(frozen=True)
class Context:
    """The consolidation policy in force in one year."""

    enabled: bool
    primary_min_students: float  # pupils
    junior_min_classes: float  # classes
    keep_teaching_points: bool

    @classmethod
    def of(cls, policy, year: int) -> "Context":
        c = policy.enrolment.consolidation
        return cls(enabled=bool(c.enabled), primary_min_students=float(c.primary_min_students),
                   junior_min_classes=float(c.junior_min_classes), keep_teaching_points=bool(c.keep_teaching_points))


def receivers(pupils: np.ndarray, classes: np.ndarray, level: np.ndarray, township: np.ndarray,
              teaching_point: np.ndarray, is_open: np.ndarray, context: Context) -> np.ndarray:
    """The section each small section merges into (−1: stays open)."""
    small = np.where(level == 0, pupils < context.primary_min_students, classes < context.junior_min_classes)
    if context.keep_teaching_points:
        small &= ~teaching_point
    candidate = is_open & small
    into = np.full(len(level), -1, dtype=np.int64)
    if not candidate.any():
        return into
    group = township.astype(np.int64) * 2 + level
    keeper = np.flatnonzero(is_open & ~candidate)
    if not len(keeper):  # a township with no school large enough to absorb the others
        return into
    # Keepers by group, then pupils, then position: the last of each group is its central school.
    ordered = keeper[np.lexsort((keeper, pupils[keeper], group[keeper]))]
    last = np.r_[group[ordered][1:] != group[ordered][:-1], True]
    central = np.full(int(group.max()) + 1, -1, dtype=np.int64)
    central[group[ordered[last]]] = ordered[last]
    into[candidate] = central[group[candidate]]
    return into


def move_teachers(state: State, into: np.ndarray) -> L.Moves:
    """Serving teachers of the closed sections to their central schools (in place); posts held
    by a closed section move too. Returns the ledger rows (teacher, school left, school joined)."""
    t = state.teachers
    serving = np.flatnonzero(t.active[: t.n])
    moving = serving[into[t.school[serving]] >= 0]
    source = t.school[moving].copy()
    t.school[moving] = into[source]
    t.years_at_school[moving] = 0
    posts = serving[into[t.post[serving]] >= 0]
    t.post[posts] = into[t.post[posts]]
    return L.moves(L.CONSOLIDATION, moving, source, t.school[moving])


def step(state: State, context: Context) -> list:
    """Merge the small sections (grades, `open` and teachers in place; each county's notes say
    how many of its sections). Returns the ledger rows of the teachers moved."""
    if not context.enabled:
        return []
    s = state.schools
    into = receivers(s.grades.sum(axis=1), s.classes, s.level, s.township, s.teaching_point, s.open, context)
    closing = np.flatnonzero(into >= 0)
    if not len(closing):
        return []
    np.add.at(s.grades, into[closing], s.grades[closing])
    s.grades[closing] = 0.0
    s.open[closing] = False
    merged = np.bincount(s.county[closing], minlength=state.counties)
    for county in np.flatnonzero(merged):  # only the counties that merged, for their notes
        state.note(f"{state.year}: {merged[county]} small sections merged into their township's central school",
                   county=int(county))
    return [move_teachers(state, into)]
