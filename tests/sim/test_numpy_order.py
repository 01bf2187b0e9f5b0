"""The kernels' sums and extremes follow numpy's float semantics bit for bit (numpy_order.py):
`pairwise_sum` equals `ndarray.sum()` for any length (runs of 128, halves split at multiples of
eight), compiled and as Python; `maximum`/`minimum` propagate NaN as np.maximum/np.minimum;
`level_totals` sums by level in the block order of numpy's matrix product (OpenBLAS, as shipped
with numpy's wheels on x86-64)."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from balance_sim.sim.numpy_order import level_totals, maximum, minimum, pairwise_sum

from array_references import level_matrix


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 5000), st.floats(-3, 9))
def test_pairwise_sum_is_numpys_sum_bit_for_bit(seed, n, scale):
    rng = np.random.default_rng(seed)
    values = rng.standard_normal(n) * 10 ** rng.uniform(-3, scale, n) * rng.choice([-1.0, 1.0], n)
    assert pairwise_sum(values) == values.sum()
    assert pairwise_sum.py_func(values) == values.sum()
    table = values[: n - n % 6].reshape(-1, 6)  # a whole (S × 6) table is summed as one run
    assert pairwise_sum(table.reshape(-1)) == table.sum()


def test_order_matters_and_is_numpys():
    # 1e16 + 1 + ... : added left to right the ones vanish; numpy's eight running sums keep some.
    values = np.array([1e16] + [1.0] * 15)
    assert values.sum() != sum(values.tolist())
    assert pairwise_sum(values) == values.sum()


def test_empty_and_negative_zero():
    assert pairwise_sum(np.zeros(0)) == 0.0
    assert np.signbit(np.array([-0.0]).sum()) == np.signbit(pairwise_sum(np.array([-0.0])))


def test_maximum_and_minimum_keep_nan():
    for f, g in ((maximum, np.maximum), (minimum, np.minimum)):
        for a, b in ((1.0, 2.0), (2.0, -1.0), (np.nan, 1.0), (1.0, np.nan), (3.0, 3.0), (-0.0, 0.0)):
            assert np.array_equal(f(a, b), g(a, b), equal_nan=True)
            assert np.array_equal(f.py_func(a, b), g(a, b), equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 3000), st.booleans())
def test_level_totals_are_the_level_matrix_product_bit_for_bit(seed, n, whole):
    # Capital's level stock (shares of one) and enrolment's pupils leaving (shares below one),
    # over more sections than one block of 256 holds.
    rng = np.random.default_rng(seed)
    values = rng.uniform(0, 1e6, (n, 6)) * (rng.random((n, 1)) < 0.9)
    level = (rng.random(n) < 0.3).astype(np.int8)
    share = np.ones(n) if whole else rng.uniform(0, 0.2, n)
    expected = level_matrix(level) @ (values * share[:, None])
    assert np.array_equal(level_totals(values, level, share), expected)
    if n < 300:
        assert np.array_equal(level_totals.py_func(values, level, share), expected)
