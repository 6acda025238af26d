"""The README's progress chart: one first-sight point per corpus and style, drawn from the CSV, and a clear error for
a row that does not parse (a typo must not draw a wrong chart silently)."""

from pathlib import Path

import pytest

from cipher_devtools.progress_chart import _y, main, read_points, render_svg

REPO = Path(__file__).resolve().parents[1]


def test_the_committed_chart_is_the_csv_drawn(tmp_path):
    out = tmp_path / "progress.svg"
    assert main([str(REPO / "docs/progress.csv"), "-o", str(out)]) == 0
    assert out.read_text() == (REPO / "docs/progress.svg").read_text(), "run: python -m cipher_devtools.progress_chart docs/progress.csv -o docs/progress.svg"


def test_each_row_is_one_first_sight_point_at_its_height(tmp_path):
    csv = tmp_path / "p.csv"
    csv.write_text("corpus,session,style,first_sight,now\nalpha,3,raw,0.85,0.90\nbeta,4,raw,0.95,\nbeta,4,punctuated,0.97,0.97\n")
    points = read_points(csv)
    assert [p.now for p in points] == [0.90, None, 0.97]
    svg = render_svg(points)
    assert svg.count('class="first-sight"') == 3
    assert f'cy="{_y(0.85):.1f}"' in svg and f'cy="{_y(0.90):.1f}"' in svg
    # an unchanged "now" draws no second dot; a missing one neither
    assert svg.count("<circle cx=") == 4 + 1  # 4 legend dots and one "now" dot (alpha's)
    assert _y(0.99) < _y(0.85)  # higher recall is drawn higher


@pytest.mark.parametrize("row, message", [
    ("alpha,3,cased,0.9,0.9", "style 'cased'"),
    ("alpha,three,raw,0.9,0.9", "invalid literal"),
    ("alpha,3,raw,9.1,0.9", "outside 0..1"),
])
def test_a_bad_row_names_its_line(tmp_path, row, message):
    csv = tmp_path / "p.csv"
    csv.write_text("corpus,session,style,first_sight,now\nbeta,4,raw,0.95,0.95\n" + row + "\n")
    with pytest.raises(ValueError, match=r"p\.csv:3: .*" + message.replace("(", r"\(")):
        read_points(csv)
