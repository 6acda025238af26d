"""The link between Tier 2/3 rows and Tier 1 calls is severed: nothing on disk, keys included, re-links a row."""

import polars as pl

from cipher_pipeline.pseudonyms import assign_ids, content_ids
from cipher_pipeline.storage import PartitionStore
from tests.relink import _all_keys, _candidate_ids, try_relink

DAY = "2026-11-18"
CALLS = [f"CAL{n:024x}" for n in range(12)]


def _tier1_and_released(settings, store):
    store.write("raw_calls", DAY, pl.DataFrame({"call_id": CALLS, "campaign": ["brand"] * 12, "talk_seconds": list(range(12))}), purpose="test")
    texts = [f"caller: I need help with [NAME] {n % 5}" for n in range(12)]  # duplicates on purpose
    store.write("transcripts", DAY, pl.DataFrame({"call_id": CALLS, "text": texts}), purpose="test")
    redacted = pl.DataFrame({"transcript_id": [None] * 12, "day": [DAY] * 12, "redacted_text": texts}, schema_overrides={"transcript_id": pl.String})
    store.write("redacted_transcripts", DAY, assign_ids(redacted, "transcript_id", "transcript", DAY, ["redacted_text"]))
    marketing = pl.DataFrame({"marketing_call_id": [""] * 12, "day": [DAY] * 12, "campaign": ["brand"] * 12, "talk_seconds": list(range(12))})
    store.write("marketing_calls", DAY, assign_ids(marketing, "marketing_call_id", "marketing", DAY, ["day", "campaign", "talk_seconds"]))


def test_no_id_key_or_log_on_disk_relinks_a_single_row(settings):
    store = PartitionStore(settings)
    _tier1_and_released(settings, store)
    assert try_relink(settings) == []
    redacted = store.read("redacted_transcripts", DAY, purpose="gate: test")
    assert redacted["transcript_id"].n_unique() == 12  # identical texts still get distinct ids


def test_the_attack_would_have_caught_the_old_keyed_ids(settings):
    """Positive control: the same attacker re-links every row under the old HMAC-of-call-id scheme."""
    import hashlib
    import hmac

    store = PartitionStore(settings)
    _tier1_and_released(settings, store)
    key = _all_keys(settings.keys_dir)[0]
    sub = hmac.new(key, b"cipher-pseudonym/transcript", hashlib.sha256).digest()
    old_ids = ["T" + hmac.new(sub, c.encode(), hashlib.sha256).hexdigest()[:16] for c in CALLS]
    store.write("redacted_transcripts", DAY, pl.DataFrame({"transcript_id": old_ids, "redacted_text": ["x"] * 12}))
    assert len(try_relink(settings)) == 12
    assert all(i[1:] in _candidate_ids(c, [key]) for i, c in zip(old_ids, CALLS))


def test_ids_are_deterministic_and_independent_of_tier1_order():
    """Re-runs reproduce the partition (the gate evidence and QA reviews are pinned to its fingerprint)."""
    rows = [("a",), ("b",), ("a",)]
    assert content_ids("transcript", DAY, rows) == content_ids("transcript", DAY, rows)
    frame = pl.DataFrame({"transcript_id": [""] * 3, "redacted_text": ["a", "b", "a"]})
    shuffled = frame.reverse()
    assert assign_ids(frame, "transcript_id", "transcript", DAY, ["redacted_text"]).equals(
        assign_ids(shuffled, "transcript_id", "transcript", DAY, ["redacted_text"])
    )
