"""The CPU-by-phase profiler on real faster-whisper: JFK on one channel, silence on the other."""

import subprocess

import pytest

from cipher_devtools.asr_cpu import profile
from tests.conftest import JFK_FLAC

pytestmark = pytest.mark.slow


def test_every_phase_is_counted_once_and_the_module_is_left_as_it_was(tmp_path):
    import cipher_pipeline.transcribe as transcribe

    before = transcribe.Transcriber._channel_pieces
    stereo = tmp_path / "caller-only.wav"
    subprocess.run(["sox", str(JFK_FLAC), "-r", "16000", str(stereo), "remix", "0", "1"], check=True,
                   capture_output=True)
    report = profile([stereo])
    phases = report["phases_cpu_s"]
    # the model did the decoding, the batched pipeline's VAD and ours each ran, and a channel with speech was decoded
    assert phases["ct2.encode@decode.main"] > 0 and phases["ct2.generate@decode.main"] > 0
    assert phases["vad.pipeline"] > 0 and phases["vad.second"] > 0
    assert report["counts"]["windows@decode.main"] >= 1
    assert report["per_recording"][0]["generate"][0]["items"] >= 1
    # exclusive times add up to the recordings' CPU (what is outside every phase is small)
    assert abs(sum(phases.values()) - report["cpu_s"]) < 0.1 * report["cpu_s"] + 0.2
    assert transcribe.Transcriber._channel_pieces is before
