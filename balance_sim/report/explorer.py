"""An interactive explorer for a live notebook: sliders for the main levers (ipywidgets).

Only a person at a live kernel can move a slider, so batch runs (papermill via `balance-sim`,
nbval in the tests, both of which set BALANCE_SIM_BATCH) skip it with one line of text and store
no widget state in the executed notebook; in any other kernel nothing is simulated until the
Run button is pressed.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from balance_sim.report.parameters import specs

BATCH_ENV = "BALANCE_SIM_BATCH"


def is_live_kernel() -> bool:
    """True inside a Jupyter kernel that a person is driving (not a batch run)."""
    if os.environ.get(BATCH_ENV):
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def explorer(update: Callable[..., object], levers: Mapping[str, tuple[float, float, float, float]],
             language: str = "en"):
    """Sliders for `levers` (name → (min, max, step, start)) calling `update(**values)` on change.

    Returns the widget in a live kernel; elsewhere prints why it is skipped and returns None.
    """
    if not is_live_kernel():
        print("交互式探索已跳过：批量运行，没有人在操作笔记本。" if language == "zh" else
              "Interactive explorer skipped: not a live Jupyter kernel (batch run).")
        return None
    import ipywidgets as widgets

    sliders = {}
    for name, (low, high, step, start) in levers.items():
        label = specs()[name].label(language) if name in specs() else name
        cls = widgets.IntSlider if all(float(v).is_integer() for v in (low, high, step, start)) else widgets.FloatSlider
        sliders[name] = cls(value=start, min=low, max=high, step=step, description=label,
                            continuous_update=False, style={"description_width": "initial"},
                            layout=widgets.Layout(width="32em"))
    # Nothing runs until the button is pressed: a kernel nobody drives (plain papermill) passes
    # the cell at once instead of simulating for the first position of the sliders.
    button = {"manual": True, "manual_name": "运行" if language == "zh" else "Run"}
    return widgets.interactive(update, button, **sliders)


def scenario_explorer(county, levers: Mapping[str, tuple[float, float, float, float]], keys, years: int,
                      seed: int, language: str = "en", replications: int = 3):
    """Sliders for policy levers (notebook parameter names with a policy `path` in parameters.yaml):
    each change re-runs the baseline and the changed policy and redraws the CV paths of `keys`."""
    from balance_sim.report.scenario_figures import cv_paths_figure
    from balance_sim.report.scenarios import BASELINE, compare

    def update(**values):
        changes = {specs()[name].path: value for name, value in values.items()}
        comparison = compare(county, {"explored": changes}, years, seed, replications)
        label = ", ".join(f"{specs()[n].label(language)} = {v:g}" for n, v in values.items())
        names = {BASELINE: "baseline" if language == "en" else "基准", "explored": label}
        from IPython.display import display

        display(cv_paths_figure(comparison, keys, names, language))

    return explorer(update, levers, language)
