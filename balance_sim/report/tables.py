"""Tables shown in reports: pandas Stylers with labelled headers, formatted numbers and pass/fail
marked in colour, in English or Chinese.

The numbers in the written CSV/Parquet/Excel files stay raw; only the shown table is formatted.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from balance_sim.report.labels import column_label, translate

PASS_COLOUR = "background-color: #d9f2d9"
FAIL_COLOUR = "background-color: #f8d4d4"
_MARKS = {True: "✓", False: "✗"}


def _mark(value: object) -> object:
    """✓ / ✗ for a boolean, — for a missing value (not assessable)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, (bool, np.bool_)):
        return _MARKS[bool(value)]
    return value


def _colour(value: object) -> str:
    return {"✓": PASS_COLOUR, "✗": FAIL_COLOUR, "pass": PASS_COLOUR, "fail": FAIL_COLOUR,
            "达标": PASS_COLOUR, "未达标": FAIL_COLOUR}.get(value, "") if isinstance(value, str) else ""


def styled(
    frame: pd.DataFrame,
    language: str = "en",
    caption: str = "",
    formats: Mapping[str, str] | None = None,
    flags: Sequence[str] = (),
) -> Styler:
    """A Styler of `frame`: headers labelled in `language`, `formats` (column → format string,
    e.g. "{:.3f}") applied, boolean `flags` columns shown as ✓/✗ and coloured, verdicts coloured."""
    shown = frame.copy()
    for column in flags:
        shown[column] = shown[column].astype(object).map(_mark)
    shown = translate(shown, language)
    labelled_formats = {column_label(c, language): f for c, f in (formats or {}).items() if c in frame}
    coloured = [column_label(c, language) for c in [*flags, "verdict", "status"] if c in frame]
    style = shown.style.hide(axis="index").format(labelled_formats, na_rep="—")
    if coloured:
        style = style.map(_colour, subset=coloured)
    if caption:
        style = style.set_caption(caption).set_table_styles(
            [{"selector": "caption", "props": "caption-side: top; font-weight: bold; text-align: left;"}]
        )
    return style
