"""Who the exchange sends and the order of the places they take (exchange.py).

`choose`: within each level, backbone teachers first up to ⌈share × quota⌉, then anyone, each
group in order of its draws (the smallest first); only the draws under a limit (about
k + 2√k + 4 of them) are sorted, with a full scan when too few pass, so the result is the same as
sorting the whole group. The heap (`heap_less`, `sift_down`, `sift_up`) merges the receivers'
increasing place ranks for the water-filling placement, ties going to the lower section as a
stable sort would.
"""
from __future__ import annotations

import numpy as np

from balance_sim.jit import kernel


@kernel
def _by_draw(candidates, count, u, k):
    """The first `k` of `candidates[:count]` in order of draw."""
    draws = np.empty(count)
    for i in range(count):
        draws[i] = u[candidates[i]]
    return candidates[np.argsort(draws, kind="mergesort")[:k]]


@kernel
def _below(group, u, taken, wanted_group, any_backbone, limit, out):
    """Positions of `group` (or of its level when `any_backbone`) not taken, with draw below
    `limit`, written to `out`; returns how many."""
    c = 0
    for p in range(len(group)):
        g = group[p]
        if (g == wanted_group or (any_backbone and g >> 1 == wanted_group >> 1)) and not taken[p] and u[p] < limit:
            out[c] = p
            c += 1
    return c


@kernel
def _limit(k, available, already):
    """A draw below which, for uniform draws, about k + 2√k + 4 of the wanted fall (`already`
    more being taken out below it): no one for k ≤ 0, everyone when k ≥ available."""
    if k <= 0:
        return -1.0
    if k >= available:
        return np.inf
    wanted = k + already
    return (wanted + 2.0 * np.sqrt(wanted) + 4.0) / (available + already)


@kernel
def choose(group, u, quota, share):
    """Who goes, within each level: backbone teachers first up to `share` of the level's quota
    (ceil), then anyone, both by smallest draw `u`; `group` = 2 × level + backbone. Returns
    (positions: level 0's backbone-first then the others, each by draw, then level 1's likewise;
    start of each level in it, with the end; how many of each level went as backbone first).
    Only the draws below a limit that about k + 2√k + 4 of them pass are sorted (one pass over
    the pool for both levels); when fewer than needed pass, the group is scanned again in full."""
    m = len(group)
    size = np.zeros(4, np.int64)
    for p in range(m):
        size[group[p]] += 1
    n_first = np.zeros(2, np.int64)
    n_rest = np.zeros(2, np.int64)
    limit_first = np.empty(2)
    limit_rest = np.empty(2)
    for lv in range(2):
        n_backbone, n_level = size[2 * lv + 1], size[2 * lv] + size[2 * lv + 1]
        n_first[lv] = min(max(np.int64(np.ceil(share * quota[lv] - 1e-9)), 0), n_backbone)
        n_rest[lv] = min(max(quota[lv] - n_first[lv], 0), n_level - n_first[lv])
        limit_first[lv] = _limit(n_first[lv], n_backbone, 0)
        limit_rest[lv] = _limit(n_rest[lv], n_level - n_first[lv], n_first[lv])
    candidates = np.empty((4, m), np.int64)  # rows: level 0 first, level 0 rest, level 1 first, level 1 rest
    found = np.zeros(4, np.int64)
    for p in range(m):
        g = group[p]
        lv = g >> 1
        draw = u[p]
        if g & 1 and draw < limit_first[lv]:
            candidates[2 * lv, found[2 * lv]] = p
            found[2 * lv] += 1
        if draw < limit_rest[lv]:
            candidates[2 * lv + 1, found[2 * lv + 1]] = p
            found[2 * lv + 1] += 1
    order = np.empty(m, np.int64)
    start = np.zeros(3, np.int64)
    taken = np.zeros(m, np.bool_)
    c = 0
    for lv in range(2):
        row = 2 * lv
        if found[row] < n_first[lv]:
            found[row] = _below(group, u, taken, 2 * lv + 1, False, np.inf, candidates[row])
        for p in _by_draw(candidates[row], found[row], u, n_first[lv]):
            taken[p] = True
            order[c] = p
            c += 1
        row += 1
        kept = 0
        for i in range(found[row]):
            if not taken[candidates[row, i]]:
                candidates[row, kept] = candidates[row, i]
                kept += 1
        if kept < n_rest[lv]:
            kept = _below(group, u, taken, 2 * lv, True, np.inf, candidates[row])
        for p in _by_draw(candidates[row], kept, u, n_rest[lv]):
            order[c] = p
            c += 1
        start[lv + 1] = c
    return order[:c], start, n_first


@kernel
def heap_less(key, a, b):
    """Section a's next place ranks before section b's (ties: the lower section, as a stable sort
    of every place would order them)."""
    return key[a] < key[b] or (key[a] == key[b] and a < b)


@kernel
def sift_down(heap, size, key):
    """Restore the heap (`size` sections) after its top's key grew or the top was replaced."""
    parent = 0
    while True:
        child = 2 * parent + 1
        if child >= size:
            return
        if child + 1 < size and heap_less(key, heap[child + 1], heap[child]):
            child += 1
        if not heap_less(key, heap[child], heap[parent]):
            return
        heap[parent], heap[child] = heap[child], heap[parent]
        parent = child


@kernel
def sift_up(heap, position, key):
    """Restore the heap after a section was added at `position`."""
    while position > 0:
        parent = (position - 1) // 2
        if not heap_less(key, heap[position], heap[parent]):
            return
        heap[parent], heap[position] = heap[position], heap[parent]
        position = parent
