"""Helpers shared by the teacher mechanisms: staffing norms, random ranks within groups, and
matching movers to slots. The numpy forms work on whole arrays; the compiled forms (kernels,
balance_sim/jit.py: `key_order`, `group_key_order`, `match_sections`, `match_slots`) give the same orders
and pairs in one call each, for mechanisms whose pass is compiled. Mechanisms call them from
Python, between their own kernels, not from inside them: Numba does not recompile a cached
kernel when a kernel it calls in another file changes."""
from __future__ import annotations

import numpy as np

from balance_sim.jit import kernel
from balance_sim.sim.state import State


def staffing_norm(state: State, policy) -> np.ndarray:
    """Posts each open section should have: pupils / the level's norm (1:19 primary, 1:13.5
    junior, facts.md §8), or classes × the class-teacher ratio for small schools (facts.md §8)."""
    s, tp = state.schools, policy.teachers
    pupils = state.pupils
    by_pupils = np.ceil(pupils / state.constants.pupils_per_teacher[s.level] - 1e-9)
    by_classes = np.ceil(s.classes * tp.teachers_per_class_small - 1e-9)
    norm = np.where(pupils < tp.small_school_students, np.maximum(by_pupils, by_classes), by_pupils)
    return np.where(s.open & (pupils > 0), norm, 0.0).astype(np.int64)


def per_school(section: np.ndarray, counted: np.ndarray, n_schools: int) -> np.ndarray:
    """Teachers counted (bool per slot) in each section: one bincount, the slots not counted going
    to an extra bin that is dropped (no compress-and-gather)."""
    return np.bincount(np.where(counted, section, n_schools), minlength=n_schools + 1)[:n_schools]


def group_starts(sorted_groups: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """(count, first position) of each group in an array sorted by group."""
    counts = np.bincount(sorted_groups, minlength=n_groups)
    return counts, np.cumsum(counts) - counts


def group_order(groups: np.ndarray, unit_keys: np.ndarray) -> np.ndarray:
    """Positions sorted by group (small non-negative integers), then by key within the group, for
    keys in [0, 1) such as random draws: one float argsort of group + key/2 (about 3× faster than
    a two-key lexsort; halving keeps the largest key clear of the next group)."""
    return np.argsort(groups + 0.5 * unit_keys)


def rank_in_group(groups: np.ndarray, unit_keys: np.ndarray, n_groups: int) -> np.ndarray:
    """Rank (0 = smallest key) of each element among the elements of its group; keys in [0, 1)."""
    order = group_order(groups, unit_keys)
    _, starts = group_starts(groups[order], n_groups)
    rank = np.empty(len(groups), dtype=np.int64)
    rank[order] = np.arange(len(groups)) - starts[groups[order]]
    return rank


def match(mover_group, mover_key, slot_group, slot_key, n_groups: int):
    """Pair movers with slots of the same group: the movers with the smallest keys take the slots
    with the smallest keys, as many as both sides allow. Mover keys lie in [0, 1) (random draws,
    or a class plus a draw scaled into it); slot keys are any floats. Returns (mover positions,
    slot positions)."""
    if not len(mover_group) or not len(slot_group):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    m_order = group_order(mover_group, mover_key)
    s_order = np.lexsort((slot_key, slot_group))
    m_count, m_start = group_starts(mover_group[m_order], n_groups)
    s_count, s_start = group_starts(slot_group[s_order], n_groups)
    g = mover_group[m_order]
    rank = np.arange(len(m_order)) - m_start[g]
    ok = rank < np.minimum(m_count, s_count)[g]
    return m_order[ok], s_order[s_start[g[ok]] + rank[ok]]


def slots(schools: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """One entry per free place: school index repeated by its capacity."""
    return np.repeat(schools, np.maximum(capacity, 0).astype(np.int64))


# ---------------------------------------------------------------- compiled forms (balance_sim/jit.py)


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
    """`match` with the slots given as a capacity per section (`slots(arange(S), capacity)`):
    the same pairs in the same order, without building the slots. Movers are taken by group,
    then by key; a group's free places are its sections' in order of key, then section index,
    each section repeated by its capacity. Returns (mover positions, section of each)."""
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


@kernel
def match_slots(mover_group, mover_key, slot_group, slot_key, n_groups):
    """Compiled `match` (same arguments, same pairs in the same order) for slots that each carry
    their own key: every slot a section of capacity one."""
    return match_sections(mover_group, mover_key, slot_group, slot_key, np.ones(len(slot_group), np.int64), n_groups)
