"""Where a recording's CPU goes in ``Transcriber.transcribe``: model, VAD, re-decodes and text steps, apart.

    python -m cipher_devtools.asr_cpu --audio-dir /work/cache/calls_dev_speech_odd --call-numbers 1-15:2 \
        --bands phone wideband --json phases.json

One process, one decoder thread (``--cpu-threads``: CPU seconds as a pool worker spends them), the pipeline's
defaults (``DecodeOptions()``). Each phase's process CPU time (``time.process_time``, the figure that holds on a
loaded machine) is counted where it is spent, exclusive of the phases inside it:

- ``ct2.encode`` / ``ct2.generate`` / ``ct2.align`` @ the phase that called them: the encoder (one 30 s window per
  batched chunk or re-decoded region), the beam search and the word alignment;
- ``decode.main``: the batched decode of a channel (what the model calls above leave of it: features, Python);
- ``redecode.loops`` / ``redecode.unheard_sparse``: the regions decoded again (``DecodeOptions.redecode_*``);
- ``vad.pipeline``: faster-whisper's own VAD pass; ``vad.second``: ours (``Transcriber._speech_regions``);
- ``audio.decode``, ``audio.rate``, ``loops.collapse``, ``terms``: reading the file and the text steps.

Every batched ``generate`` call is logged too (items, prompt tokens, tokens written per item, CPU), so a window that
ran to the decoder's length limit (a loop) shows with its cost. Text never leaves the process: counts and times only.
The wrappers replace attributes of this process's modules for the run; nothing is changed on disk.
"""

from __future__ import annotations

import argparse
import collections
import functools
import json
import sys
import time
from pathlib import Path


class _Phases:
    """CPU seconds per phase, exclusive of the phases called inside it, and counts."""

    def __init__(self):
        self.cpu = collections.Counter()
        self.count = collections.Counter()
        self.stack = ["other"]
        self.generate_calls: list[dict] = []

    def timed(self, name: str, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            self.stack.append(name)
            c0 = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent = time.process_time() - c0
                self.stack.pop()
                self.cpu[name] += spent
                self.cpu[self.stack[-1]] -= spent  # the caller's own time excludes it
        return wrapper


class _ModelProxy:
    """The CTranslate2 Whisper model with its encode, generate and align timed under the calling phase."""

    def __init__(self, model, phases: _Phases):
        self._model = model
        self._phases = phases

    def __getattr__(self, name):
        attribute = getattr(self._model, name)
        if name not in ("encode", "generate", "align"):
            return attribute
        phases = self._phases

        def timed(*args, **kwargs):
            c0 = time.process_time()
            result = attribute(*args, **kwargs)
            spent = time.process_time() - c0
            key = f"ct2.{name}@{phases.stack[-1]}"
            phases.cpu[key] += spent
            phases.cpu[phases.stack[-1]] -= spent
            phases.count[key] += 1
            if name == "encode":
                phases.count[f"windows@{phases.stack[-1]}"] += args[0].shape[0]
            if name == "generate":
                phases.generate_calls.append({
                    "phase": phases.stack[-1], "items": len(args[1]), "prompt_tokens": len(args[1][0]),
                    "max_length": kwargs.get("max_length"), "written": [len(r.sequences_ids[0]) for r in result],
                    "cpu_s": round(spent, 3)})
            return result
        return timed


def profile(paths: list[Path], cpu_threads: int = 1) -> dict:
    """Decode each recording with the pipeline's defaults and count CPU by phase (module docstring)."""
    import faster_whisper.transcribe as fw_transcribe
    import faster_whisper.vad as fw_vad

    import cipher_pipeline.transcribe as transcribe

    phases = _Phases()
    saved = [(fw_transcribe, "get_speech_timestamps"), (transcribe, "get_speech_timestamps"),
             (transcribe, "decode_channels"), (transcribe, "_sample_rate"), (transcribe, "with_loops_collapsed"),
             (transcribe, "with_terms_normalised"), (transcribe.Transcriber, "_with_loops_redecoded"),
             (transcribe.Transcriber, "_with_unheard_redecoded"), (transcribe.Transcriber, "_channel_pieces"),
             (transcribe.Transcriber, "_decode_regions")]
    originals = [(owner, name, getattr(owner, name)) for owner, name in saved]
    try:
        fw_transcribe.get_speech_timestamps = phases.timed("vad.pipeline", fw_vad.get_speech_timestamps)
        transcribe.get_speech_timestamps = phases.timed("vad.second", fw_vad.get_speech_timestamps)
        for owner, name, phase in ((transcribe, "decode_channels", "audio.decode"),
                                   (transcribe, "_sample_rate", "audio.rate"),
                                   (transcribe, "with_loops_collapsed", "loops.collapse"),
                                   (transcribe, "with_terms_normalised", "terms"),
                                   (transcribe.Transcriber, "_with_loops_redecoded", "redecode.loops"),
                                   (transcribe.Transcriber, "_with_unheard_redecoded", "redecode.unheard_sparse"),
                                   (transcribe.Transcriber, "_channel_pieces", "decode.main")):
            setattr(owner, name, phases.timed(phase, getattr(owner, name)))
        decode_regions = transcribe.Transcriber._decode_regions

        def counted_regions(self, samples, regions, narrowband=False):
            phases.count[f"regions@{phases.stack[-1]}"] += len(regions)
            return decode_regions(self, samples, regions, narrowband)

        transcribe.Transcriber._decode_regions = counted_regions
        c0 = time.process_time()
        transcriber = transcribe.Transcriber("base", cpu_threads=cpu_threads)
        load = time.process_time() - c0
        transcriber._model.model = _ModelProxy(transcriber._model.model, phases)
        recordings = []
        for path in paths:
            phases.generate_calls = []
            c0 = time.process_time()
            transcript = transcriber.transcribe(path.read_bytes())
            recordings.append({"recording": f"{path.parent.name}/{path.name}", "audio_s": round(transcript.duration_s, 2),
                               "cpu_s": round(time.process_time() - c0, 2), "generate": phases.generate_calls})
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)
    total = sum(r["cpu_s"] for r in recordings)
    cpu = {name: round(seconds, 2) for name, seconds in sorted(phases.cpu.items()) if name != "other"}
    return {"cpu_threads": cpu_threads, "model_load_cpu_s": round(load, 2), "recordings": len(recordings),
            "audio_s": round(sum(r["audio_s"] for r in recordings), 1), "cpu_s": round(total, 2),
            "phases_cpu_s": cpu, "phases_share": {k: round(v / total, 4) for k, v in cpu.items()} if total else {},
            "counts": dict(sorted(phases.count.items())), "per_recording": recordings}


def main(argv: list[str] | None = None) -> int:
    from cipher_devtools.synth.markup import parse_call_numbers

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--audio-dir", required=True, help="spoken calls: <dir>/<band>/call_NNN.wav")
    parser.add_argument("--call-numbers", required=True, help="e.g. 1-15:2 (development calls only)")
    parser.add_argument("--bands", nargs="+", default=["phone", "wideband"])
    parser.add_argument("--cpu-threads", type=int, default=1)
    parser.add_argument("--json", help="write the figures here as well")
    args = parser.parse_args(argv)
    paths = [Path(args.audio_dir) / band / f"call_{n:03d}.wav"
             for band in args.bands for n in sorted(parse_call_numbers(args.call_numbers))]
    report = profile(paths, args.cpu_threads)
    text = json.dumps(report, indent=1)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "per_recording"}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
