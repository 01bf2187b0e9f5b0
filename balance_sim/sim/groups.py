"""Whole-array operations by group (a county, or a county and level, per element), so that a
state of many counties runs each county-level rule within its county in one pass.

Sums go through `np.bincount`, which adds each group's elements in their order: a county's
sums in a state of many counties are the same floating-point numbers as alone.
"""
from __future__ import annotations

import numpy as np


def sums(values: np.ndarray, group: np.ndarray, groups: int) -> np.ndarray:
    """Sum of `values` per group (0 … groups − 1); `values` may be (n,) or (n, k)."""
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        return np.bincount(group, weights=values, minlength=groups)
    return np.column_stack([np.bincount(group, weights=values[:, j], minlength=groups)
                            for j in range(values.shape[1])]).reshape(groups, values.shape[1])


def counts(mask: np.ndarray, group: np.ndarray, groups: int) -> np.ndarray:
    """Number of True elements per group (int64)."""
    return np.bincount(group[mask], minlength=groups).astype(np.int64)


def stable_order(group: np.ndarray) -> np.ndarray:
    """`np.argsort(group, kind="stable")` of non-negative whole numbers, as stable sorts of
    16-bit digits (numpy sorts 16-bit integers by radix sort, in one pass over the array)."""
    group = np.asarray(group)
    order = np.arange(len(group))
    top, shift = int(group.max(initial=0)), 0
    while True:
        digit = ((group[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
        shift += 16
        if top >> shift == 0:
            return order


def stable_argsort(key: np.ndarray) -> np.ndarray:
    """`np.argsort(key, kind="stable")`, by numpy's faster default sort where no two keys are
    equal (continuous draws: ties have probability zero, and are then sorted stably)."""
    key = np.asarray(key)
    order = np.argsort(key)
    ordered = key[order]
    if np.any(ordered[1:] == ordered[:-1]):
        return np.argsort(key, kind="stable")
    return order


def order_within(group: np.ndarray, key: np.ndarray) -> np.ndarray:
    """`np.lexsort((key, group))`: positions by group (non-negative whole numbers), then by
    key, ties by position, with the key sorted once and the group by its 16-bit digits."""
    order = stable_argsort(key)
    return order[stable_order(np.asarray(group)[order])]


def rank_within(group: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Per element, its rank (0, 1, …) within its group when the elements are taken in `order`
    (an array of positions, e.g. from np.lexsort with the group as the last key)."""
    rank = np.empty(len(group), np.int64)
    if len(group) == 0:
        return rank
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    lengths = np.diff(np.r_[starts, len(group)])
    rank[order] = np.arange(len(group)) - np.repeat(starts, lengths)
    return rank


def rank_in_runs(key: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Per element, its rank (0, 1, …) by `key` within its run (ties by position), the runs being
    consecutive elements of the lengths `sizes`: `rank_within(group, order_within(group, key))`
    of the run numbers, for finite keys. Runs of similar length are sorted as the rows of one
    padded table (each row a run, +inf after its end), not as one long array."""
    key, sizes = np.asarray(key, dtype=float), np.asarray(sizes, dtype=np.int64)
    rank = np.empty(len(key), np.int64)
    starts = np.cumsum(sizes) - sizes
    width = np.zeros(len(sizes), np.int64)
    used = sizes > 0
    width[used] = 1 << np.ceil(np.log2(sizes[used])).astype(np.int64)  # the next power of two
    for w in np.unique(width[used]):
        runs = np.flatnonzero(width == w)
        column = np.arange(w)
        positions = starts[runs, None] + column
        inside = column < sizes[runs, None]
        table = np.where(inside, key[np.where(inside, positions, 0)], np.inf)
        ranks = np.empty((len(runs), w), np.int64)
        np.put_along_axis(ranks, np.argsort(table, axis=1, kind="stable"), column, axis=1)
        rank[positions[inside]] = ranks[inside]
    return rank


def cumsum_within(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Running sum of `values` within runs of equal `group` (the elements already sorted by
    group): each group's running sum starts from its first element, as it would alone."""
    values = np.asarray(values, dtype=float)
    out = np.empty_like(values)
    if len(values) == 0:
        return out
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    ends = np.r_[starts[1:], len(values)]
    for a, b in zip(starts, ends):  # one cumsum per group keeps each group's rounding as alone
        out[a:b] = np.cumsum(values[a:b])
    return out


def county_counts(state, values: np.ndarray):
    """A state's per-county counts (C × k ints) in the form the state keeps them: a (C, k) array
    in a stacked state, a tuple of ints in a state of one county built alone (whose readers
    and tests compare it with a tuple)."""
    values = np.asarray(values, np.int64).reshape(state.counties, -1)
    if state.county_notes is None and state.counties == 1:
        return tuple(int(v) for v in values[0])
    return values


def county_figures(state, values: np.ndarray):
    """A state's per-county figures (C floats) in the form the state keeps them: a (C,) array
    in a stacked state, a float in a state of one county built alone (as `stack.part` gives a
    county's figure back)."""
    values = np.asarray(values, float).reshape(state.counties)
    if state.county_notes is None and state.counties == 1:
        return float(values[0])
    return values
