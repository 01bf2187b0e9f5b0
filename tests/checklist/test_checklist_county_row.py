"""The county table's row an item reads: the county's row of the year asked (the latest year of
that county's rows when none is asked), its last row on duplicates, none when nothing matches;
a table without county names serves a single county only."""
import numpy as np
import pandas as pd

from balance_sim.checklist.data import county_row

TABLE = pd.DataFrame({
    "county": pd.array(["甲县", "乙县", "甲县", "甲县", None], dtype="str"),
    "year": pd.array([2020, 2022, 2021, 2021, 2023], dtype="Int64"),
    "exchange_teachers": [1, 2, 3, 4, 5],
})


def test_the_year_asked_and_the_last_row_on_duplicates():
    assert county_row(TABLE, "甲县", 2020, False)["exchange_teachers"] == 1
    assert county_row(TABLE, "甲县", 2021, False)["exchange_teachers"] == 4


def test_without_a_year_the_latest_of_that_countys_rows():
    # 2023 belongs to a row without a county and 2022 to another county: 甲县's latest is 2021.
    assert county_row(TABLE, "甲县", None, False)["exchange_teachers"] == 4
    assert county_row(TABLE, "乙县", None, False)["exchange_teachers"] == 2


def test_nothing_matches():
    assert county_row(TABLE, "丙县", None, False) is None
    assert county_row(TABLE, "乙县", 2020, False) is None
    assert county_row(None, "甲县", None, False) is None
    assert county_row(TABLE.iloc[:0], "甲县", None, False) is None


def test_a_table_without_names_serves_one_county_only():
    unnamed = TABLE.drop(columns="county")
    assert county_row(unnamed, "任意县", None, False)["exchange_teachers"] == 5
    assert county_row(unnamed, "任意县", None, True) is None


def test_rows_without_a_year_are_read_when_no_row_has_one():
    table = pd.DataFrame({"county": ["甲县", "甲县"], "year": [np.nan, np.nan], "exchange_teachers": [7, 8]})
    assert county_row(table, "甲县", None, False)["exchange_teachers"] == 8
    assert county_row(table, "甲县", 2021, False)["exchange_teachers"] == 8
