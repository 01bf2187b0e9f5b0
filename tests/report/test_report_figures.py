"""Figures draw Chinese labels offline with the CJK font from mplfonts, or warn clearly without it."""
from __future__ import annotations

import io

import matplotlib
import numpy as np
import pytest

from balance_sim.report import figures


@pytest.fixture(autouse=True)
def _restore_rc_params():
    with matplotlib.rc_context():
        yield


def _render(text: str, family: str) -> np.ndarray:
    fig, ax = figures.new_axes(1.2, 0.8)
    ax.axis("off")
    ax.text(0.5, 0.5, text, family=family, fontsize=20, ha="center", va="center")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=60)
    figures.plt.close(fig)
    return matplotlib.image.imread(io.BytesIO(buffer.getvalue()))


def test_cjk_font_has_the_indicator_names_glyphs():
    assert figures.cjk_font_path() is not None
    assert figures.has_glyphs("生均教学及辅助用房面积 每百名学生拥有专任教师数（师生比） 差异系数")
    assert not figures.has_glyphs("生均", font_path=matplotlib.get_data_path() + "/fonts/ttf/DejaVuSans.ttf")


def test_two_different_characters_draw_differently_so_they_are_not_empty_boxes():
    family = figures.use_language("zh")
    assert family == figures.CJK_FONT
    first, second = _render("均", family), _render("衡", family)
    assert (first[..., :3] < 0.5).any()  # ink on the page
    assert not np.array_equal(first, second)


def test_chinese_reports_put_the_cjk_font_first_english_ones_keep_it_as_fallback():
    figures.use_language("zh")
    assert matplotlib.rcParams["font.family"] == [figures.CJK_FONT, figures.LATIN_FONT]
    figures.use_language("en")
    assert matplotlib.rcParams["font.family"] == [figures.LATIN_FONT, figures.CJK_FONT]


def test_missing_font_gives_a_clear_warning_and_still_draws(monkeypatch):
    monkeypatch.setattr(figures, "register_cjk_font", lambda: None)
    with pytest.warns(figures.FontWarning, match="install the mplfonts package"):
        assert figures.use_language("zh") is None
    assert matplotlib.rcParams["font.family"] == [figures.LATIN_FONT]


def test_finish_titles_saves_and_closes(tmp_path):
    fig, ax = figures.new_axes()
    ax.plot([1, 2], [3, 4])
    figures.finish(fig, "CV by indicator", tmp_path, "cv")
    assert fig._suptitle.get_text() == "CV by indicator"
    assert (tmp_path / "figures" / "cv.png").stat().st_size > 1000
    assert not figures.plt.fignum_exists(fig.number)
