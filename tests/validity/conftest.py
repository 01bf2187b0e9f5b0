"""The validation suite's fixture: each test that takes `name` runs on the demo county and on a
second county (validity_runs.py); sim_counties (small random counties) from tests/sim."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "sim"))
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(params=["demo", "second"])
def name(request) -> str:
    return request.param
