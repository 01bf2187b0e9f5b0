"""Reports: run parameterised notebooks with papermill, export them as offline HTML, write their
tables (CSV, Parquet, an Excel workbook for policy staff) and an index page of headline numbers.

Notebooks hold only parameters and calls into this package; every table-building and plotting
helper they need lives here. The command line wraps `run_notebook` (`balance-sim run`) and
`run_demo` (`balance-sim demo`).
"""
from __future__ import annotations

from balance_sim.report.demo import DemoRun, run_demo
from balance_sim.report.excel import write_workbook
from balance_sim.report.html_export import export_html
from balance_sim.report.index import write_index
from balance_sim.report.loading import load_county
from balance_sim.report.outputs import write_tables
from balance_sim.report.parameters import RunSettings, check_parameters
from balance_sim.report.runner import NotebookRun, available_notebooks, find_notebook, run_notebook
from balance_sim.report.summary import Headline, headline, print_headlines, read_summary, write_summary

__all__ = [
    "DemoRun",
    "Headline",
    "NotebookRun",
    "RunSettings",
    "available_notebooks",
    "check_parameters",
    "export_html",
    "find_notebook",
    "headline",
    "load_county",
    "print_headlines",
    "read_summary",
    "run_demo",
    "run_notebook",
    "write_index",
    "write_summary",
    "write_tables",
    "write_workbook",
]
