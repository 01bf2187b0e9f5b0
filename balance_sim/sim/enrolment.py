"""Enrolment: pupils by grade in every section, advanced one year (policy-brief lever 3).

Cohort-survival method (as in UNESCO's projection models): grade g+1 next year = grade g this
year × the level's progression ratio; grade 1 follows the births trend; grade 7 of each
township's junior sections takes the township's grade 6 × the transition rate (county-wide when
the township has no junior section). Then urbanisation (a share of rural pupils moves to town and
urban sections), school choice (pupils leave sections below the level's mean quality for those
above it, damped by nearest-school enforcement), optional consolidation, and classes from pupils
and rooms. Pupils are expected values (floats).

Computed in one compiled call a year: a pass for cohorts, urbanisation and choice, then
consolidation's, then one for classes, pupils and staffing norms. Sums are taken in the order the
array formulas they replace took them (numpy's pairwise sums, the matrix product's blocks for the
level totals), so every figure is the same to the last bit.
"""
from __future__ import annotations

import numpy as np

from balance_sim.sim import consolidation
from balance_sim.sim import ledger as L
from balance_sim.jit import inlined, kernel
from balance_sim.sim.matching import section_norm, staffing_norm
from balance_sim.sim.numpy_order import level_totals, maximum, minimum, pairwise_sum
from balance_sim.sim.state import RURAL, State



@inlined
def row_sum(grades, i: int, pairwise: bool) -> float:
    """Pupils of section i: grades[i].sum() as grades.sum(axis=1) sums it, in numpy's pairwise
    order along the row when the rows are contiguous (C order), one grade after another otherwise
    (F order)."""
    if pairwise:
        return pairwise_sum(grades[i])
    total = 0.0
    for g in range(grades.shape[1]):
        total += grades[i, g]
    return total


@kernel
def row_sums(grades: np.ndarray, pairwise: bool) -> np.ndarray:
    """Pupils per section (grades.sum(axis=1) in numpy's order, see row_sum)."""
    out = np.empty(grades.shape[0])
    for i in range(grades.shape[0]):
        out[i] = row_sum(grades, i, pairwise)
    return out


@kernel
def _redistribute(grades, level, outflow_share, receiver_weight, pupils, pairwise) -> float:
    """Move grades × outflow_share (per section) to receivers of the same level in proportion to
    receiver_weight; a level with no receiver keeps its pupils. Writes the pupils per section
    after the move into `pupils`; returns the pupils moved."""
    n_grades = grades.shape[1]
    total = level_totals(grades, level, outflow_share)
    weight_by_level = np.zeros(2)
    for k in range(grades.shape[0]):
        weight_by_level[level[k]] += receiver_weight[k]
    has_receiver = np.zeros(2)
    for lv in range(2):
        has_receiver[lv] = 1.0 if weight_by_level[lv] > 0 else 0.0
        for g in range(n_grades):
            total[lv, g] *= has_receiver[lv]
    for k in range(grades.shape[0]):
        lv = level[k]
        share = receiver_weight[k] / weight_by_level[lv] if has_receiver[lv] else 0.0
        for g in range(n_grades):
            outflow = grades[k, g] * outflow_share[k] * has_receiver[lv]
            grades[k, g] += share * total[lv, g] - outflow
        pupils[k] = row_sum(grades, k, pairwise)
    return pairwise_sum(total.ravel())


