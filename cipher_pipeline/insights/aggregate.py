"""Every Tier 3 insight table for one period (a day, a week or a month) from the period's per-call features.

One code path for every period: a week is aggregated from its calls, not summed from its days, and then
checked against its published days (suppression rule 3). Every count is of distinct calls; every table goes
through primary suppression, and tables whose cells split a published total through complementary
suppression (``suppression.py``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

import polars as pl

from cipher_pipeline.insights import objections, periods, suppression
from cipher_pipeline.insights.features import CallFeatures
from cipher_pipeline.insights.phrases import log10_lift
from cipher_pipeline.insights.taxonomy import Taxonomy

TOP_PHRASES = 40
TOP_SEQUENCES = 10
SEQUENCE_LENGTH = 3
# Roll-up keys per table and count column, for rule 3 (differencing a week or month against its days).
ROLLUP_KEYS = {
    "buyer_phrases": (["phrase"], ["calls"]),
    "concerns": (["concern"], ["calls", "first_calls"]),
    "caller_types": (["caller_type"], ["calls"]),
    "entity_mentions": (["kind", "entity"], ["calls"]),
    "objection_clusters": (["cluster_id"], ["calls", "family_calls", "patient_calls"]),
    "concern_sequences": (["sequence"], ["calls"]),
    "concern_pairs": (["first", "second"], ["calls_both", "first_before_second", "second_before_first"]),
    "entity_concerns": (["kind", "entity", "concern"], ["calls"]),
    "entity_framing": (["kind", "entity", "framing"], ["calls"]),
    "family_vs_patient": (["item_kind", "item"], ["family_calls", "patient_calls"]),
    "concerns_by_campaign": (["campaign", "concern"], ["calls", "campaign_calls"]),
}
# Not differenced against its parts: caller_groups_by_source (an exclusive split per channel, under
# complementary suppression per period only; docs/insights.md says so).
# Derived columns and the count each is computed from (a withheld count withholds them).
SHARE_OF = {"share": "calls", "first_share": "first_calls", "family_share": "family_calls", "patient_share": "patient_calls",
            "raised_before_rate": "first_before_second"}
COUNT_COLUMNS = {
    "overview": ["center_named_calls"],
    "buyer_phrases": ["calls"],
    "concerns": ["calls", "first_calls"],
    "concern_pairs": ["calls_both", "first_before_second", "second_before_first"],
    "concern_sequences": ["calls"],
    "caller_types": ["calls"],
    "entity_mentions": ["calls"],
    "entity_concerns": ["calls"],
    "entity_framing": ["calls"],
    "objection_clusters": ["calls", "family_calls", "patient_calls", "other_calls"],
    "family_vs_patient": ["family_calls", "patient_calls"],
    "concerns_by_campaign": ["calls", "campaign_calls"],
    "caller_groups_by_source": ["calls"],
}


def _share(n, total):
    return None if n is None or not total else round(n / total, 3)


def _frame(rows: list[dict], schema: dict) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def buyer_phrases(calls: list[CallFeatures], k: int) -> pl.DataFrame:
    doc: Counter = Counter()
    occurrences: Counter = Counter()
    for call in calls:
        doc.update(call.phrase_occurrences.keys())
        occurrences.update(call.phrase_occurrences)
    words = sum(c.caller_words for c in calls)
    kept = {p: n for p, n in doc.items() if n >= k}
    # A phrase inside a longer published one said in (nearly) the same calls adds nothing: keep the longer.
    by_length = sorted(kept, key=lambda p: -len(p.split()))
    dominated = set()
    for longer in by_length:
        for shorter in kept:
            if shorter != longer and f" {shorter} " in f" {longer} " and kept[longer] >= 0.9 * kept[shorter]:
                dominated.add(shorter)
    rows = [
        {"phrase": p, "words": len(p.split()), "calls": n, "share": _share(n, len(calls)),
         "log10_lift": log10_lift(p, occurrences[p], words)}
        for p, n in kept.items() if p not in dominated
    ]  # fmt: skip
    df = _frame(rows, {"phrase": pl.String, "words": pl.Int64, "calls": pl.Int64, "share": pl.Float64, "log10_lift": pl.Float64})
    if df.is_empty():
        return df.with_columns(pl.lit(0, pl.Int64).alias("rank_by_calls"), pl.lit(0, pl.Int64).alias("rank_by_lift"))
    df = df.sort(["calls", "log10_lift", "phrase"], descending=[True, True, False]).head(TOP_PHRASES)
    df = df.with_columns(pl.int_range(1, df.height + 1, dtype=pl.Int64).alias("rank_by_calls"))
    return df.with_columns(pl.col("log10_lift").rank("ordinal", descending=True).cast(pl.Int64).alias("rank_by_lift"))


def concerns(calls: list[CallFeatures], taxonomy: Taxonomy, k: int) -> pl.DataFrame:
    raised, first = Counter(), Counter()
    for call in calls:
        raised.update(call.concern_order)
        first[call.concern_order[0] if call.concern_order else "none"] += 1
    rows = [
        {"concern": c.name, "label": c.label, "calls": raised[c.name], "first_calls": first[c.name]}
        for c in taxonomy.concerns
    ] + [{"concern": "none", "label": "no concern found", "calls": first["none"], "first_calls": first["none"]}]
    df = suppression.primary(_frame(rows, {"concern": pl.String, "label": pl.String, "calls": pl.Int64, "first_calls": pl.Int64}), ["calls", "first_calls"], k)
    df = suppression.complementary(df, "first_calls", {None: len(calls)}, k)
    return df.with_columns(
        (pl.col("calls") / max(len(calls), 1)).round(3).alias("share"),
        (pl.col("first_calls") / max(len(calls), 1)).round(3).alias("first_share"),
    ).sort(["first_calls", "calls"], descending=True, nulls_last=True)


def concern_pairs(calls: list[CallFeatures], k: int) -> pl.DataFrame:
    both, before = Counter(), Counter()
    for call in calls:
        for a, b in combinations(sorted(call.concern_order), 2):
            both[(a, b)] += 1
            if call.concern_order.index(a) < call.concern_order.index(b):
                before[(a, b)] += 1
    rows = [
        {"first": a, "second": b, "calls_both": n, "first_before_second": before[(a, b)], "second_before_first": n - before[(a, b)]}
        for (a, b), n in both.items()
    ]
    schema = {"first": pl.String, "second": pl.String, "calls_both": pl.Int64, "first_before_second": pl.Int64, "second_before_first": pl.Int64}
    df = suppression.primary(_frame(rows, schema), ["calls_both", "first_before_second", "second_before_first"], k)
    df = df.filter(pl.col("calls_both").is_not_null())
    # The two orders split calls_both: withholding one withholds the other (complementary, two cells).
    either_null = pl.col("first_before_second").is_null() | pl.col("second_before_first").is_null()
    df = df.with_columns(
        pl.when(either_null).then(None).otherwise(pl.col(c)).alias(c) for c in ["first_before_second", "second_before_first"]
    )
    return df.with_columns((pl.col("first_before_second") / pl.col("calls_both")).round(3).alias("raised_before_rate")).sort(
        "calls_both", descending=True
    )


def concern_sequences(calls: list[CallFeatures], k: int) -> pl.DataFrame:
    seqs = Counter(" > ".join(c.concern_order[:SEQUENCE_LENGTH]) for c in calls if c.concern_order)
    rows = [{"sequence": s, "calls": n} for s, n in seqs.items() if n >= k]
    df = _frame(rows, {"sequence": pl.String, "calls": pl.Int64})
    return df.sort(["calls", "sequence"], descending=[True, False]).head(TOP_SEQUENCES).with_columns(
        (pl.col("calls") / max(len(calls), 1)).round(3).alias("share")
    )


def caller_types(calls: list[CallFeatures], taxonomy: Taxonomy, k: int) -> pl.DataFrame:
    counts = Counter(c.caller_type for c in calls)
    groups = {t.name: t.group for t in taxonomy.caller_types} | {"unclear": "unclear"}
    rows = [{"caller_type": t, "group": groups[t], "calls": counts[t]} for t in groups]
    df = suppression.primary(_frame(rows, {"caller_type": pl.String, "group": pl.String, "calls": pl.Int64}), ["calls"], k)
    df = suppression.complementary(df, "calls", {None: len(calls)}, k)
    return df.with_columns((pl.col("calls") / max(len(calls), 1)).round(3).alias("share")).sort("calls", descending=True, nulls_last=True)


def entities(calls: list[CallFeatures], k: int) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    entity_calls: dict[tuple, set] = defaultdict(set)
    concern_calls: dict[tuple, set] = defaultdict(set)
    framing_calls: dict[tuple, set] = defaultdict(set)
    for i, call in enumerate(calls):
        for m in call.mentions:
            key = (m.kind, m.entity)
            entity_calls[key].add(i)
            for concern in call.concern_order:
                concern_calls[key + (concern,)].add(i)
            for frame in m.framing:
                framing_calls[key + (frame,)].add(i)
    total = max(len(calls), 1)
    mentions = _frame(
        [{"kind": k_, "entity": e, "calls": len(s), "share": round(len(s) / total, 3)} for (k_, e), s in entity_calls.items() if len(s) >= k],
        {"kind": pl.String, "entity": pl.String, "calls": pl.Int64, "share": pl.Float64},
    ).sort(["kind", "calls"], descending=[False, True])
    # Rows for every kind, including a kind-level "any" row, so the competitor rate is readable even when no
    # single competitor reaches k.
    for kind in ("COMPETITOR", "INSURER"):
        any_calls = {i for (k_, _), s in entity_calls.items() if k_ == kind for i in s}
        n = len(any_calls)
        mentions = pl.concat([mentions, pl.DataFrame([{"kind": kind, "entity": "any", "calls": n if (n == 0 or n >= k) else None,
                                                       "share": round(n / total, 3) if (n == 0 or n >= k) else None}],
                                                     schema=mentions.schema)])  # fmt: skip
    co = _frame(
        [{"kind": a, "entity": b, "concern": c, "calls": len(s)} for (a, b, c), s in concern_calls.items() if len(s) >= k],
        {"kind": pl.String, "entity": pl.String, "concern": pl.String, "calls": pl.Int64},
    ).sort("calls", descending=True)
    framing = _frame(
        [{"kind": a, "entity": b, "framing": c, "calls": len(s)} for (a, b, c), s in framing_calls.items() if len(s) >= k],
        {"kind": pl.String, "entity": pl.String, "framing": pl.String, "calls": pl.Int64},
    ).sort("calls", descending=True)
    # Framing of competitors as a whole: the comparison language even when each program is named rarely.
    any_frame: dict[str, set] = defaultdict(set)
    for (kind, _, frame), s in framing_calls.items():
        if kind == "COMPETITOR":
            any_frame[frame] |= s
    extra = [{"kind": "COMPETITOR", "entity": "any", "framing": f, "calls": len(s)} for f, s in any_frame.items() if len(s) >= k]
    if extra:
        framing = pl.concat([framing, _frame(extra, dict(framing.schema))]).sort("calls", descending=True)
    return mentions, co, framing


def objection_tables(calls: list[CallFeatures], taxonomy: Taxonomy, phrases: pl.DataFrame, k: int) -> tuple[pl.DataFrame, dict]:
    publishable = set(phrases["phrase"].to_list()) if not phrases.is_empty() else set()
    clusters = objections.cluster(calls, taxonomy, publishable)
    rows = []
    for cid, members in clusters.members.items():
        groups = Counter(calls[i].caller_group for i in members)
        labels = clusters.labels.get(cid, []) + [None, None, None]
        rows.append({
            "cluster_id": cid, "label_1": labels[0] or cid.replace("_", " "), "label_2": labels[1], "label_3": labels[2],
            "calls": len(members), "family_calls": groups["family"], "patient_calls": groups["patient"],
            "other_calls": len(members) - groups["family"] - groups["patient"],
        })  # fmt: skip
    schema = {"cluster_id": pl.String, "label_1": pl.String, "label_2": pl.String, "label_3": pl.String, "calls": pl.Int64,
              "family_calls": pl.Int64, "patient_calls": pl.Int64, "other_calls": pl.Int64}  # fmt: skip
    df = _frame(rows, schema)
    df = df.filter(pl.col("calls") >= k)
    df = suppression.primary(df, ["family_calls", "patient_calls", "other_calls"], k)
    return _complement_cluster_groups(df, k).sort("calls", descending=True), clusters.members


GROUP_COLUMNS = ["family_calls", "patient_calls", "other_calls"]


def _cluster_groups_long(df: pl.DataFrame) -> pl.DataFrame:
    return df.unpivot(index=["cluster_id", "calls"], on=GROUP_COLUMNS, variable_name="group", value_name="n")


def _complement_cluster_groups(df: pl.DataFrame, k: int) -> pl.DataFrame:
    """family + patient + other split a cluster's calls: complementary suppression per cluster, over 3 cells."""
    if df.is_empty():
        return df
    order = df.columns
    long = suppression.complementary(_cluster_groups_long(df), "n", dict(zip(df["cluster_id"], df["calls"])), k, group="cluster_id")
    wide = long.pivot(on="group", index="cluster_id", values="n")
    return df.drop(GROUP_COLUMNS).join(wide, on="cluster_id").select(order)


