"""Write a run's result tables: CSV and Parquet per table, and one Excel workbook for policy staff.

CSV is written as UTF-8 with a byte-order mark so that Excel opens Chinese text correctly; Parquet
keeps the column types for further analysis; the workbook (see `excel.py`) has labelled headers
in the report's language.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from balance_sim.report.excel import write_workbook
from balance_sim.spreadsheet_safe import formula_safe
from balance_sim.report.labels import sheet_label

WORKBOOK_FILE = "tables.xlsx"


def shown_path(path: Path) -> str:
    """A folder as a reader finds it: relative to the project (or working) folder when inside it."""
    from balance_sim.report.parameters import project_folder

    path = Path(path).resolve()
    try:
        return path.relative_to(project_folder()).as_posix()
    except ValueError:
        return path.as_posix()


def written_line(tables, where: str, workbook: bool, language: str = "en") -> str:
    if language == "zh":
        names = "、".join(sheet_label(name, "zh") for name in tables)
        also = f"及工作簿 {WORKBOOK_FILE}" if workbook else ""
        return f"已将{names}写入 {where}（CSV 与 Parquet 格式{also}）。"
    also = f", and the workbook {WORKBOOK_FILE}" if workbook else ""
    return f"Wrote {', '.join(tables)} to {where} as CSV and Parquet{also}."


def write_tables(
    out_dir: str | Path, tables: Mapping[str, pd.DataFrame], language: str = "en", workbook: bool = True,
    quiet: bool = False,
) -> list[Path]:
    """Write each table as `<name>.csv` and `<name>.parquet`, plus `tables.xlsx`; return the paths
    (and, unless `quiet`, say in one line what was written where)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        frame = frame.reset_index(drop=True)
        formula_safe(frame).to_csv(out_dir / f"{name}.csv", index=False, encoding="utf-8-sig")
        frame.to_parquet(out_dir / f"{name}.parquet", index=False)
        written += [out_dir / f"{name}.csv", out_dir / f"{name}.parquet"]
    if workbook:
        sheets = {sheet_label(name, language): frame for name, frame in tables.items()}
        written.append(write_workbook(out_dir / WORKBOOK_FILE, sheets, language))
    if not quiet:
        print(written_line(tables, shown_path(out_dir), workbook, language))
    return written
