"""The mapping report: for every sheet read, each canonical column and the header paths it came
from, the optional columns not found, the totals checked, and every header ignored."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from balance_sim.statexport.mapping import Mapping
from balance_sim.statexport.resolve import SheetMapping, Source

REPORT_COLUMNS = ["file", "sheet", "level", "canonical", "status", "columns", "header_path"]


@dataclass(frozen=True)
class MappingReport:
    """`frame`: one row per (sheet, canonical column or ignored header); `text`: the same, printable."""

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


def build_report(sheets: list[tuple[SheetMapping, int]], mapping: Mapping) -> MappingReport:
    """`sheets`: each mapped sheet with the number of data rows read from it."""
    rows, lines = [], [f"mapping: {mapping.name} ({mapping.source})"]
    for mapped, count in sheets:
        sheet = mapped.sheet
        base = {"file": sheet.file, "sheet": sheet.name, "level": mapped.level}
        lines.append(f"{sheet.where}: level {mapped.level}, header rows 1–{sheet.header_rows}, {count} rows read")
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
        for total, parts in mapped.checks:
            lines.append(f"  checked: {total.letter} {total.text} = sum of {', '.join(p.letter for p in parts)}")
        for column in mapped.ignored:
            rows.append({**base, "canonical": "", "status": "ignored", "columns": column.letter, "header_path": column.text})
        if mapped.ignored:
            lines.append("  ignored: " + "; ".join(f"{c.letter} {c.text}" for c in mapped.ignored))
    return MappingReport(pd.DataFrame(rows, columns=REPORT_COLUMNS), "\n".join(lines))
