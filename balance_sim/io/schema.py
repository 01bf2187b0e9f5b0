"""Validation schemas (pandera), declared from the data dictionary: every rule once, every problem
reported with the row and column the user sees.

Two passes over a table: `cell_schema` on the text as read (required cells filled, numbers and
words readable), then `table_schema` on the typed table (required columns present, minimums,
maximums, sub-counts ≤ totals, unique keys, classes where there are pupils). Rules between tables (teachers
pointing at schools, …) live in `links.py` and run through the same machinery.
Source: design.md "Data dictionary"; dictionary.yaml.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import pandas as pd
import pandera.pandas as pa

from balance_sim.errors import Problem
from balance_sim.io.convert import missing, read_column, reason
from balance_sim.io.dictionary import Column, Table, dictionary


@dataclass(frozen=True)
class Rule:
    """One rule: `fails(frame)` is True on breaking rows; `message(frame, row)` says why."""

    name: str  # unique within a schema; pandera reports it as the failing check
    column: str  # the column a problem is reported in
    fails: Callable[[pd.DataFrame], pd.Series]
    message: Callable[[pd.DataFrame, object], str]


def show(value: object) -> str:
    """A value as the user wrote it: 12 rather than 12.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _none(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(False, index=frame.index)


def _present(frame: pd.DataFrame, *columns: str) -> bool:
    return all(c in frame for c in columns)


# ---- pass 1: cell text -------------------------------------------------------------------------


def _required_cell(column: Column) -> Rule:
    def fails(d):
        return missing(d[column.name]) if column.name in d else _none(d)

    def message(d, row):
        text = d.at[row, column.name].strip()
        return "required cell is empty" + (f" ('{text}')" if text else "")

    return Rule(f"required:{column.name}", column.name, fails, message)


def _readable_cell(column: Column, scale: Decimal) -> Rule:
    def fails(d):
        if column.name not in d:
            return _none(d)
        return read_column(d[column.name], column, scale)[1] != ""

    return Rule(
        f"readable:{column.name}",
        column.name,
        fails,
        lambda d, row: reason(d.at[row, column.name], column, scale),
    )


def cell_rules(table: Table, scales: dict[str, Decimal] | None = None) -> list[Rule]:
    """Rules on the text of each cell; `scales` are the unit factors of the file's headers."""
    scales = scales or {}
    rules = [_required_cell(c) for c in table.columns.values() if c.required]
    rules += [
        _readable_cell(c, scales.get(c.name, Decimal(1)))
        for c in table.columns.values()
        if c.type != "str"
    ]
    return rules


# ---- pass 2: typed table -----------------------------------------------------------------------


def _minimum(column: Column) -> Rule:
    def fails(d):
        return d[column.name].lt(column.min).fillna(False) if column.name in d else _none(d)

    return Rule(
        f"min:{column.name}",
        column.name,
        fails,
        lambda d, row: f"{show(d.at[row, column.name])} is below the minimum {show(column.min)}",
    )


def _above_maximum(value: object, column: Column) -> str:
    text = f"{show(value)} is above {show(column.max)}"
    if column.max == 1:
        # A share typed as a percentage (87 for 87%) is the usual slip: say what was meant.
        percent = Decimal(repr(float(value)))
        if percent <= 100:
            return f"{text}: shares are fractions ({(percent / 100).normalize():f} for {show(value)}%)"
        return f"{text}: shares are fractions between 0 and 1"
    return f"{text}, the maximum"


def _maximum(column: Column) -> Rule:
    def fails(d):
        return d[column.name].gt(column.max).fillna(False) if column.name in d else _none(d)

    return Rule(
        f"max:{column.name}",
        column.name,
        fails,
        lambda d, row: _above_maximum(d.at[row, column.name], column),
    )


def _at_most(column: Column, table: Table) -> Rule:
    total = column.max_col
    floor = table.columns[total].min
    floor = float("-inf") if floor is None else floor

    def fails(d):
        if not _present(d, column.name, total):
            return _none(d)
        # A total below its own minimum is reported once, not again by every sub-count.
        return (d[column.name].gt(d[total]) & d[total].ge(floor)).fillna(False)

    def message(d, row):
        return f"{show(d.at[row, column.name])} is more than {total} ({show(d.at[row, total])})"

    return Rule(f"max_col:{column.name}", column.name, fails, message)


def _known_word(column: Column) -> Rule:
    words = dictionary().canonical_words(column.values)

    def fails(d):
        if column.name not in d:
            return _none(d)
        return d[column.name].notna() & ~d[column.name].isin(words)

    def message(d, row):
        return f"'{d.at[row, column.name]}' is not a {column.name} word ({', '.join(words)})"

    return Rule(f"known_word:{column.name}", column.name, fails, message)


def key_columns(table: Table, frame: pd.DataFrame) -> list[str]:
    """The table's key, with `year` when the file holds several years."""
    key = list(table.key)
    if "year" in table.columns and "year" not in key and "year" in frame:
        key.append("year")
    return key


def _unique_key(table: Table) -> Rule:
    def fails(d):
        key = key_columns(table, d)
        if not _present(d, *key):
            return _none(d)
        return d.duplicated(key, keep="first") & d[key].notna().all(axis=1)

    def message(d, row):
        key = key_columns(table, d)
        same = (d[key] == d.loc[row, key]).all(axis=1)
        values = ", ".join(show(v) for v in d.loc[row, key])
        return f"duplicate key ({', '.join(key)}) = ({values}), first on row {same.idxmax()}"

    return Rule(f"key:{table.name}", table.key[0], fails, message)


def _classes_where_pupils(d: pd.DataFrame) -> pd.Series:
    if not _present(d, "students", "classes"):
        return _none(d)
    return d["students"].gt(0).fillna(False) & ~d["classes"].gt(0).fillna(False)


def _county_everywhere(d: pd.DataFrame) -> pd.Series:
    # design.md: county is required when the file holds several counties.
    if "county" not in d or d["county"].isna().all():
        return _none(d)
    return d["county"].isna()


def table_rules(table: Table) -> list[Rule]:
    """Rules on a typed table: minimums, sub-counts, the key, and the schools' own rules."""
    columns = table.columns.values()
    rules = [_minimum(c) for c in columns if c.min is not None]
    rules += [_maximum(c) for c in columns if c.max is not None]
    rules += [_at_most(c, table) for c in columns if c.max_col]
    rules += [_known_word(c) for c in columns if c.type == "category"]
    rules.append(_unique_key(table))
    if table.name == "schools":
        rules.append(
            Rule(
                "classes_where_pupils",
                "classes",
                _classes_where_pupils,
                lambda d, row: f"no classes given for {show(d.at[row, 'students'])} pupils",
            )
        )
        rules.append(
            Rule(
                "county_everywhere",
                "county",
                _county_everywhere,
                lambda d, row: "county is empty here but given on other rows",
            )
        )
    return rules


def _pandera(table: Table, rules: list[Rule], columns: bool) -> pa.DataFrameSchema:
    declared = {
        c.name: pa.Column(nullable=True, required=c.required) for c in table.columns.values()
    }
    checks = [
        # ignore_na=False: a dataframe check would otherwise skip rows with any empty cell.
        pa.Check(lambda d, rule=rule: ~rule.fails(d), error=rule.name, ignore_na=False)
        for rule in rules
    ]
    return pa.DataFrameSchema(declared if columns else {}, checks=checks)


@cache
def cell_schema(table_name: str) -> pa.DataFrameSchema:
    """The pandera schema of a table's cell text (unit factors of 1)."""
    table = dictionary().tables[table_name]
    return _pandera(table, cell_rules(table), columns=False)


@cache
def table_schema(table_name: str) -> pa.DataFrameSchema:
    """The pandera schema of a typed canonical table."""
    table = dictionary().tables[table_name]
    return _pandera(table, table_rules(table), columns=True)


def cell_problems(
    table: Table, frame: pd.DataFrame, label: str, headers: dict[str, str], scales: dict[str, Decimal]
) -> list[Problem]:
    """Problems in the cell text of one table (frame of str, canonical columns, user rows)."""
    rules = cell_rules(table, scales)
    return _problems(_pandera(table, rules, columns=False), rules, table, frame, label, headers)


def table_problems(
    table: Table,
    frame: pd.DataFrame,
    label: str,
    headers: dict[str, str],
    links: list[Rule] = (),
) -> list[Problem]:
    """Problems in one typed table, including the `links` to other tables."""
    rules = table_rules(table) + list(links)
    return _problems(_pandera(table, rules, columns=True), rules, table, frame, label, headers)


def _problems(
    schema: pa.DataFrameSchema,
    rules: list[Rule],
    table: Table,
    frame: pd.DataFrame,
    label: str,
    headers: dict[str, str],
) -> list[Problem]:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return []
    by_name = {rule.name: rule for rule in rules}
    found: list[Problem] = []
    for check, group in cases.groupby("check", sort=False):
        if check == "column_in_dataframe":
            for name in group["failure_case"]:
                zh = " / ".join(table.columns[name].zh) or "none"
                found.append(Problem(label, 1, name, f"required column missing (Chinese: {zh})"))
            continue
        rule = by_name[check]
        for row in dict.fromkeys(group["index"]):  # a dataframe check lists each column of a row
            column = headers.get(rule.column, rule.column)
            found.append(Problem(label, int(row), column, rule.message(frame, row)))
    return sorted(found, key=lambda problem: problem.row or 0)
