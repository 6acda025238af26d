"""The held-out recall chart in the README: each blind corpus at first sight, and now.

Each blind corpus in ``tests/data/calls_redteam/`` was scored once by its writer, on the engine of the session it was
written in, before anyone read it: that first figure is the engine's recall on calls it had never seen, so the line
through the first-sight points is how well the project generalises, session after session. The "now" point is the
same held-out half scored by today's engine (never tuned on, so any rise came from work on other data).

Input: ``docs/progress.csv`` (corpus, session, style, first_sight, now), copied by hand from each corpus's "First
measurement" section of ``tests/data/calls_redteam/README.md`` and from the README's "Measured" table. Output: a
self-contained SVG (no script, no external asset), so it renders on GitHub and on a closed network alike.

    python -m cipher_devtools.progress_chart docs/progress.csv -o docs/progress.svg
"""

from __future__ import annotations

import argparse
import csv
import html
from dataclasses import dataclass
from pathlib import Path

STYLES = {"punctuated": "#1f5fa8", "raw": "#c4561d"}  # colour per transcript style
TARGET = 0.99  # issue 8's Safe Harbor entity recall target
Y_LOW, Y_HIGH = 0.80, 1.00
WIDTH, HEIGHT = 800, 380
LEFT, RIGHT, TOP, BOTTOM = 56, 170, 40, 58


@dataclass(frozen=True)
class Point:
    corpus: str
    session: int
    style: str
    first_sight: float
    now: float | None


def read_points(path: Path) -> list[Point]:
    """The CSV's rows; a clear error names the row that does not parse (a typo must not draw a wrong chart)."""
    points = []
    with path.open(newline="") as handle:
        for line_no, row in enumerate(csv.DictReader(handle), start=2):
            try:
                style = row["style"].strip()
                if style not in STYLES:
                    raise ValueError(f"style {style!r} is not one of {sorted(STYLES)}")
                now = row.get("now", "").strip()
                point = Point(row["corpus"].strip(), int(row["session"]), style, float(row["first_sight"]),
                              float(now) if now else None)
            except (KeyError, ValueError, TypeError) as exc:
                raise ValueError(f"{path}:{line_no}: {exc}") from exc
            for value in (point.first_sight, point.now):
                if value is not None and not 0.0 <= value <= 1.0:
                    raise ValueError(f"{path}:{line_no}: recall {value} is outside 0..1")
            points.append(point)
    if not points:
        raise ValueError(f"{path}: no rows")
    return points


def _y(value: float) -> float:
    clipped = min(max(value, Y_LOW), Y_HIGH)
    return TOP + (Y_HIGH - clipped) / (Y_HIGH - Y_LOW) * (HEIGHT - TOP - BOTTOM)


def render_svg(points: list[Point]) -> str:
    corpora = sorted({(p.session, p.corpus) for p in points})
    step = (WIDTH - LEFT - RIGHT) / max(1, len(corpora))
    x_of = {corpus: LEFT + step * (i + 0.5) for i, (_, corpus) in enumerate(corpora)}
    esc = html.escape
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12" '
           'aria-label="Safe Harbor entity recall on each blind corpus\'s held-out half, at first sight and now">',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
           f'<text x="{LEFT}" y="22" font-size="14" font-weight="bold">Recall on calls the engine had never seen: '
           'each blind corpus at first sight, and now</text>']
    for tick in range(int(Y_LOW * 100), int(Y_HIGH * 100) + 1, 2):
        y = _y(tick / 100)
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e4e4e4"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick / 100:.2f}</text>')
    y = _y(TARGET)
    out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#2a8a2a" stroke-dasharray="6 4"/>')
    out.append(f'<text x="{WIDTH - RIGHT + 6}" y="{y + 4:.1f}" fill="#2a8a2a">target {TARGET}</text>')
    for session, corpus in corpora:
        x = x_of[corpus]
        out.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{esc(corpus)}</text>')
        out.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 32}" text-anchor="middle" fill="#666">s{session}</text>')
    out.append(f'<text x="{(LEFT + WIDTH - RIGHT) / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle" fill="#444">'
               'blind corpus (session written); the held-out half only</text>')
    for style, colour in STYLES.items():
        mine = sorted((p for p in points if p.style == style), key=lambda p: p.session)
        path = " ".join(f"{x_of[p.corpus]:.1f},{_y(p.first_sight):.1f}" for p in mine)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.5"/>')
        for p in mine:
            x, y0 = x_of[p.corpus], _y(p.first_sight)
            label = f"{p.corpus} {style}: first sight {p.first_sight:.3f}" + (f", now {p.now:.3f}" if p.now is not None else "")
            if p.now is not None and abs(p.now - p.first_sight) >= 0.0005:
                y1 = _y(p.now)
                out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y0:.1f}" y2="{y1:.1f}" stroke="{colour}" stroke-width="1" opacity="0.6"/>')
                out.append(f'<circle cx="{x:.1f}" cy="{y1:.1f}" r="4" fill="{colour}"><title>{esc(label)}</title></circle>')
            out.append(f'<circle class="first-sight" cx="{x:.1f}" cy="{y0:.1f}" r="4.5" fill="white" stroke="{colour}" '
                       f'stroke-width="2"><title>{esc(label)}</title></circle>')
    legend_x = WIDTH - RIGHT + 10
    for i, (style, colour) in enumerate(STYLES.items()):
        y = TOP + 30 + i * 40
        out.append(f'<circle cx="{legend_x + 5}" cy="{y}" r="4.5" fill="white" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{legend_x + 15}" y="{y + 4}">{style}, first sight</text>')
        out.append(f'<circle cx="{legend_x + 5}" cy="{y + 16}" r="4" fill="{colour}"/>')
        out.append(f'<text x="{legend_x + 15}" y="{y + 20}">{style}, now</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def chart_main(argv: list[str] | None, description: str, read, render, name: str) -> int:
    """The command line of a chart drawn from a CSV (this one, ``doubt_chart``): ``CSV -o SVG``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("csv", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    args.output.write_text(render(read(args.csv)))
    print(f"{name}: {args.output}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return chart_main(argv, __doc__.split("\n\n")[0], read_points, render_svg, "progress chart")


if __name__ == "__main__":
    raise SystemExit(main())
