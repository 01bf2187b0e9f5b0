"""Text from users' files (school names, county names) written where a spreadsheet will open it.

Excel and LibreOffice run a cell that starts with `=`, `+`, `-` or `@` as a formula, so a school
named `=HYPERLINK("http://…","click")` in an input file would become a live link (or worse) in
a table we write: formula injection. Text that starts so is written with a leading `'`, which
makes the spreadsheet show it as text; in a CSV the `'` stays visible, which is the accepted
price (OWASP, "CSV Injection"). Numbers are never touched: -5 stays a number.
"""
from __future__ import annotations

import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's list for spreadsheet injection
TEXT_PREFIX = "'"


def starts_formula(value: object) -> bool:
    """True for text a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def neutralised(value: object) -> object:
    """`value` as a spreadsheet shows it, never calculates it: formula-like text gets the prefix."""
    return TEXT_PREFIX + value if starts_formula(value) else value


def _is_text(column: pd.Series) -> bool:
    return column.dtype == object or isinstance(column.dtype, (pd.CategoricalDtype, pd.StringDtype))


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` ready for a CSV a spreadsheet will open: every formula-like text cell and header
    neutralised. The frame itself is returned when nothing needs it; the caller's frame is never
    changed."""
    replaced = {}
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if _is_text(column):
            values = column.astype(object)
            if values.map(starts_formula).any():
                replaced[position] = values.map(neutralised)
    headers = frame.columns
    if not isinstance(headers, pd.MultiIndex) and any(map(starts_formula, headers)):
        headers = pd.Index([neutralised(h) for h in headers])
    if not replaced and headers is frame.columns:
        return frame
    out = frame.copy(deep=False)
    for position, values in replaced.items():
        out.isetitem(position, values)  # a new column: the caller's arrays are not written to
    out.columns = headers
    return out
