"""The decoder's-doubt chart (scan16): each CSV row one point at its place, the committed chart is the committed
CSV drawn, and a row that does not parse names its line."""

from pathlib import Path

import pytest

from cipher_devtools.doubt_chart import _x, _y, main, read_curves, render_svg

REPO = Path(__file__).resolve().parents[1]


def test_the_committed_chart_is_the_csv_drawn(tmp_path):
    out = tmp_path / "doubt16.svg"
    assert main([str(REPO / "docs/doubt16.csv"), "-o", str(out)]) == 0
    assert out.read_text() == (REPO / "docs/doubt16.svg").read_text(), \
        "run: python -m cipher_devtools.doubt_chart docs/doubt16.csv -o docs/doubt16.svg"


def test_each_row_is_a_point_on_its_source_and_signals_line(tmp_path):
    csv = tmp_path / "d.csv"
    csv.write_text("source,signal,budget_per_10k,share,false_alarms_per_10k\n"
                   "a/phone,word,2,0.25,1.9\na/phone,word,1,0.1,0.8\na/phone,union,1,0.3,6.0\nb/wideband,word,1,0.2,90\n")
    curves = read_curves(csv)
    assert curves[("a/phone", "word")] == [(0.8, 0.1), (1.9, 0.25)]  # sorted by false alarms
    svg = render_svg(curves)
    assert svg.count("<polyline") == 3 and svg.count("<title>") == 4 + 1  # four points and the target
    assert f'cx="{_x(1.9):.1f}" cy="{_y(0.25):.1f}"' in svg
    assert f'cx="{_x(90):.1f}"' in svg and _x(90) == _x(50)  # past the axis: drawn at its edge
    assert _y(0.9) < _y(0.1)  # a higher share is drawn higher


@pytest.mark.parametrize("row, message", [("a,word,1,1.5,2", "out of range"), ("a,word,1,x,2", "could not convert")])
def test_a_bad_row_names_its_line(tmp_path, row, message):
    csv = tmp_path / "d.csv"
    csv.write_text("source,signal,budget_per_10k,share,false_alarms_per_10k\na,word,1,0.5,1\n" + row + "\n")
    with pytest.raises(ValueError, match=r"d\.csv:3: .*" + message):
        read_curves(csv)
