"""Figure style for reports: fonts that render Chinese offline, titles, units and labels.

Chinese labels use Noto Sans CJK SC as shipped by the `mplfonts` package (registered straight from
its file, no network, no font install). Without it, figures still draw, and a warning says that
Chinese text will show as empty boxes and how to fix it. Chart helpers return the figure (closed,
so Jupyter shows it once) after saving a PNG next to the run's tables.
"""
from __future__ import annotations

import logging
import warnings
from functools import cache
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.figure import Figure

CJK_FONT = "Noto Sans CJK SC"
CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
LATIN_FONT = "DejaVu Sans"  # matplotlib's own font, always present
FIGURE_DPI = 110  # shown in the report
SAVE_DPI = 150  # the PNG saved for slides and documents


class FontWarning(UserWarning):
    """Chinese labels cannot be drawn with a proper font."""


@cache
def cjk_font_path() -> Path | None:
    """Path of the Noto Sans CJK SC file shipped by `mplfonts`, or None when it is not installed."""
    try:
        from mplfonts.conf import FONT_DIR
    except ImportError:
        return None
    path = Path(FONT_DIR) / CJK_FONT_FILE
    return path if path.is_file() else None


@cache
def register_cjk_font() -> str | None:
    """Make the CJK font known to matplotlib; its family name, or None when absent."""
    path = cjk_font_path()
    if path is None:
        return None
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def use_language(language: str = "en") -> str | None:
    """Set matplotlib's fonts for `language`; return the CJK family in use (None when absent).

    Latin text stays in DejaVu Sans for English reports; Chinese reports put the CJK font first.
    Either way the other font is the per-glyph fallback, so a Chinese school name in an English
    report still draws.
    """
    family = register_cjk_font()
    # The CJK font ships one weight: matplotlib's notice that bold titles fall back to it is expected.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    if family is None:
        if language == "zh":
            warnings.warn(
                "Chinese font 'Noto Sans CJK SC' not found (install the mplfonts package): "
                "Chinese labels in figures will show as empty boxes.",
                FontWarning,
                stacklevel=2,
            )
        fonts = [LATIN_FONT]
    else:
        fonts = [family, LATIN_FONT] if language == "zh" else [LATIN_FONT, family]
    matplotlib.rcParams.update({
        # A list of families (not "sans-serif") turns on matplotlib's per-glyph fallback.
        "font.family": fonts,
        "font.sans-serif": fonts + [f for f in matplotlib.rcParams["font.sans-serif"] if f not in fonts],
        "axes.unicode_minus": False,  # the CJK font lacks U+2212; use the ASCII hyphen
        "figure.dpi": FIGURE_DPI,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
    })
    return family


def has_glyphs(text: str, font_path: str | Path | None = None) -> bool:
    """Whether the font (default: the CJK font) has a glyph for every non-space character of `text`."""
    from matplotlib.ft2font import FT2Font

    path = font_path or cjk_font_path()
    if path is None:
        return False
    font = FT2Font(str(path))
    return all(font.get_char_index(ord(ch)) != 0 for ch in text if not ch.isspace())


def new_axes(width: float = 8.0, height: float = 4.5, **kwargs) -> tuple[Figure, plt.Axes]:
    """A figure and axes in the report's size."""
    return plt.subplots(figsize=(width, height), layout="constrained", **kwargs)


def finish(fig: Figure, title: str, out_dir: str | Path | None = None, name: str | None = None) -> Figure:
    """Set the title, save `<out_dir>/figures/<name>.png` when asked, close and return the figure."""
    fig.suptitle(title, fontsize=12, fontweight="bold")
    if out_dir is not None and name:
        folder = Path(out_dir) / "figures"
        folder.mkdir(parents=True, exist_ok=True)
        fig.savefig(folder / f"{name}.png", dpi=SAVE_DPI)
    plt.close(fig)  # Jupyter shows the returned figure once, not again at the end of the cell
    return fig