def family_vs_patient(calls: list[CallFeatures], taxonomy: Taxonomy, members: dict[str, set[int]], k: int) -> pl.DataFrame:
    family = [i for i, c in enumerate(calls) if c.caller_group == "family"]
    patient = [i for i, c in enumerate(calls) if c.caller_group == "patient"]
    items = [("concern", c.name, {i for i, call in enumerate(calls) if c.name in call.concern_order}) for c in taxonomy.concerns]
    items += [("objection", cid, s) for cid, s in members.items()]
    rows = []
    for kind, name, s in items:
        f, p = len(s & set(family)), len(s & set(patient))
        rows.append({"item_kind": kind, "item": name, "family_calls": f, "patient_calls": p})
    df = _frame(rows, {"item_kind": pl.String, "item": pl.String, "family_calls": pl.Int64, "patient_calls": pl.Int64})
    df = suppression.primary(df, ["family_calls", "patient_calls"], k).filter(
        pl.col("family_calls").is_not_null() | pl.col("patient_calls").is_not_null()
    )
    nf, np_ = len(family), len(patient)
    df = df.with_columns(
        (pl.col("family_calls") / nf if nf else pl.lit(None, pl.Float64)).round(3).alias("family_share"),
        (pl.col("patient_calls") / np_ if np_ else pl.lit(None, pl.Float64)).round(3).alias("patient_share"),
    )
    return df.with_columns(
        (pl.col("family_share") - pl.col("patient_share")).round(3).alias("family_minus_patient"),
        ((pl.col("patient_calls") == 0) & (pl.col("family_calls") >= k)).fill_null(False).alias("family_only"),
    ).sort("family_minus_patient", descending=True, nulls_last=True)


