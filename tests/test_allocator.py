"""balance_sim.allocator: glibc takes the setting, and a run after it is the run before it."""
import platform

import pytest

from balance_sim import datasets
from balance_sim.allocator import keep_freed_memory
from balance_sim.sim import simulate


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_glibc_keeps_freed_memory_and_results_stay():
    county = datasets.demo_county()
    before = simulate(county, years=3, seed=4)
    assert keep_freed_memory() is True
    after = simulate(county, years=3, seed=4)
    for table in ("county", "schools", "teacher_moves", "funding"):
        assert getattr(before, table).equals(getattr(after, table)), table
