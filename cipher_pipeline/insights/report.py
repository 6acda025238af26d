"""A static, offline HTML insight report for one week or month: what a marketer opens without Dagster.

Everything is inline: charts are SVG written here, the stylesheet and the one small script are in the page, no
font, script or image is fetched (no CDN), so the file opens from disk or an email attachment on a machine with
no network. Only published (suppressed) tables go in; a withheld cell shows as "withheld (<11 calls)". Phrases
from calls appear inside ``<q class="phrase">`` so the no-verbatim check can read exactly those.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import polars as pl

BAR_COLOUR = "#2f6f8f"


def _esc(value) -> str:
    return html.escape(str(value))


def bar_chart(title: str, rows: Sequence[tuple[str, float | None, str]], chart_id: str, width: int = 640) -> str:
    """Horizontal bars: (label, value, value text). A None value is a withheld cell, drawn as a hatched stub."""
    if not rows:
        return f'<figure class="chart empty" id="{chart_id}"><figcaption>{_esc(title)}</figcaption><p>Withheld: every cell is under the small-cell threshold, absent, or would let a withheld cell be worked out.</p></figure>'
    label_w, bar_h, gap = 230, 20, 6
    top = max((v for _, v, _ in rows if v is not None), default=1) or 1
    height = len(rows) * (bar_h + gap) + 10
    parts = [f'<svg role="img" aria-label="{_esc(title)}" width="{width}" height="{height}">']
    for i, (label, value, text) in enumerate(rows):
        y = i * (bar_h + gap) + 5
        parts.append(f'<text x="0" y="{y + 14}" class="lbl">{_esc(label[:38])}</text>')
        if value is None:
            parts.append(f'<rect x="{label_w}" y="{y}" width="40" height="{bar_h}" fill="url(#hatch)" stroke="#999"/>')
            parts.append(f'<text x="{label_w + 46}" y="{y + 14}" class="val">withheld</text>')
        else:
            w = max(1, int((width - label_w - 90) * value / top))
            parts.append(f'<rect class="bar" x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{BAR_COLOUR}"/>')
            parts.append(f'<text x="{label_w + w + 6}" y="{y + 14}" class="val">{_esc(text)}</text>')
    parts.append("</svg>")
    return f'<figure class="chart" id="{chart_id}"><figcaption>{_esc(title)}</figcaption>{"".join(parts)}</figure>'


def _pct(v) -> str:
    return "withheld" if v is None else f"{100 * v:.0f}%"


def _distinct_phrases(rows: pl.DataFrame, n: int) -> list[dict]:
    """The first ``n`` phrases of ``rows`` that share no two-word run with one already chosen: overlapping
    windows of one common sentence ("help for myself ive been", "myself ive been using") are one pattern."""
    chosen, seen = [], set()
    for row in rows.iter_rows(named=True):
        words = row["phrase"].split()
        pairs = {tuple(words[i : i + 2]) for i in range(len(words) - 1)}
        if pairs & seen:
            continue
        chosen.append(row)
        seen |= pairs
        if len(chosen) == n:
            break
    return chosen


def headlines(tables: dict[str, pl.DataFrame]) -> list[str]:
    """A few plain-language lines a marketer can act on (used by the report and ``make demo``)."""
    lines = []
    concerns = tables["concerns"].filter(pl.col("first_calls").is_not_null() & (pl.col("first_calls") > 0) & (pl.col("concern") != "none"))
    if not concerns.is_empty():
        top = concerns.sort("first_calls", descending=True).head(3)
        order = ", then ".join(f"{r['label']} ({_pct(r['first_share'])})" for r in top.iter_rows(named=True))
        lines.append(f"Callers raise first: {order}.")
    raised = tables["concerns"].filter(pl.col("share").is_not_null() & (pl.col("calls") > 0) & (pl.col("concern") != "none"))
    if not raised.is_empty():
        top = raised.sort("calls", descending=True).head(3)
        lines.append("Concerns raised most: " + ", ".join(f"{r['label']} ({_pct(r['share'])})" for r in top.iter_rows(named=True)) + ".")
    phrases = tables["buyer_phrases"]
    if not phrases.is_empty():
        # Three words or more: two-word chatter ("makes sense") is said often and says nothing. (Lift cannot pick
        # them out here: it grows with a phrase's length, so it ranks the long ones, in the line below.)
        common = _distinct_phrases(phrases.filter(pl.col("words") >= 3).sort(["calls", "log10_lift"], descending=True), 3)
        lines.append("Callers' own words in the most calls: " + "; ".join(f'"{r["phrase"]}" ({_pct(r["share"])})' for r in common) + ".")
        best = _distinct_phrases(phrases.sort(["log10_lift"], descending=True).filter(pl.col("words") >= 3), 3)
        if best:
            quoted = "; ".join(f'"{r["phrase"]}" ({_pct(r["share"])} of calls)' for r in best)
            lines.append(f"Caller language far above everyday English: {quoted}.")
    ents = tables["entity_mentions"]
    comp = ents.filter((pl.col("kind") == "COMPETITOR") & (pl.col("entity") == "any"))
    if not comp.is_empty() and comp["share"][0] is not None:
        framing = tables["entity_framing"].filter(pl.col("entity") == "any").sort("calls", descending=True).head(2)
        how = " and ".join(f["framing"].replace("_", " ") for f in framing.iter_rows(named=True))
        lines.append(f"{_pct(comp['share'][0])} of callers name another program" + (f", most often framed as {how}." if how else "."))
    insurers = ents.filter((pl.col("kind") == "INSURER") & pl.col("share").is_not_null())
    any_insurer = insurers.filter(pl.col("entity") == "any")
    named = insurers.filter(pl.col("entity") != "any").sort("calls", descending=True).head(3)
    if not any_insurer.is_empty() and any_insurer["calls"][0]:
        which = ", ".join(f"{r['entity'].replace('_', ' ')} {_pct(r['share'])}" for r in named.iter_rows(named=True))
        lines.append(f"{_pct(any_insurer['share'][0])} of callers name their insurer" + (f" ({which})." if which else "."))
    fam = tables["family_vs_patient"].filter(pl.col("family_only"))
    if not fam.is_empty():
        items = ", ".join(r["item"].replace("_", " ") for r in fam.iter_rows(named=True))
        lines.append(f"Raised by family members and never by patients: {items}.")
    return lines


def render(period: str, tables: dict[str, pl.DataFrame], trend: Sequence[tuple[str, int | None]] = (), intake: dict[str, pl.DataFrame] | None = None, k: int = 11) -> str:
    """The report page for ``period`` from its published tables; ``trend`` is (sub-period, calls naming a
    competitor) for the competitor trend chart (the days of a week or the weeks of a month)."""
    calls = int(tables["overview"]["calls"][0]) if tables["overview"].height else 0
    sections = [f"<h1>Admissions call insights: {_esc(period)}</h1>",
                f'<p class="meta">{calls} calls. Every figure counts distinct calls; a cell under {k} calls, and any cell that would reveal one, is withheld. No quotes: phrases are patterns said in at least {k} calls.</p>']  # fmt: skip
    sections.append("<h2>What stands out</h2><ul id='headlines'>" + "".join(f"<li>{_esc(h)}</li>" for h in headlines(tables)) + "</ul>")
    concerns = tables["concerns"].filter(pl.col("concern") != "none")
    first = [(r["label"], r["first_share"], _pct(r["first_share"])) for r in concerns.sort("first_calls", descending=True, nulls_last=True).iter_rows(named=True) if r["first_calls"] != 0]
    if first and all(v is None for _, v, _ in first):
        first = []  # the whole split is withheld (see docs/insights.md, roll-ups against days)
    raised = [(r["label"], r["share"], _pct(r["share"])) for r in concerns.sort("calls", descending=True, nulls_last=True).iter_rows(named=True) if r["calls"] != 0]
    sections.append("<h2>Concern order</h2>" + bar_chart("Concern raised first (share of calls)", first, "chart-first-concern")
                    + bar_chart("Concern raised at all (share of calls)", raised, "chart-concerns"))  # fmt: skip
    seq = tables["concern_sequences"]
    if not seq.is_empty():
        sections.append("<table class='seq'><tr><th>most common order</th><th>calls</th></tr>" + "".join(
            f"<tr><td>{_esc(r['sequence'].replace('_', ' '))}</td><td>{r['calls']}</td></tr>" for r in seq.iter_rows(named=True)) + "</table>")
    phrases = tables["buyer_phrases"]
    by_calls = [(r["phrase"], r["calls"], f"{r['calls']} calls") for r in phrases.sort("calls", descending=True).head(12).iter_rows(named=True)]
    by_lift = [(r["phrase"], r["log10_lift"], f"x10^{r['log10_lift']:.0f}") for r in phrases.sort("log10_lift", descending=True).head(12).iter_rows(named=True)]
    sections.append("<h2>Buyer language</h2>" + bar_chart("Top caller phrases by calls", by_calls, "chart-phrases")
                    + bar_chart("Top caller phrases by lift over everyday English", by_lift, "chart-phrase-lift")
                    + "<p class='phrases'>" + " ".join(f'<q class="phrase">{_esc(p)}</q>' for p, _, _ in by_calls) + "</p>")  # fmt: skip
    ents = tables["entity_mentions"]
    comp_rows = [(r["entity"].replace("_", " "), r["calls"], f"{r['calls']} calls") for r in ents.filter(pl.col("kind") == "COMPETITOR").iter_rows(named=True)]
    ins_rows = [(r["entity"].replace("_", " "), r["calls"], f"{r['calls']} calls") for r in ents.filter(pl.col("kind") == "INSURER").iter_rows(named=True)]
    trend_rows = [(p, v, "withheld" if v is None else f"{v} calls") for p, v in trend]
    framing = [(f"{r['entity'].replace('_', ' ')}: {r['framing'].replace('_', ' ')}", r["calls"], f"{r['calls']} calls") for r in tables["entity_framing"].head(10).iter_rows(named=True)]
    sections.append("<h2>Competitors and insurers</h2>" + bar_chart("Calls naming a competitor, over time", trend_rows, "chart-competitor-trend")
                    + bar_chart("Competitors named by callers", comp_rows, "chart-competitors")
                    + bar_chart("How callers frame the comparison", framing, "chart-framing")
                    + bar_chart("Insurers named by callers", ins_rows, "chart-insurers"))  # fmt: skip
    clusters = tables["objection_clusters"]
    cl_rows = [(r["label_1"], r["calls"], f"{r['calls']} calls") for r in clusters.iter_rows(named=True)]
    fam = tables["family_vs_patient"]
    fam_rows = [(f"{r['item'].replace('_', ' ')} ({'family only' if r['family_only'] else 'family - patient'})", r["family_minus_patient"],
                 "withheld" if r["family_minus_patient"] is None else f"{100 * r['family_minus_patient']:+.0f} pts")
                for r in fam.filter(pl.col("family_minus_patient") > 0).head(8).iter_rows(named=True)]  # fmt: skip
    sections.append("<h2>Objections and who raises them</h2>" + bar_chart("Objection clusters (calls)", cl_rows, "chart-objections")
                    + "<p class='phrases'>" + " ".join(f'<q class="phrase">{_esc(r[l])}</q>' for r in clusters.iter_rows(named=True) for l in ("label_1", "label_2", "label_3") if r[l] and r[l] != r["cluster_id"].replace("_", " ")) + "</p>"
                    + bar_chart("Raised more by family members than by patients", fam_rows, "chart-family"))  # fmt: skip
    types = [(r["caller_type"].replace("_", " "), r["calls"], "withheld" if r["calls"] is None else f"{r['calls']} calls") for r in tables["caller_types"].filter(pl.col("calls").is_null() | (pl.col("calls") > 0)).iter_rows(named=True)]
    sections.append(bar_chart("Who calls", types, "chart-caller-types"))
    if intake:
        hour = [(f"{r['hour']:02d}:00", r["abandoned"], "withheld" if r["abandoned"] is None else f"{r['abandoned']} of {r['calls']}") for r in intake["intake_by_hour"].iter_rows(named=True)]
        chan = [(r["source"], r["median_seconds_to_answer"], "withheld" if r["median_seconds_to_answer"] is None else f"{r['median_seconds_to_answer']:.0f} s") for r in intake["intake_by_channel"].iter_rows(named=True)]
        cb = intake["intake_callbacks"].row(0, named=True) if intake["intake_callbacks"].height else {}
        sections.append("<h2>Intake</h2>" + bar_chart("Unanswered calls by hour", hour, "chart-abandon-hour")
                        + bar_chart("Median seconds to answer by channel", chan, "chart-answer-speed")
                        + f"<p>After-hours missed calls: {cb.get('missed_after_hours_calls', 'withheld')}; called back: {cb.get('called_back', 'withheld')}; median minutes to callback: {cb.get('median_callback_minutes', 'withheld')}.</p>")  # fmt: skip
    style = ("body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;color:#222}figure{margin:1em 0}"
             "figcaption{font-weight:600;margin-bottom:.3em}.lbl,.val{font-size:12px}table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:2px 8px}q.phrase{background:#eef4f7;margin:0 .3em}")  # fmt: skip
    script = ("document.documentElement.dataset.charts=document.querySelectorAll('figure.chart svg').length;"
              "document.documentElement.dataset.bars=document.querySelectorAll('rect.bar').length;")
    defs = '<svg width="0" height="0" style="position:absolute"><defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#999" stroke-width="2"/></pattern></defs></svg>'
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Cipher insights {_esc(period)}</title>"
            f"<style>{style}</style></head><body>{defs}{''.join(sections)}<script>{script}</script></body></html>")  # fmt: skip


def phrases_in(page: str) -> list[str]:
    """The call-derived phrases a page shows (its ``<q class="phrase">`` elements), for the no-verbatim check."""
    import re

    return [html.unescape(m) for m in re.findall(r'<q class="phrase">(.*?)</q>', page)]
