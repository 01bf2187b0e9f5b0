import functools

import pytest

from balance_sim.datasets import demo_county, demo_province


@functools.cache
def _demo():
    return demo_county()


@functools.cache
def _province():
    return demo_province()


@pytest.fixture
def demo():
    return _demo()


@pytest.fixture
def province():
    return _province()