@kernel
def _cohorts_and_moves(grades, level, location, township, is_open, quality, n_townships, entry_factor,
                       primary_progression, junior_progression, transition_rate, urbanisation_rate,
                       choice_factor, choice_max_share, pairwise):
    """The year's cohort advance, urbanisation and school choice in one pass over the sections.
    Returns (new grades, pupils per section, pupils moved by choice)."""
    n, n_grades = grades.shape
    new = np.zeros((n, n_grades))
    leavers = np.zeros(n_townships)
    township_weight = np.zeros(n_townships)
    junior_weight = np.zeros(n)
    for i in range(n):
        new[i, 0] = grades[i, 0] * entry_factor
        for g in range(1, 6):
            new[i, g] = grades[i, g - 1] * primary_progression
        for g in range(7, n_grades):
            new[i, g] = grades[i, g - 1] * junior_progression
        # Grade 6 → grade 7 of the township's junior sections, by their share of last year's intake.
        leavers[township[i]] += grades[i, 5] * transition_rate
        if is_open[i] and level[i] == 1:
            junior_weight[i] = grades[i, 6] + 1e-9
        township_weight[township[i]] += junior_weight[i]
    unserved_leavers = np.empty(n_townships)
    n_unserved = 0
    for t in range(n_townships):
        if not township_weight[t] > 0:
            unserved_leavers[n_unserved] = leavers[t]
            n_unserved += 1
    unserved = pairwise_sum(unserved_leavers[:n_unserved])
    county_weight = pairwise_sum(junior_weight)
    pupils = np.zeros(n)
    outflow_share = np.zeros(n)
    receiver_weight = np.zeros(n)
    for i in range(n):
        if not is_open[i]:
            new[i, :] = 0.0
            continue
        t = township[i]
        local = junior_weight[i] / township_weight[t] if township_weight[t] > 0 else 0.0
        county = junior_weight[i] / county_weight if county_weight > 0 else junior_weight[i]
        new[i, 6] = leavers[t] * local + unserved * county
        pupils[i] = row_sum(new, i, pairwise)
        # Urbanisation: open rural sections send a share of every grade to open town and urban ones.
        if location[i] == RURAL:
            outflow_share[i] = urbanisation_rate
        else:
            receiver_weight[i] = pupils[i]
    _redistribute(new, level, outflow_share, receiver_weight, pupils, pairwise)

    # School choice: the gap to the level's enrolment-weighted mean quality, relative to that mean.
    q = np.zeros(n)
    weighted_quality = np.zeros(2)
    weight = np.zeros(2)
    for i in range(n):
        if is_open[i] and np.isfinite(quality[i]):
            q[i] = quality[i]
        w = pupils[i] if is_open[i] else 0.0
        weighted_quality[level[i]] += w * q[i]
        weight[level[i]] += w
    mean = np.empty(2)
    for lv in range(2):
        mean[lv] = weighted_quality[lv] / maximum(weight[lv], 1e-12)
    for i in range(n):
        gap = (mean[level[i]] - q[i]) / maximum(abs(mean[level[i]]), 1e-9)
        leave = minimum(maximum(choice_factor * gap, 0.0), choice_max_share)
        outflow_share[i] = leave if is_open[i] else 0.0
        receiver_weight[i] = -gap * pupils[i] if is_open[i] and gap < 0 else 0.0
    moved = _redistribute(new, level, outflow_share, receiver_weight, pupils, pairwise)
    return new, pupils, moved


@kernel
def _classes_and_norm(grades, level, is_open, rooms, class_limit, pupils_per_teacher, teachers_per_class_small,
                      small_school_students, pairwise):
    """Classes from pupils by grade within the rooms, pupils per section, and the staffing norm
    (`matching.section_norm`). Returns (classes, pupils, norm)."""
    n = grades.shape[0]
    pupils = np.empty(n)
    classes = np.zeros(n)
    norm = np.zeros(n, dtype=np.int64)
    for i in range(n):
        pupils[i] = row_sum(grades, i, pairwise)
        if not is_open[i]:
            continue
        limit = class_limit[level[i]]
        needed = 0.0  # whole numbers: the order of the sum does not matter
        for g in range(grades.shape[1]):
            needed += np.ceil(grades[i, g] / limit - 1e-9)
        # Rooms limit the classes a school can open; more pupils per class where rooms are short.
        classes[i] = minimum(needed, maximum(np.floor(rooms[i] + 1e-9), 1.0))
        if pupils[i] > 0:
            norm[i] = section_norm(pupils[i], classes[i], pupils_per_teacher[level[i]], teachers_per_class_small,
                                   small_school_students)
    return classes, pupils, norm


