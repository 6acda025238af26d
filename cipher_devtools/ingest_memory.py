"""Peak memory of the ingest step alone, for synthetic days of several sizes (issue 13).

``python -m cipher_devtools.ingest_memory --calls 10 100`` writes, for each size, a day of N synthetic 16 kHz
stereo WAV recordings (a tone under noise, ~6.4 MB each: the 1,000-call bench day averaged 6.3 MB) and its
call-tracking export into a temporary inbox, then runs ``pipeline.ingest_day`` in a fresh Python process and
reads that process's peak resident memory (``VmHWM`` of /proc/self/status) before and after the call. One JSON
line per size. Everything is synthetic and deleted afterwards; nothing is written to the repository.

The full ``cipher bench --only e2e`` measures the same step inside a Dagster run but takes hours at 1,000 calls;
this isolates ingest so its memory can be compared across sizes in minutes.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

from cipher_pipeline.ingest import METADATA_FILE, REQUIRED_COLUMNS

DAY = "2026-11-02"
RATE, CHANNELS = 16_000, 2


def synthetic_wav(seconds: float, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    mono = 6000 * np.sin(2 * np.pi * (300 + seed % 200) * t) + rng.normal(0, 500, t.size)
    frames = np.repeat(mono.astype(np.int16)[:, None], CHANNELS, axis=1)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(CHANNELS)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames.tobytes())
    return buffer.getvalue()


def write_day(inbox: Path, calls: int, seconds: float) -> int:
    folder = inbox / DAY
    folder.mkdir(parents=True)
    rows, total = [], 0
    for index in range(calls):
        call_id = f"CALMEM{index:05d}"
        payload = synthetic_wav(seconds, index)
        (folder / f"{call_id}.wav").write_bytes(payload)
        total += len(payload)
        row = {c: "" for c in REQUIRED_COLUMNS}
        row.update(call_id=call_id, start_time=f"{DAY}T09:00:00-08:00", direction="inbound", answered="true",
                   ring_seconds="3", talk_seconds=str(int(seconds)), recording_file=f"{call_id}.wav")  # fmt: skip
        rows.append(row)
    with (folder / METADATA_FILE).open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=REQUIRED_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return total


_CHILD = """
import json, sys, time
from pathlib import Path
from cipher_pipeline.keys import init_keys
from cipher_pipeline.pipeline import ingest_day
from cipher_pipeline.settings import Settings
from cipher_pipeline.storage import PartitionStore

def hwm_mib():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

root, day = Path(sys.argv[1]), sys.argv[2]
settings = Settings(data_root=root / "data", inbox=root / "inbox", require_qa=False)
init_keys(settings.keys_dir)
store = PartitionStore(settings)
store.vault
before = hwm_mib()
started = time.monotonic()
ingested = ingest_day(settings, store, day)
wall = time.monotonic() - started
print(json.dumps({"hwm_before_mib": round(before, 1), "hwm_after_mib": round(hwm_mib(), 1), "wall_s": round(wall, 2),
                  "ok": ingested.recording_status.get("ok", 0), "quarantined": len(ingested.quarantined)}))
"""


def measure(calls: int, seconds: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="cipher-ingest-mem-") as tmp:
        root = Path(tmp)
        audio_bytes = write_day(root / "inbox", calls, seconds)
        out = subprocess.run([sys.executable, "-c", _CHILD, str(root), DAY], capture_output=True, text=True, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
    result.update(calls=calls, recording_mib=round(audio_bytes / 2**20, 1),
                  ingest_growth_mib=round(result["hwm_after_mib"] - result["hwm_before_mib"], 1))  # fmt: skip
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--seconds", type=float, default=100.0, help="length of each synthetic recording")
    args = parser.parse_args(argv)
    for calls in args.calls:
        started = time.monotonic()
        result = measure(calls, args.seconds)
        result["total_s"] = round(time.monotonic() - started, 1)
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
