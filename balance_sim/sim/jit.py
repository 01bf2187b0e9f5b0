"""Compiled kernels for the year loop.

At the size of one county (tens of sections, a few thousand teachers) a year of numpy calls is
dominated by the fixed cost of each call, not by the arithmetic; each mechanism therefore does its
per-year pass in one compiled kernel (Numba), a plain loop over the arrays. Kernels take arrays and
numbers only; random numbers are drawn with numpy outside them, so a seed gives the same draws
whatever runs the kernel. Compiled code is cached next to the module (first run of a fresh
install compiles it once). Setting NUMBA_DISABLE_JIT=1 runs the same kernels as Python, which is
how the tests check that the compiled and the interpreted kernels agree.

`error_model="numpy"`: division by zero gives inf/NaN as numpy would, instead of raising.
"""
from __future__ import annotations

import numba

kernel = numba.njit(cache=True, nogil=True, error_model="numpy")
