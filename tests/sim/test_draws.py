"""Draws made inside kernels (sim/draws.py) are numpy's: the same numbers, in the same order, and
the generator left where `Generator.random` would have left it, compiled and as Python."""
import copy
import ctypes

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.jit import kernel
from balance_sim.sim import draws


class _State:
    def __init__(self):
        self.scratch = {}


@kernel
def _draw_blocks(bits, sizes, single):
    """Blocks of draws of the given sizes, float32 where `single`, in one call, then one float64."""
    out32 = np.empty(sizes.sum(), np.float32)
    out64 = np.empty(sizes.sum())
    start = 0
    for b in range(len(sizes)):
        if single[b]:
            draws.fill32(bits, out32[start:start + sizes[b]])
        else:
            draws.fill(bits, out64[start:start + sizes[b]])
        start += sizes[b]
    return out32, out64, draws.next_double(bits)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**63 - 1), st.lists(st.tuples(st.integers(0, 40), st.booleans()), max_size=8),
       st.booleans())
def test_draws_in_a_kernel_are_numpys_draws(seed, blocks, compiled):
    sizes = np.array([size for size, _ in blocks], np.int64)
    single = np.array([one for _, one in blocks], np.bool_)
    mine, numpys = np.random.default_rng(seed), np.random.default_rng(seed)
    mine.random(3, dtype=np.float32)  # an odd number of float32 draws before: PCG64 keeps half a word
    numpys.random(3, dtype=np.float32)
    f = _draw_blocks if compiled else _draw_blocks.py_func
    out32, out64, last = f(draws.pointers(_State(), mine), sizes, single)
    start = 0
    for size, one in blocks:
        expected = numpys.random(size, dtype=np.float32 if one else np.float64)
        got = (out32 if one else out64)[start:start + size]
        assert np.array_equal(got, expected)
        start += size
    assert last == numpys.random()
    assert mine.bit_generator.state == numpys.bit_generator.state  # the stream goes on as numpy's
    assert mine.random(5).tolist() == numpys.random(5).tolist()


def test_a_two_dimensional_block_is_filled_in_c_order():
    mine, numpys = np.random.default_rng(7), np.random.default_rng(7)
    out = np.empty((3, 4), np.float32)
    draws.fill32(draws.pointers(_State(), mine), out)
    assert np.array_equal(out, numpys.random((3, 4), dtype=np.float32))


def test_a_copied_state_draws_from_its_own_generator():
    """A State copied with its generator (its scratch holds the first one's addresses) draws from
    the copy, and the original generator does not move."""
    state, rng = _State(), np.random.default_rng(3)
    bits = draws.pointers(state, rng)
    assert draws.pointers(state, rng) is bits  # kept for the run
    state_copy, rng_copy = copy.deepcopy((state, rng))
    before = rng.bit_generator.state
    out = np.empty(4)
    draws.fill(draws.pointers(state_copy, rng_copy), out)
    assert rng.bit_generator.state == before
    assert np.array_equal(out, np.random.default_rng(3).random(4))


def test_the_addresses_are_the_generators_own():
    rng = np.random.default_rng(1)
    c = rng.bit_generator.ctypes
    expected = [c.state_address, *(ctypes.cast(f, ctypes.c_void_p).value for f in (c.next_double, c.next_uint32))]
    assert draws.pointers(_State(), rng).tolist() == expected
