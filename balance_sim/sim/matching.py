"""Helpers shared by the teacher mechanisms: the staffing norm, counts per section, random orders
within groups and the pairing of movers with free posts, compiled (balance_sim/jit.py) so that a
mechanism's passes call them in one call each; the tests check them against numpy's sorts."""
from __future__ import annotations

import numpy as np

from balance_sim.jit import inlined, kernel
from balance_sim.sim.numpy_order import maximum
from balance_sim.sim.state import State


@inlined
def section_norm(pupils, classes, pupils_per_teacher, teachers_per_class_small, small_school_students):
    """Posts an open section with pupils should have: pupils / the level's norm (1:19 primary,
    1:13.5 junior, facts.md §8), or classes × the class-teacher ratio for small schools (facts.md
    §8) when that is more."""
    by_pupils = np.ceil(pupils / pupils_per_teacher - 1e-9)
    if pupils < small_school_students:
        by_pupils = maximum(by_pupils, np.ceil(classes * teachers_per_class_small - 1e-9))
    return np.int64(by_pupils)


@kernel
def _norms(pupils, classes, level, is_open, pupils_per_teacher, teachers_per_class_small, small_school_students):
    norm = np.zeros(len(pupils), dtype=np.int64)
    for i in range(len(pupils)):
        if is_open[i] and pupils[i] > 0:
            norm[i] = section_norm(pupils[i], classes[i], pupils_per_teacher[level[i]], teachers_per_class_small,
                                   small_school_students)
    return norm


def staffing_norm(state: State, policy) -> np.ndarray:
    """The staffing norm of every section (`section_norm`; 0 when closed or without pupils)."""
    s, tp = state.schools, policy.teachers
    return _norms(np.asarray(state.pupils, dtype=np.float64), np.asarray(s.classes, dtype=np.float64), s.level,
                  s.open, np.asarray(state.constants.pupils_per_teacher, dtype=np.float64),
                  float(tp.teachers_per_class_small), float(tp.small_school_students))


def per_school(section: np.ndarray, counted: np.ndarray, n_schools: int) -> np.ndarray:
    """Teachers counted (bool per slot) in each section: one bincount, the slots not counted going
    to an extra bin that is dropped (no compress-and-gather)."""
    return np.bincount(np.where(counted, section, n_schools), minlength=n_schools + 1)[:n_schools]


@kernel
def key_order(key):
    """Positions sorted by key, ties by position (a stable argsort). Keys spread over [0, 1) such
    as random draws are sorted in linear time: one bucket per key, then insertion within the
    buckets; other keys (or keys bunched into a few buckets) by a merge sort."""
    n = len(key)
    if n <= 32:
        return np.argsort(key, kind="mergesort")
    bucket = np.empty(n, np.int64)
    count = np.zeros(n, np.int64)
    for i in range(n):
        k = key[i]
        if not (k >= 0.0 and k < 1.0):
            return np.argsort(key, kind="mergesort")
        bucket[i] = min(int(k * n), n - 1)  # monotone in the key: buckets keep the order
        count[bucket[i]] += 1
    first = np.empty(n, np.int64)
    total = 0
    for b in range(n):
        if count[b] > 64:
            return np.argsort(key, kind="mergesort")
        first[b] = total
        total += count[b]
    order = np.empty(n, np.int64)
    fill = first.copy()
    for i in range(n):  # in position order: stable
        order[fill[bucket[i]]] = i
        fill[bucket[i]] += 1
    for b in range(n):
        for p in range(first[b] + 1, first[b] + count[b]):
            i = order[p]
            q = p
            while q > first[b] and key[order[q - 1]] > key[i]:
                order[q] = order[q - 1]
                q -= 1
            order[q] = i
    return order


@kernel
def group_key_order(group, key, n_groups):
    """Positions sorted by group (integers in [0, n_groups)), then by key, then by position (a
    stable two-key sort, as `np.lexsort((key, group))`); also the count of each group."""
    by_key = key_order(key)
    counts = np.zeros(n_groups, np.int64)
    for i in range(len(group)):
        counts[group[i]] += 1
    start = np.empty(n_groups, np.int64)
    first = 0
    for g in range(n_groups):
        start[g] = first
        first += counts[g]
    order = np.empty(len(group), np.int64)
    for i in by_key:
        g = group[i]
        order[start[g]] = i
        start[g] += 1
    return order, counts


@kernel
def match_sections(mover_group, mover_key, section_group, section_key, capacity, n_groups):
    """Pair movers with free places of the same group: the movers with the smallest keys take the
    places with the smallest keys, as many as both sides allow. Movers are taken by group, then by
    key; a group's free places are its sections' in order of key, then section index, each
    section repeated by its capacity. Returns (mover positions, section of each)."""
    n_sections = 0
    for s in range(len(capacity)):
        if capacity[s] > 0:
            n_sections += 1
    roomy = np.empty(n_sections, np.int64)
    k = 0
    for s in range(len(capacity)):
        if capacity[s] > 0:
            roomy[k] = s
            k += 1
    s_order, s_count = group_key_order(section_group[roomy], section_key[roomy], n_groups)
    places = np.zeros(n_groups, np.int64)
    for s in roomy:
        places[section_group[s]] += capacity[s]
    m_order, m_count = group_key_order(mover_group, mover_key, n_groups)
    total = 0
    for g in range(n_groups):
        total += min(m_count[g], places[g])
    who = np.empty(total, np.int64)
    where = np.empty(total, np.int64)
    k = 0
    m_first = 0
    s_next = 0
    for g in range(n_groups):
        left = 0  # places left in the current section
        section = -1
        for r in range(min(m_count[g], places[g])):
            while left == 0:
                section = roomy[s_order[s_next]]
                left = capacity[section]
                s_next += 1
            who[k] = m_order[m_first + r]
            where[k] = section
            left -= 1
            k += 1
        m_first += m_count[g]
        # Skip this group's sections not reached (their places stay free).
        s_next = 0
        for h in range(g + 1):
            s_next += s_count[h]
    return who, where
