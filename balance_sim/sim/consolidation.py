"""Consolidation of small schools into their township's central school (seed 001 county draft:
primary schools under 200 pupils and junior schools under 3 classes merged or kept as teaching
points; facts.md §5). Optional, off by default.

A merged section closes for good: its pupils and the teachers teaching there move to the
township's largest remaining section of the same level; posts held there move too. Its buildings
stay behind (they are not counted once the section closes).

The sections are found and their pupils merged in one compiled pass, and in the years a section
closes its teachers move in a second pass over the roster; both run inside enrolment's call of
the year (`merge_and_move`), between the pupils' moves and the classes.
"""
from __future__ import annotations

import numpy as np

from balance_sim.jit import kernel
from balance_sim.sim.state import State


@kernel
def _sorts_at_or_after(value: float, best: float) -> bool:
    """Whether `value` comes at or after `best` in numpy's ascending sort (NaN last)."""
    if best != best:
        return value != value
    return value != value or value >= best


@kernel
def merge_small(grades, pupils, classes, level, township, teaching_point, is_open, primary_min_students,
                junior_min_classes, keep_teaching_points, n_groups):
    """Close the small open sections (primary: fewer pupils than the minimum; junior: fewer
    classes) that have a central school: the open section of the same township and level, not
    small itself, with the most pupils (the last in section order among equals). Their pupils are
    added to the central school's grades in section order, their rows zeroed and `is_open`
    cleared (in place). Returns (receiving section of each section or -1, sections closed)."""
    n = grades.shape[0]
    into = np.full(n, -1, dtype=np.int64)
    candidate = np.zeros(n, dtype=np.bool_)
    any_candidate = False
    for i in range(n):
        small = pupils[i] < primary_min_students if level[i] == 0 else classes[i] < junior_min_classes
        if keep_teaching_points and teaching_point[i]:
            small = False
        candidate[i] = is_open[i] and small
        any_candidate = any_candidate or candidate[i]
    if not any_candidate:  # most years, once the small sections have closed
        return into, 0
    central = np.full(n_groups, -1, dtype=np.int64)
    most = np.zeros(n_groups)
    for i in range(n):
        if is_open[i] and not candidate[i]:
            group = np.int64(township[i]) * 2 + level[i]
            if central[group] < 0 or _sorts_at_or_after(pupils[i], most[group]):
                central[group] = i
                most[group] = pupils[i]
    closed = 0
    for i in range(n):
        if candidate[i]:
            target = central[np.int64(township[i]) * 2 + level[i]]
            if target >= 0:
                into[i] = target
                closed += 1
    # A central school never closes, so adding row by row equals np.add.at on the closing rows.
    for i in range(n):
        if into[i] >= 0:
            for g in range(grades.shape[1]):
                grades[into[i], g] += grades[i, g]
            grades[i, :] = 0.0
            is_open[i] = False
    return into, closed


@kernel
def move_teachers(into, active, school, post, years_at_school, n):
    """Serving teachers of the closed sections (`into` ≥ 0) move to the receiving section and start
    there afresh; posts held by a closed section move too (in place). Returns the movers in slot
    order with their former and new sections."""
    count = 0
    for k in range(n):  # counted without a branch: most teachers stay
        count += active[k] & (into[school[k]] >= 0)
    moving = np.empty(count, dtype=np.int64)
    source = np.empty(count, dtype=school.dtype)
    target = np.empty(count, dtype=school.dtype)
    m = 0
    for k in range(n):
        if not active[k]:
            continue
        if into[school[k]] >= 0:
            moving[m] = k
            source[m] = school[k]
            school[k] = into[school[k]]
            target[m] = school[k]
            years_at_school[k] = 0
            m += 1
        if into[post[k]] >= 0:
            post[k] = into[post[k]]
    return moving, source, target


@kernel
def merge_and_move(enabled, primary_min_students, junior_min_classes, keep_teaching_points, n_groups, grades, pupils,
                   classes, level, township, teaching_point, is_open, active, school, post, years_at_school, n):
    """The year's consolidation when `enabled`: `merge_small`, then `move_teachers` if sections
    close. Returns (sections closed, the ledger's rows: teacher, school left, school joined)."""
    if not enabled:
        return 0, np.empty((3, 0), np.int64)
    into, closed = merge_small(grades, pupils, classes, level, township, teaching_point, is_open, primary_min_students,
                               junior_min_classes, keep_teaching_points, n_groups)
    if not closed:
        return 0, np.empty((3, 0), np.int64)
    moving, source, target = move_teachers(into, active, school, post, years_at_school, n)
    rows = np.empty((3, len(moving)), np.int64)
    for j in range(len(moving)):
        rows[0, j], rows[1, j], rows[2, j] = moving[j], source[j], target[j]
    return closed, rows


def run_values(state: State, policy) -> tuple:
    """The policy's switch and thresholds and the number of (township, level) groups, in
    `merge_and_move` order (read once per run)."""
    c, s = policy.enrolment.consolidation, state.schools
    n_groups = int((s.township.astype(np.int64) * 2 + s.level).max()) + 1 if s.n else 0
    return (bool(c.enabled), float(c.primary_min_students), float(c.junior_min_classes),
            bool(c.keep_teaching_points), n_groups)
