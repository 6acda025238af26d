"""The decoder's-doubt chart in checks/README.md (scan16): share of the redactor's misses flagged against false
alarms per 10,000 tokens, one line per development source and signal, beside issue 9's target (0.8 at 2).

Input: a CSV written by ``python -m cipher_devtools.asr_doubt --csv`` (source, signal, budget_per_10k, share,
false_alarms_per_10k; figures only). Output: a self-contained SVG (no script, no external asset).

    python -m cipher_devtools.doubt_chart docs/doubt16.csv -o docs/doubt16.svg
"""

from __future__ import annotations

import csv
import html
from collections import defaultdict
from pathlib import Path

from cipher_devtools.progress_chart import chart_main

TARGET = (2.0, 0.8)  # issue 9: 0.8 of the misses flagged at 2 false alarms per 10,000 tokens
X_HIGH = 50.0  # false alarms per 10k; a point past it is drawn at the edge
WIDTH, HEIGHT = 900, 420
LEFT, RIGHT, TOP, BOTTOM = 56, 340, 40, 50
COLOURS = ("#1f5fa8", "#c4561d", "#2a8a2a", "#8a2a8a", "#7a6a1a", "#1a7a7a", "#aa2233", "#555555")
DASH = {"word": "", "union": "6 3", "union_caller": "9 3 2 3", "segment_avg_logprob": "2 3"}


def read_curves(path: Path) -> dict[tuple[str, str], list[tuple[float, float]]]:
    """(source, signal) -> [(false alarms per 10k, share)], sorted; a row that does not parse names itself."""
    curves: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    with path.open(newline="") as handle:
        for line_no, row in enumerate(csv.DictReader(handle), start=2):
            try:
                share, fa = float(row["share"]), float(row["false_alarms_per_10k"])
            except (KeyError, ValueError, TypeError) as exc:
                raise ValueError(f"{path}:{line_no}: {exc}") from exc
            if not 0.0 <= share <= 1.0 or fa < 0:
                raise ValueError(f"{path}:{line_no}: share {share} or false alarms {fa} out of range")
            curves[(row["source"].strip(), row["signal"].strip())].append((fa, share))
    if not curves:
        raise ValueError(f"{path}: no rows")
    return {key: sorted(points) for key, points in curves.items()}


def _x(fa: float) -> float:
    return LEFT + min(fa, X_HIGH) / X_HIGH * (WIDTH - LEFT - RIGHT)


def _y(share: float) -> float:
    return TOP + (1.0 - share) * (HEIGHT - TOP - BOTTOM)


def render_svg(curves: dict[tuple[str, str], list[tuple[float, float]]]) -> str:
    esc = html.escape
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12" '
           'aria-label="Share of the redactor\'s misses flagged against false alarms per 10,000 tokens">',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
           f'<text x="{LEFT}" y="22" font-size="14" font-weight="bold">The decoder\'s doubt: misses flagged vs '
           'false alarms (development Whisper text)</text>']
    for tick in range(0, 11):
        y = _y(tick / 10)
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e4e4e4"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick / 10:.1f}</text>')
    for tick in range(0, int(X_HIGH) + 1, 5):
        x = _x(tick)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" stroke="#f0f0f0"/>')
        out.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{tick}</text>')
    out.append(f'<text x="{(LEFT + WIDTH - RIGHT) / 2:.1f}" y="{HEIGHT - 12}" text-anchor="middle" fill="#444">'
               f'false alarms per 10,000 tokens of correctly redacted text (past {X_HIGH:g}: at the edge)</text>')
    tx, ty = _x(TARGET[0]), _y(TARGET[1])
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{tx - LEFT:.1f}" height="{ty - TOP:.1f}" fill="#2a8a2a" opacity="0.08"/>')
    out.append(f'<circle cx="{tx:.1f}" cy="{ty:.1f}" r="5" fill="none" stroke="#2a8a2a" stroke-width="2">'
               f'<title>issue 9 target: {TARGET[1]} at {TARGET[0]:g} per 10k</title></circle>')
    out.append(f'<text x="{tx + 8:.1f}" y="{ty - 6:.1f}" fill="#2a8a2a">target</text>')
    sources = sorted({source for source, _ in curves})
    colour = {source: COLOURS[i % len(COLOURS)] for i, source in enumerate(sources)}
    for i, ((source, signal), points) in enumerate(sorted(curves.items())):
        c = colour[source]
        path = " ".join(f"{_x(fa):.1f},{_y(share):.1f}" for fa, share in points)
        dash = f' stroke-dasharray="{DASH[signal]}"' if DASH.get(signal) else ""
        out.append(f'<polyline points="{path}" fill="none" stroke="{c}" stroke-width="1.5"{dash}/>')
        for fa, share in points:
            out.append(f'<circle cx="{_x(fa):.1f}" cy="{_y(share):.1f}" r="3" fill="{c}">'
                       f'<title>{esc(source)} {esc(signal)}: {share:.3f} at {fa:.2f} per 10k</title></circle>')
        y = TOP + 14 + i * 18
        lx = WIDTH - RIGHT + 14
        out.append(f'<line x1="{lx}" x2="{lx + 24}" y1="{y}" y2="{y}" stroke="{c}" stroke-width="1.5"{dash}/>')
        out.append(f'<text x="{lx + 30}" y="{y + 4}">{esc(source)}, {esc(signal)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    return chart_main(argv, __doc__.split("\n\n")[0], read_curves, render_svg, "doubt chart")


if __name__ == "__main__":
    raise SystemExit(main())
