"""Per-school indicators: hand-computed values and the tidy layout."""
import numpy as np
import pandas as pd
import pytest

from balance_sim.indicators import KEYS, indicator_values, indicators


def _schools():
    return pd.DataFrame(
        {
            "school_id": ["a", "b", "c"],
            "name": ["A", "B", "C"],
            "level": ["primary", "primary", "junior"],
            "location": ["urban", "rural", "town"],
            "students": [400, 50, 0],
            "teachers": [20, 5, 3],
            "teaching_area_m2": [2000.0, 300.0, 100.0],
            "books": [12000, 1000, 10],
        }
    )


def test_per_pupil_and_per_100_values_by_hand():
    wide = indicator_values(_schools())
    assert wide.loc[0, "teaching_area_per_student"] == pytest.approx(5.0)
    assert wide.loc[1, "teaching_area_per_student"] == pytest.approx(6.0)
    assert wide.loc[0, "teachers_per_100"] == pytest.approx(5.0)
    assert wide.loc[1, "teachers_per_100"] == pytest.approx(10.0)
    assert wide.loc[1, "books_per_student"] == pytest.approx(20.0)


def test_no_pupils_or_missing_column_gives_nan():
    wide = indicator_values(_schools())
    assert wide.loc[2].isna().all()
    assert wide["computers_per_100"].isna().all()


def test_tidy_table_has_one_row_per_school_and_key():
    tidy = indicators(_schools())
    assert len(tidy) == 3 * len(KEYS)
    assert set(tidy["key"]) == set(KEYS)
    row = tidy[(tidy.school_id == "b") & (tidy.key == "teachers_per_100")]
    assert row["value"].item() == pytest.approx(10.0)
    assert not np.isnan(tidy[tidy.school_id == "a"]["value"].dropna()).any()
