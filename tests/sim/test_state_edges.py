"""The edges of the engine: text columns built by one Arrow take, and the base-year state read
from the schools table."""
import numpy as np
import pandas as pd

from balance_sim.sim import Streams, load_policy
from balance_sim.sim.initial import initial_state
from balance_sim.sim.ledger import string_column
from sim_counties import small_county


def test_string_column_is_what_pandas_infers_from_the_words():
    words = np.array(["甲小学", "b", "c"], dtype=object)
    codes = np.array([2, -1, 0, 0, 1, -1])
    expected = pd.Series(np.append(words, None)[codes])
    column = pd.Series(string_column(words, codes))
    pd.testing.assert_series_equal(column, expected)
    assert len(string_column(words, np.zeros(0, np.int64))) == 0


def test_base_year_state_reads_the_schools_numbers():
    county = small_county(seed=5)
    state = initial_state(county, load_policy(), Streams(0), 3)
    schools = county.schools
    assert np.array_equal(state.schools.assets[:, 0], schools["teaching_area_m2"].to_numpy(float))
    assert state.schools.level.tolist() == [0 if w == "primary" else 1 for w in schools["level"]]
