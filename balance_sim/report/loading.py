"""Load the county a notebook works on (`data` parameter) and say what was loaded.

Bad input stops the notebook with the problems listed one per line (`file:row:column: message`),
not a traceback: the person running it needs to fix their file, not read our code.
"""
from __future__ import annotations

from balance_sim.county import County
from balance_sim.errors import InputError
from balance_sim.report.notes_text import county_summary
from balance_sim.report.parameters import RunSettings


def load_county(settings: RunSettings) -> County:
    """`balance_sim.io.load(settings["data"])`, with its summary and notes printed."""
    from balance_sim.io import load

    try:
        county = load(settings["data"])
    except InputError as error:
        lines = [f"InputError: {len(error.problems)} problem(s) in the input data"] + [str(p) for p in error.problems]
        error._render_traceback_ = lambda: lines  # IPython shows these lines instead of the stack
        raise
    print(county_summary(county, settings.language))
    return county
