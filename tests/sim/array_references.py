"""numpy forms of the teacher mechanisms' orders and pairings, as the engine computed them before
its passes were compiled: the references the compiled helpers (balance_sim/sim/matching.py) and
mechanisms are checked against; and the exchange's compiled choice in the shape of the former
array form."""
from __future__ import annotations

import numpy as np

from balance_sim.sim.exchange_choice import choose


def level_matrix(level: np.ndarray) -> np.ndarray:
    """(2 × S) one-hot of each section's level: `level_matrix(level) @ values` sums by level."""
    return np.stack([level == 0, level == 1]).astype(float)


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


def choice_by_level(level, backbone, u, quota, share):
    """The exchange's compiled choice (`exchange_choice.choose`) as (positions chosen, True where
    chosen as a backbone teacher first), for comparing with a choice made by sorting."""
    group = (2 * np.asarray(level, np.int64) + np.asarray(backbone, bool)).astype(np.int8)
    order, start, first = choose(group, u, np.asarray(quota, np.int64), float(share))
    is_first = np.zeros(len(order), bool)
    for lv in range(2):
        is_first[start[lv]: start[lv] + first[lv]] = True
    return order, is_first
