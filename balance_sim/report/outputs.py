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
from balance_sim.report.labels import sheet_label

WORKBOOK_FILE = "tables.xlsx"


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
        frame.to_csv(out_dir / f"{name}.csv", index=False, encoding="utf-8-sig")
        frame.to_parquet(out_dir / f"{name}.parquet", index=False)
        written += [out_dir / f"{name}.csv", out_dir / f"{name}.parquet"]
    if workbook:
        sheets = {sheet_label(name, language): frame for name, frame in tables.items()}
        written.append(write_workbook(out_dir / WORKBOOK_FILE, sheets, language))
    if not quiet:
        also = f", and the workbook {WORKBOOK_FILE}" if workbook else ""
        print(f"Wrote {', '.join(tables)} to {out_dir} as CSV and Parquet{also}.")
    return written
