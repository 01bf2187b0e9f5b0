"""Rules between tables: teachers belong to an existing school section, shared facilities to an
existing combined school, a campus to an existing parent school, and a facility is given once.

Source: design.md "Data dictionary" (teachers, shared_facilities, parent_school_id).
"""
from __future__ import annotations

import pandas as pd

from balance_sim.io.combined import key_index, school_key, shared_columns, split_weights, weighted_pupils
from balance_sim.io.schema import Rule, show


def _missing_from(frame: pd.DataFrame, other: pd.DataFrame, key: list[str]) -> pd.Series:
    """True on rows of `frame` whose (complete) key is not in `other`."""
    if not all(k in frame and k in other for k in key):
        return pd.Series(False, index=frame.index)
    complete = frame[key].notna().all(axis=1).to_numpy()
    absent = ~key_index(frame, key).isin(key_index(other, key))
    return pd.Series(complete & absent, index=frame.index)


def teacher_links(schools: pd.DataFrame) -> list[Rule]:
    """A teacher belongs to a school section; in a panel (both tables have `year`), of that year."""

    def key(d):
        return ["school_id", "level", "year"] if "year" in d and "year" in schools else ["school_id", "level"]

    def message(d, row):
        values = ", ".join(show(d.at[row, k]) for k in key(d))
        return f"no school section ({values}) in schools"

    return [Rule("teacher_school", "school_id", lambda d: _missing_from(d, schools, key(d)), message)]


def shared_links(schools: pd.DataFrame) -> list[Rule]:
    combined = split_weights().combined_types

    def not_combined(d):
        return ~d["school_type"].isin(combined) & d["school_type"].notna()

    def no_pupils(d):
        known = ~_missing_from(d, schools, school_key(schools, d))
        return known & weighted_pupils(schools, d).le(0)

    return [
        Rule(
            "shared_school",
            "school_id",
            lambda d: _missing_from(d, schools, school_key(schools, d)),
            lambda d, row: f"school {d.at[row, 'school_id']} is not in schools",
        ),
        Rule(
            "shared_combined",
            "school_type",
            not_combined,
            lambda d, row: f"whole-school facilities are for {', '.join(combined)} schools, "
            f"not {d.at[row, 'school_type']}",
        ),
        Rule(
            "shared_pupils",
            "school_id",
            no_pupils,
            lambda d, row: "the school has no pupils to split its facilities by",
        ),
    ]


def school_links(shared: pd.DataFrame | None) -> list[Rule]:
    """Rules on the schools table: parent schools exist; facilities are not given twice."""

    def orphan_campus(d):
        if "parent_school_id" not in d:
            return pd.Series(False, index=d.index)
        parent = d["parent_school_id"]
        return parent.notna() & ~parent.isin(set(d["school_id"].dropna()))

    rules = [
        Rule(
            "parent_school",
            "parent_school_id",
            orphan_campus,
            lambda d, row: f"parent school {d.at[row, 'parent_school_id']} is not in schools",
        )
    ]
    if shared is not None:
        rules += [_given_twice(column, shared) for column in shared_columns() if column in shared]
    return rules


def _given_twice(column: str, shared: pd.DataFrame) -> Rule:
    def whole_school_row(d):
        key = school_key(d, shared)
        given = shared[shared[column].notna()]
        rows = pd.Series(given.index, index=key_index(given, key))
        return pd.Series(rows.reindex(key_index(d, key)).to_numpy(), index=d.index)

    def fails(d):
        if column not in d:
            return pd.Series(False, index=d.index)
        return d[column].notna() & whole_school_row(d).notna()

    def message(d, row):
        return (
            f"{show(d.at[row, column])} given for this section and a whole-school total in "
            f"shared_facilities row {show(whole_school_row(d)[row])}; give one or the other"
        )

    return Rule(f"given_twice:{column}", column, fails, message)