def _run_values(state: State, policy) -> tuple:
    """Policy numbers and fixed arrays of the run, read in its first simulated year."""
    s, e, tp = state.schools, policy.enrolment, policy.teachers
    # numpy summed a grade row pairwise only when rows are contiguous; the kernels keep that order.
    pairwise = bool(s.grades.flags.c_contiguous)
    n_townships = int(s.township.max()) + 1 if s.n else 0
    return (
        pairwise, n_townships, 1.0 + e.births_change, float(e.primary_progression), float(e.junior_progression),
        float(e.transition_rate), float(e.urbanisation_rate),
        e.choice_sensitivity * (1.0 - e.nearest_school_enforcement), float(e.choice_max_share),
        np.asarray(state.constants.class_limit, dtype=np.float64),
        np.asarray(state.constants.pupils_per_teacher, dtype=np.float64),
        float(tp.teachers_per_class_small), float(tp.small_school_students),
    )


@kernel
def _year_pass(grades, level, location, township, is_open, quality, n_townships, entry, primary, junior, transition,
               urbanisation, choice, choice_max, pairwise, enabled, primary_min, junior_min, keep_points, n_groups,
               classes, teaching_point, active, school, post, years_at_school, n, rooms, class_limit, per_teacher,
               per_class_small, small_school):
    """The year in one call: cohorts, urbanisation and choice; consolidation
    (`consolidation.merge_and_move`); classes, pupils and staffing norms. Returns (grades, pupils
    moved by choice, sections closed, the consolidation's ledger rows, classes, pupils, norms)."""
    grades, pupils, moved = _cohorts_and_moves(grades, level, location, township, is_open, quality, n_townships,
                                               entry, primary, junior, transition, urbanisation, choice, choice_max,
                                               pairwise)
    closed, rows = consolidation.merge_and_move(enabled, primary_min, junior_min, keep_points, n_groups, grades,
                                                pupils, classes, level, township, teaching_point, is_open, active,
                                                school, post, years_at_school, n)
    classes, pupils, norm = _classes_and_norm(grades, level, is_open, rooms, class_limit, per_teacher,
                                              per_class_small, small_school, pairwise)
    return grades, moved, closed, rows, classes, pupils, norm


def step(state: State, policy, rng: np.random.Generator):
    """One school year of pupils; returns teacher-ledger rows when sections are merged."""
    s, t = state.schools, state.teachers
    run = state.scratch.get("enrolment")
    if run is None:
        run = state.scratch["enrolment"] = _run_values(state, policy) + consolidation.run_values(state, policy)
        s.grades = np.ascontiguousarray(s.grades, dtype=np.float64)
    (pairwise, n_townships, entry, primary, junior, transition, urbanisation, choice, choice_max,
     class_limit, per_teacher, per_class_small, small_school, *merging) = run
    s.grades, s.choice_moved, closed, rows, s.classes, state.pupils, state.norm = _year_pass(
        s.grades, s.level, s.location, s.township, s.open, s.quality, n_townships, entry, primary, junior,
        transition, urbanisation, choice, choice_max, pairwise, *merging, s.classes, s.teaching_point, t.active,
        t.school, t.post, t.years_at_school, t.n, s.rooms, class_limit, per_teacher, per_class_small, small_school)
    if closed:
        state.notes.append(f"{state.year}: {closed} small sections merged into their township's central school")
    return state, [L.Moves(L.CONSOLIDATION, rows)]


def refresh(state: State, policy) -> None:
    """Pupils and staffing norms of the year, read by the later mechanisms (base year)."""
    state.pupils = state.schools.pupils()
    state.norm = staffing_norm(state, policy)