def by_metadata(calls: list[CallFeatures], k: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    camp: dict[tuple, set] = defaultdict(set)
    camp_total: Counter = Counter()
    src: Counter = Counter()
    src_total: Counter = Counter()
    for i, call in enumerate(calls):
        if call.campaign is None and call.source is None:
            continue
        camp_total[call.campaign] += 1
        for concern in call.concern_order:
            camp[(call.campaign, concern)].add(i)
        src[(call.source, call.caller_group)] += 1
        src_total[call.source] += 1
    cc = _frame(
        [{"campaign": c, "concern": n, "calls": len(s), "campaign_calls": camp_total[c]} for (c, n), s in camp.items() if len(s) >= k and camp_total[c] >= k],
        {"campaign": pl.String, "concern": pl.String, "calls": pl.Int64, "campaign_calls": pl.Int64},
    ).with_columns((pl.col("calls") / pl.col("campaign_calls")).round(3).alias("share")).sort("calls", descending=True)
    rows = [{"source": s, "caller_group": g, "calls": n, "source_calls": src_total[s]} for (s, g), n in src.items()]
    sg = suppression.primary(_frame(rows, {"source": pl.String, "caller_group": pl.String, "calls": pl.Int64, "source_calls": pl.Int64}), ["calls", "source_calls"], k)
    sg = sg.filter(pl.col("source_calls").is_not_null())
    sg = suppression.complementary(sg, "calls", {s: n for s, n in src_total.items() if n >= k}, k, group="source")
    return cc, sg.sort(["source", "calls"], descending=[False, True], nulls_last=True)


def _sum_by(frames: list[pl.DataFrame], keys: list[str], columns: list[str]) -> pl.DataFrame:
    """Per key, the sum of each published count column (a withheld cell counts 0: it is not known)."""
    frames = [f.select(*keys, *columns) for f in frames if not f.is_empty()]
    if not frames:
        return pl.DataFrame(schema={**{k: pl.String for k in keys}, **{c: pl.Int64 for c in columns}})
    return pl.concat(frames, how="diagonal_relaxed").group_by(keys).agg(pl.col(c).fill_null(0).sum().cast(pl.Int64) for c in columns)


def constituents(daily: dict[str, dict[str, pl.DataFrame]], weeks: dict[str, dict[str, pl.DataFrame]] | None = None) -> dict[str, pl.DataFrame]:
    """What differencing a roll-up against its published parts can subtract, per table and key.

    ``daily`` maps each day of the roll-up to its published tables; ``weeks`` the ISO weeks that make it up (a
    month, periods.py) to theirs. A reader tiles the roll-up with whole weeks and any remaining days and subtracts the
    largest thing it knows per tile: for a week, its own cell or the sum of its days' cells, whichever is more
    (a withheld cell is 0). Every other tiling leaves a larger remainder, which rule 3 on the week (week minus
    its days is 0 or >= k) keeps at 0 or >= k too. So checking the roll-up against this one tiling covers
    month - weeks - days differencing (suppression rule 3, docs/insights.md)."""
    weeks = weeks or {}
    out = {}
    for name, (keys, columns) in ROLLUP_KEYS.items():
        parts = [_sum_by([daily[d][name]], keys, columns) for d in sorted(daily) if periods.week_of(d) not in weeks]
        for week, tables in sorted(weeks.items()):
            of_days = _sum_by([daily[d][name] for d in sorted(daily) if periods.week_of(d) == week], keys, columns)
            of_week = _sum_by([tables[name]], keys, columns)
            both = of_days.join(of_week, on=keys, how="full", coalesce=True, suffix="_week")
            parts.append(both.select(*keys, *[pl.max_horizontal(pl.col(c).fill_null(0), pl.col(f"{c}_week").fill_null(0)).alias(c) for c in columns]))
        out[name] = pl.concat(parts, how="diagonal_relaxed") if parts else None
    return out


def build(calls: list[CallFeatures], taxonomy: Taxonomy, k: int, period: str, published_days: dict[str, pl.DataFrame] | None = None) -> dict[str, pl.DataFrame]:
    """All insight tables for ``period`` (``"2026-01-05"``, ``"2026-W02"``, ``"2026-01"``).

    ``published_days`` (roll-ups only) holds the daily tables already published for the period's days, by
    table name; roll-up cells that would differ from them by 1..k-1 are withheld (rule 3).
    """
    k = suppression.effective_k(k)
    phrases = buyer_phrases(calls, k)
    mentions, co, framing = entities(calls, k)
    clusters, members = objection_tables(calls, taxonomy, phrases, k)
    by_campaign, by_source = by_metadata(calls, k)
    tables = {
        # Caller groups are in caller_types, under complementary suppression; the overview holds no split.
        "overview": pl.DataFrame({"calls": [len(calls)], "center_named_calls": [sum(c.center_mentions > 0 for c in calls)]}),
        "buyer_phrases": phrases,
        "concerns": concerns(calls, taxonomy, k),
        "concern_pairs": concern_pairs(calls, k),
        "concern_sequences": concern_sequences(calls, k),
        "caller_types": caller_types(calls, taxonomy, k),
        "entity_mentions": mentions,
        "entity_concerns": co,
        "entity_framing": framing,
        "objection_clusters": clusters,
        "family_vs_patient": family_vs_patient(calls, taxonomy, members, k),
        "concerns_by_campaign": by_campaign,
        "caller_groups_by_source": by_source,
    }
    # The period's call total is not withheld: Tier 3's marketing view already lists one row per call and day,
    # so the total is public to marketing; the cells that split it are what suppression protects.
    tables["overview"] = suppression.primary(tables["overview"], ["center_named_calls"], k)
    if published_days:
        before = {name: tables[name] for name in ("concerns", "caller_types", "objection_clusters")}
        for name, (keys, columns) in ROLLUP_KEYS.items():
            daily = published_days.get(name)
            for column in columns:
                tables[name] = suppression.against_constituents(tables[name], keys, column, daily, k)
        # A cell withheld by rule 3 inside an exclusive split would come back as total minus the rest, and then
        # differencing against its days would give the small daily cells after all. So the whole split goes:
        # every cell of that column in the roll-up is withheld.
        for name, column in (("concerns", "first_calls"), ("caller_types", "calls")):
            if tables[name][column].null_count() > before[name][column].null_count():
                tables[name] = tables[name].with_columns(pl.lit(None, pl.Int64).alias(column))
        clusters, was = tables["objection_clusters"], before["objection_clusters"]
        if not clusters.is_empty():
            grew = clusters.select(pl.sum_horizontal(pl.col(c).is_null() for c in GROUP_COLUMNS)).to_series() > was.select(
                pl.sum_horizontal(pl.col(c).is_null() for c in GROUP_COLUMNS)).to_series()
            clusters = clusters.with_columns(pl.when(grew).then(None).otherwise(pl.col(c)).alias(c) for c in GROUP_COLUMNS)
            tables["objection_clusters"] = clusters.filter(pl.col("calls").is_not_null())
        # A share or rate of a withheld count would give the count back: withhold it too. A phrase, sequence or
        # entity whose count is withheld is left out, as it would be under k.
        for name, df in tables.items():
            tables[name] = df.with_columns(
                pl.when(pl.col(count).is_null()).then(None).otherwise(pl.col(share)).alias(share)
                for share, count in SHARE_OF.items() if share in df.columns and count in df.columns
            )
        for name in ("buyer_phrases", "concern_sequences", "objection_clusters", "entity_concerns", "entity_framing", "concerns_by_campaign"):
            tables[name] = tables[name].filter(pl.col("calls").is_not_null())
        tables["concerns_by_campaign"] = tables["concerns_by_campaign"].filter(pl.col("campaign_calls").is_not_null())
        # The two orders of a pair split calls_both: one withheld withholds the other and the rate; a withheld
        # calls_both leaves the pair out.
        pairs = tables["concern_pairs"].filter(pl.col("calls_both").is_not_null())
        either = pl.col("first_before_second").is_null() | pl.col("second_before_first").is_null()
        pairs = pairs.with_columns(pl.when(either).then(None).otherwise(pl.col(c)).alias(c) for c in ["first_before_second", "second_before_first"])
        tables["concern_pairs"] = pairs.with_columns((pl.col("first_before_second") / pl.col("calls_both")).round(3).alias("raised_before_rate"))
        # Family vs patient: a withheld count withholds its share and the difference, and is never "family only".
        fvp = tables["family_vs_patient"].with_columns(
            pl.when(pl.col("family_calls").is_null()).then(None).otherwise(pl.col("family_share")).alias("family_share"),
            pl.when(pl.col("patient_calls").is_null()).then(None).otherwise(pl.col("patient_share")).alias("patient_share"),
        )
        tables["family_vs_patient"] = fvp.with_columns(
            (pl.col("family_share") - pl.col("patient_share")).round(3).alias("family_minus_patient"),
            ((pl.col("patient_calls") == 0) & (pl.col("family_calls") >= k)).fill_null(False).alias("family_only"),
        ).filter(pl.col("family_calls").is_not_null() | pl.col("patient_calls").is_not_null())
        em = tables["entity_mentions"]
        tables["entity_mentions"] = em.filter(pl.col("calls").is_not_null() | (pl.col("entity") == "any"))
    return {name: df.with_columns(pl.lit(period).alias("period")).select(["period", *df.columns]) for name, df in tables.items()}


def check(tables: dict[str, pl.DataFrame], k: int, published_days: dict[str, pl.DataFrame] | None = None) -> list[str]:
    """Re-prove the suppression rules on built tables; an empty list means they hold."""
    problems = []
    total = tables["overview"]["calls"][0] if "overview" in tables and tables["overview"].height else None
    for name, columns in COUNT_COLUMNS.items():
        if name in tables:
            problems += [f"{name}.{p}" for p in suppression.check_cells(tables[name], columns, k)]
    if total is not None:
        for name, column in (("caller_types", "calls"), ("concerns", "first_calls")):
            if name in tables and not tables[name].is_empty():
                problems += [f"{name}.{p}" for p in suppression.check_partition(tables[name], column, {None: total}, k)]
    clusters = tables.get("objection_clusters")
    if clusters is not None and not clusters.is_empty():
        totals = dict(zip(clusters["cluster_id"], clusters["calls"]))
        problems += [f"objection_clusters.{p}" for p in suppression.check_partition(_cluster_groups_long(clusters), "n", totals, k, group="cluster_id")]
    for name, df in tables.items():
        for share, count in SHARE_OF.items():
            if share in df.columns and count in df.columns and df.filter(pl.col(count).is_null() & pl.col(share).is_not_null()).height:
                problems.append(f"{name}.{share}: shown for a withheld {count}")
    if published_days:
        for name, (keys, columns) in ROLLUP_KEYS.items():
            for column in columns:
                if name in tables:
                    problems += [f"{name}.{p}" for p in suppression.check_rollup(tables[name], keys, column, published_days.get(name), k)]
    return problems
