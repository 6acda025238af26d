"""Where the transcripts' misses come from, on saved transcripts (``--transcripts-dir`` of ``cipher bench --only
asr``) of development calls: counts only, nothing of a call printed.

- ``vad_coverage``: each reference turn heard (nearly) not at all (at most a fifth of its words found): did the
  VAD, at a given threshold and padding, mark the turn's time as speech (then the decoder lost it), or not?
  Turn times come from the spoken call's gold (``cipher synth speak``). The VAD alone runs (seconds a call).
- ``vad_heads``: every reference turn, heard or not: how much of its head (from the turn's first word to the
  first speech region inside it) and of its whole length the VAD leaves out. A turn the decoder only partly
  heard is often one whose first words fell before the VAD's region began (a phone line's soft onsets), which
  ``vad_coverage`` (whole turns only) cannot see. No transcript is needed: this is the VAD setting alone.
- ``term_misses``: each insurer or competitor span not found word for word: dropped (no transcript word
  aligned to it), split or joined (the same letters), a sound-alike (Metaphone one edit away), partly heard
  (some of its words right), or garbled (other words).

``python -m cipher_devtools.asr_misses --transcripts-dir DIR --audio-dir SPOKEN --call-numbers 1-79:4 --band
phone [--vad-threshold 0.35] [--vad-pad-ms 800] [--vad-min-silence-ms 2000] [--no-vad]``. Development calls only:
the held-out half is refused.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

import jellyfish

from cipher_devtools.asr_errors import align
from cipher_pipeline.asr_text import wer_tokens
from cipher_pipeline.transcribe import Segment, with_loops_collapsed, with_terms_normalised

SAMPLE_RATE = 16_000


def _segments(path: Path) -> list[Segment]:
    saved = [Segment(**s) for s in json.loads(path.read_text(encoding="utf-8"))["segments"]]
    return with_terms_normalised(with_loops_collapsed(saved))  # as the pipeline stores them now


def vad_coverage(gold: dict, segments: list[Segment], audio: bytes, threshold: float, pad_ms: int,
                 min_silence_ms: int = 2000) -> Counter:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    from cipher_pipeline.transcribe import BATCHED_WINDOW_S, decode_channels

    channels = dict(zip(("agent", "caller"), decode_channels(audio)))
    out: Counter = Counter()
    for speaker in ("agent", "caller"):
        turns = [t for t in gold["turns"] if t["speaker"] == speaker]
        ref, owner = [], []
        for k, turn in enumerate(turns):
            tokens = wer_tokens(turn["text"])
            ref += tokens
            owner += [k] * len(tokens)
        hyp = wer_tokens(" ".join(s.text for s in segments if s.speaker == speaker))
        found = Counter(owner[op[3]] for op in align(ref, hyp) if op[0] == "=")
        options = VadOptions(threshold=threshold, min_silence_duration_ms=min_silence_ms, speech_pad_ms=pad_ms,
                             max_speech_duration_s=BATCHED_WINDOW_S)
        regions = [(r["start"] / SAMPLE_RATE, r["end"] / SAMPLE_RATE)
                   for r in get_speech_timestamps(channels[speaker], options)]
        for k, turn in enumerate(turns):
            words = owner.count(k)
            out["reference_words"] += words
            if not words or found[k] > 0.2 * words:
                continue
            length = max(turn["end"] - turn["start"], 1e-6)
            covered = sum(max(0.0, min(e, turn["end"]) - max(s, turn["start"])) for s, e in regions) / length
            kind = "vad_missed" if covered < 0.5 else "vad_kept_decoder_lost"
            out[f"{kind}_turns"] += 1
            out[f"{kind}_words"] += words
    return out


HEAD_CUT_S = 0.3  # a turn's first 0.3 s outside the VAD's regions is about a syllable: its first word at risk


def uncovered(start: float, end: float, regions: list[tuple[float, float]]) -> tuple[float, float]:
    """(head, outside) in seconds for a turn from ``start`` to ``end`` and speech regions (start, end): the time
    from the turn's start to the first region inside it (its whole length when none), and the total time of the
    turn no region covers."""
    inside = sorted((max(s, start), min(e, end)) for s, e in regions if e > start and s < end)
    length = max(end - start, 0.0)
    if not inside:
        return length, length
    covered, reach = 0.0, start
    for s, e in inside:  # regions may overlap once padded: count each second once
        s = max(s, reach)
        if e > s:
            covered += e - s
            reach = e
    return inside[0][0] - start, max(length - covered, 0.0)


def vad_heads(gold: dict, audio: bytes, threshold: float, pad_ms: int, min_silence_ms: int = 2000) -> Counter:
    """Per voice engine (the gold's ``voices``): turns, turns whose head the VAD cuts by more than ``HEAD_CUT_S``,
    seconds of turn time the VAD leaves out, and seconds of turn time."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    from cipher_pipeline.transcribe import BATCHED_WINDOW_S, decode_channels

    channels = dict(zip(("agent", "caller"), decode_channels(audio)))
    options = VadOptions(threshold=threshold, min_silence_duration_ms=min_silence_ms, speech_pad_ms=pad_ms,
                         max_speech_duration_s=BATCHED_WINDOW_S)
    out: Counter = Counter()
    for speaker in ("agent", "caller"):
        engine = gold.get("voices", {}).get(speaker, {}).get("engine", "unknown")
        regions = [(r["start"] / SAMPLE_RATE, r["end"] / SAMPLE_RATE)
                   for r in get_speech_timestamps(channels[speaker], options)]
        for turn in (t for t in gold["turns"] if t["speaker"] == speaker):
            head, outside = uncovered(turn["start"], turn["end"], regions)
            out[f"{engine}_turns"] += 1
            out[f"{engine}_heads_cut"] += head > HEAD_CUT_S
            out[f"{engine}_outside_s"] += outside
            out[f"{engine}_turn_s"] += turn["end"] - turn["start"]
    return out


def term_misses(gold: dict, segments: list[Segment]) -> Counter:
    out: Counter = Counter()
    for speaker in ("agent", "caller"):
        ref, span_of = [], []
        for turn in (t for t in gold["turns"] if t["speaker"] == speaker):
            text, pos = turn["text"], 0
            for span in sorted(turn["spans"], key=lambda s: s["start"]):
                if span["start"] < pos:
                    continue
                ref += (outside := wer_tokens(text[pos:span["start"]]))
                span_of += [None] * len(outside)
                key = (len(ref), span["category"], span["text"])
                ref += (inside := wer_tokens(text[span["start"]:span["end"]]))
                span_of += [key] * len(inside)
                pos = span["end"]
            ref += (rest := wer_tokens(text[pos:]))
            span_of += [None] * len(rest)
        ops = align(ref, wer_tokens(" ".join(s.text for s in segments if s.speaker == speaker)))
        heard: dict = {}
        right, size = Counter(), Counter()
        for k, (kind, ref_word, hyp_word, index) in enumerate(ops):
            key = span_of[index] if ref_word is not None else None
            if key is None or key[1] not in ("INSURER", "COMPETITOR"):
                continue
            size[key] += 1
            right[key] += kind == "="
            words = heard.setdefault(key, [])
            if index == 0 or span_of[index - 1] != key:  # the span's first word: words inserted just before it
                j = k - 1
                while j >= 0 and ops[j][0] == "I":
                    j -= 1
                words.extend(op[2] for op in ops[j + 1 : k])
            if hyp_word:
                words.append(hyp_word)
            j = k + 1
            while j < len(ops) and ops[j][0] == "I":  # words inserted inside the name
                words.append(ops[j][2])
                j += 1
        for key in size:
            category = key[1].lower()
            if right[key] == size[key]:
                out[f"{category}_recognized"] += 1
                continue
            said, got = "".join(wer_tokens(key[2])), "".join(heard.get(key, []))
            if not got:
                kind = "dropped"
            elif said == got:
                kind = "split_or_joined"
            elif jellyfish.levenshtein_distance(jellyfish.metaphone(said), jellyfish.metaphone(got)) <= 1:
                kind = "sound_alike"
            else:
                kind = "partly_heard" if right[key] else "garbled"
            out[f"{category}_{kind}"] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    from cipher_devtools.synth.markup import parse_call_numbers

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts-dir", required=True)
    parser.add_argument("--audio-dir", required=True, help="the spoken calls: call_NNN.json gold, <band>/call_NNN.wav")
    parser.add_argument("--call-numbers", required=True)
    parser.add_argument("--band", default="phone")
    parser.add_argument("--vad-threshold", type=float, default=0.5)
    parser.add_argument("--vad-pad-ms", type=int, default=800)
    parser.add_argument("--vad-min-silence-ms", type=int, default=2000)
    parser.add_argument("--no-vad", action="store_true", help="only the names (no audio read)")
    args = parser.parse_args(argv)
    numbers = parse_call_numbers(args.call_numbers)
    if any(n % 4 == 0 for n in numbers):
        parser.error("calls 0 mod 4 are the held-out half (even-b): scores only, through cipher bench")
    vad, heads, terms = Counter(), Counter(), Counter()
    for number in sorted(numbers):
        saved = Path(args.transcripts_dir) / args.band / f"call_{number:03d}.json"
        gold_path = Path(args.audio_dir) / f"call_{number:03d}.json"
        if not saved.exists() or not gold_path.exists():
            continue
        gold, segments = json.loads(gold_path.read_text(encoding="utf-8")), _segments(saved)
        if not args.no_vad:
            audio = (Path(args.audio_dir) / args.band / f"call_{number:03d}.wav").read_bytes()
            vad.update(vad_coverage(gold, segments, audio, args.vad_threshold, args.vad_pad_ms,
                                    args.vad_min_silence_ms))
            heads.update(vad_heads(gold, audio, args.vad_threshold, args.vad_pad_ms, args.vad_min_silence_ms))
        terms.update(term_misses(gold, segments))
    print(json.dumps({"band": args.band, "vad_threshold": args.vad_threshold, "vad_pad_ms": args.vad_pad_ms,
                      "vad_min_silence_ms": args.vad_min_silence_ms, "vad": dict(vad),
                      "vad_heads": {k: round(v, 1) for k, v in sorted(heads.items())},
                      "terms": dict(sorted(terms.items()))}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
