"""The mapping report: for every sheet read, each canonical column and the header paths it came
from, the optional columns not found, which breakdown checks ran (in full, or on a trimmed
breakdown) and which were skipped and why, the rows where a trimmed breakdown falls short of its
total, and every header ignored."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from balance_sim.statexport.mapping import Mapping
from balance_sim.statexport.resolve import BreakdownCheck, SheetMapping, Source

REPORT_COLUMNS = ["file", "sheet", "level", "canonical", "status", "columns", "header_path", "detail"]
_ROWS_SHOWN = 10


@dataclass(frozen=True)
class SheetRead:
    """A mapped sheet, the number of data rows read from it, and the rows where each trimmed
    breakdown adds up to less than its total."""

    mapped: SheetMapping
    rows_read: int
    short_rows: dict[BreakdownCheck, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class MappingReport:
    """`frame`: one row per (sheet, canonical column, check or ignored header); `text`: the same, printable."""

    frame: pd.DataFrame
    text: str

    def __str__(self) -> str:
        return self.text


def _sources_text(sources: tuple[Source, ...]) -> tuple[str, str]:
    letters, paths = "", ""
    for i, source in enumerate(sources):
        sign = ("" if i == 0 else " + ") if source.sign > 0 else " − "
        scale = f" × {source.scale:g}" if source.scale != 1 else ""
        letters += sign.strip() + source.column.letter
        paths += f"{sign}{source.column.text}{scale}"
    return letters, paths


def _rows_text(rows: tuple[int, ...]) -> str:
    shown = ", ".join(map(str, rows[:_ROWS_SHOWN]))
    return shown + (f" and {len(rows) - _ROWS_SHOWN} more" if len(rows) > _ROWS_SHOWN else "")


def _check_lines(check: BreakdownCheck, short: tuple[int, ...]) -> tuple[dict, list[str]]:
    """The report row and text lines of one breakdown check on one sheet."""
    if not check.runs:
        totals = " | ".join(p.text for p in check.check.total)
        row = {"status": "not checked", "columns": "", "header_path": totals, "detail": check.skipped}
        return row, [f"  not checked: {totals} against the parts under {check.group}: {check.skipped}"]
    total, parts = check.total, ", ".join(p.letter for p in check.parts)
    columns = f"{total.letter} = {'+'.join(p.letter for p in check.parts)}"
    if check.complete:
        row = {"status": "checked", "columns": columns, "header_path": total.text,
               "detail": f"every category of {check.group} present: the parts must add up to the total"}
        return row, [f"  checked: {total.letter} {total.text} = sum of {parts} ({check.group}, every category present)"]
    lacking = ", ".join(check.missing)
    detail = (f"{check.group} lacks {lacking}: parts above the total are errors, below it are noted"
              + (f"; below it on rows {_rows_text(short)}" if short else ""))
    row = {"status": "checked (trimmed)", "columns": columns, "header_path": total.text, "detail": detail}
    lines = [f"  checked: {total.letter} {total.text} ≥ sum of {parts} ({check.group} lacks {lacking}: "
             "parts above the total are errors, below it are noted)"]
    if short:
        lines.append(f"  note: {check.group} ({parts}) adds up to less than {total.letter} {total.text} on "
                     f"{len(short)} row(s) ({_rows_text(short)}): the rest is in {lacking}, not in the sheet")
    return row, lines


def build_report(sheets: list[SheetRead], mapping: Mapping) -> MappingReport:
    """`sheets`: each mapped sheet as read."""
    rows, lines = [], [f"mapping: {mapping.name} ({mapping.source})"]
    for read in sheets:
        mapped, sheet = read.mapped, read.mapped.sheet
        base = {"file": sheet.file, "sheet": sheet.name, "level": mapped.level, "canonical": "", "detail": ""}
        lines.append(f"{sheet.where}: level {mapped.level}, header rows 1–{sheet.header_rows}, {read.rows_read} rows read")
        width = max(len(c) for c in mapping.columns)
        for canonical in mapping.columns:
            if canonical in mapped.sources:
                letters, paths = _sources_text(mapped.sources[canonical])
                rows.append({**base, "canonical": canonical, "status": "mapped", "columns": letters, "header_path": paths})
                lines.append(f"  {canonical:<{width}} ← {letters}: {paths}")
            elif canonical in mapped.absent:
                rows.append({**base, "canonical": canonical, "status": "not found", "columns": "", "header_path": ""})
        absent = [c for c in mapping.columns if c in mapped.absent]
        if absent:
            lines.append(f"  not found: {', '.join(absent)}")
        for check in mapped.checks:
            row, text = _check_lines(check, read.short_rows.get(check, ()))
            rows.append({**base, **row})
            lines += text
        for column in mapped.ignored:
            rows.append({**base, "status": "ignored", "columns": column.letter, "header_path": column.text})
        if mapped.ignored:
            lines.append("  ignored: " + "; ".join(f"{c.letter} {c.text}" for c in mapped.ignored))
    return MappingReport(pd.DataFrame(rows, columns=REPORT_COLUMNS), "\n".join(lines))
