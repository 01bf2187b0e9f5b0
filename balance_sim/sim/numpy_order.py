"""numpy's float semantics inside kernels, so compiled passes give the array formulas' results
to the last bit: `pairwise_sum` adds in the order of `ndarray.sum()` (numpy's pairwise
summation), `level_totals` sums by level in the block order of the matrix product
`level_matrix @ values`, `maximum`/`minimum` propagate NaN as `np.maximum`/`np.minimum` do."""
from __future__ import annotations

import numpy as np

from balance_sim.jit import inlined, kernel

BLOCK = 128  # numpy sums runs of up to 128 values with eight running sums


@kernel
def lane_sum(values, start: int, stop: int) -> float:
    """numpy's sum of values[start:stop] (at most 128 values): one after another below eight,
    else eight running sums combined pairwise, then the remainder one by one."""
    n = stop - start
    if n < 8:
        total = -0.0
        for i in range(start, stop):
            total += values[i]
        return total
    r0, r1, r2, r3 = values[start], values[start + 1], values[start + 2], values[start + 3]
    r4, r5, r6, r7 = values[start + 4], values[start + 5], values[start + 6], values[start + 7]
    i = start + 8
    whole = start + n - n % 8
    while i < whole:
        r0 += values[i]
        r1 += values[i + 1]
        r2 += values[i + 2]
        r3 += values[i + 3]
        r4 += values[i + 4]
        r5 += values[i + 5]
        r6 += values[i + 6]
        r7 += values[i + 7]
        i += 8
    total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < stop:
        total += values[i]
        i += 1
    return total


@kernel
def pairwise_sum(values) -> float:
    """`values.sum()` of a contiguous 1-D float array, bit for bit: runs of up to 128 values as in
    `lane_sum`, longer runs split in two halves (the first a multiple of eight) whose sums are
    added. The recursion runs on an explicit stack (a recursive kernel cannot be cached)."""
    if len(values) <= BLOCK:
        return 0.0 + lane_sum(values, 0, len(values))
    start = np.empty(64, np.int64)
    count = np.empty(64, np.int64)
    phase = np.zeros(64, np.int64)  # 0: not split yet, 1: left half running, 2: right half running
    left_sum = np.empty(64)
    top = 0
    start[0], count[0] = 0, len(values)
    while True:
        if count[top] > BLOCK:
            half = count[top] // 2
            half -= half % 8
            phase[top] = 1
            top += 1
            start[top], count[top], phase[top] = start[top - 1], half, 0
            continue
        total = lane_sum(values, start[top], start[top] + count[top])
        top -= 1
        while top >= 0 and phase[top] == 2:  # both halves done: their sum goes up
            total = left_sum[top] + total
            top -= 1
        if top < 0:
            return 0.0 + total
        left_sum[top], phase[top] = total, 2  # left half done: run the right half
        half = count[top] // 2
        half -= half % 8
        start[top + 1], count[top + 1], phase[top + 1] = start[top] + half, count[top] - half, 0
        top += 1


@inlined
def maximum(a, b):
    """np.maximum of two numbers: NaN if either is NaN."""
    if a != a or b != b:
        return a + b
    return a if a >= b else b


@inlined
def minimum(a, b):
    """np.minimum of two numbers: NaN if either is NaN."""
    if a != a or b != b:
        return a + b
    return a if a <= b else b


# Sums by level were `level_matrix @ values`, matrix products numpy hands to OpenBLAS, which
# sums over the sections in blocks of at most 256 (its double-precision GEMM_Q on the x86-64
# kernels numpy ships; the last two blocks split the rest in halves rounded up to a multiple of
# 4) and adds the block sums in turn. Taking the same blocks keeps every figure of counties above
# 256 sections identical; up to 256 sections it is one sum in section order.
GEMM_BLOCK = 256
GEMM_UNROLL = 4


@kernel
def level_totals(grades, level, outflow_share) -> np.ndarray:
    """grades × outflow_share (per section) summed by level: (2 levels × columns), in the block
    order of level_matrix @ (grades × outflow_share[:, None]) (enrolment's pupils leaving;
    capital's level stock, with shares of one)."""
    n, n_grades = grades.shape
    total = np.zeros((2, n_grades))
    block = np.zeros((2, n_grades))
    start = 0
    while start < n:
        size = n - start
        if size >= 2 * GEMM_BLOCK:
            size = GEMM_BLOCK
        elif size > GEMM_BLOCK:
            size = (size // 2 + GEMM_UNROLL - 1) // GEMM_UNROLL * GEMM_UNROLL
        # The first block is summed straight into the totals (0 + block sum = block sum).
        into = total if start == 0 else block
        if start > 0:
            block[:] = 0.0
        for k in range(start, start + size):
            lv = level[k]
            share = outflow_share[k]
            for g in range(n_grades):
                into[lv, g] += grades[k, g] * share
        if start > 0:
            for lv in range(2):
                for g in range(n_grades):
                    total[lv, g] += block[lv, g]
        start += size
    return total
