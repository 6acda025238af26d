"""Real faster-whisper on real audio: the JFK clip with its known transcript, wideband and phone band."""

import re
import subprocess

import pytest

from cipher_pipeline.asr_models import BASE_MODEL_SHA256, verify, whisper_model
from cipher_pipeline.transcribe import Transcriber
from tests.conftest import JFK_FLAC, JFK_TEXT

pytestmark = pytest.mark.slow


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def _word_recall(reference: str, hypothesis: str) -> float:
    ref, hyp = _words(reference), set(_words(hypothesis))
    return sum(w in hyp for w in ref) / len(ref)


@pytest.fixture(scope="module")
def base():
    return Transcriber("base")


def test_base_model_is_assembled_from_its_two_wheels_and_verified():
    info = whisper_model("base")
    assert info.sha256 == BASE_MODEL_SHA256
    verify(info)  # full sha256 of the joined model.bin


def test_base_transcribes_jfk_exactly(base):
    result = base.transcribe(JFK_FLAC.read_bytes())
    assert result.text().strip() == f"unknown: {JFK_TEXT}"  # the clip is mono content on two channels
    assert abs(result.duration_s - 11.0) < 0.1
    assert all(s.speaker == "unknown" and 0 < s.confidence <= 1 for s in result.segments)
    for seg in result.segments:  # each decoded word keeps its place in the text and the decoder's probability
        assert " ".join(seg.text[s:e] for s, e, _ in seg.words) == seg.text
        assert all(0 < p <= 1 for _, _, p in seg.words)


def test_tiny_en_gets_the_words(tmp_path):
    result = Transcriber("tiny.en").transcribe(JFK_FLAC.read_bytes())
    assert _word_recall(JFK_TEXT, result.text()) >= 0.9


def test_phone_band_audio_still_transcribes(base, tmp_path):
    phone = tmp_path / "jfk-8k.wav"
    subprocess.run(
        ["sox", str(JFK_FLAC), "-r", "8000", "-c", "1", str(phone), "sinc", "300-3400"], check=True, capture_output=True
    )
    result = base.transcribe(phone.read_bytes())
    # Phone band loses the high frequencies: measured here at full recall on this clip, with the base model.
    assert _word_recall(JFK_TEXT, result.text()) >= 0.8


def test_stereo_channels_become_speakers(base, tmp_path):
    """JFK on the right channel only (the caller), silence on the left (the agent)."""
    stereo = tmp_path / "caller-only.wav"
    subprocess.run(
        ["sox", str(JFK_FLAC), "-r", "16000", str(stereo), "remix", "0", "1"], check=True, capture_output=True
    )
    result = base.transcribe(stereo.read_bytes())
    assert {s.speaker for s in result.segments} == {"caller"}
    assert _word_recall(JFK_TEXT, result.text()) >= 0.9


def test_the_same_recording_gives_the_same_transcript(base, synth_day):
    """Re-running a partition must give the same result: no sampling fallback, so decoding is repeatable.
    (With faster-whisper's default temperature fallback, two of three synthetic calls came out differently.)"""
    _, synth = synth_day
    call = next(c for c in synth.calls if c.answered)
    audio = call.path.read_bytes()
    assert base.transcribe(audio).text() == base.transcribe(audio).text()


def test_batched_decoding_and_center_vocabulary_still_get_the_words():
    from cipher_pipeline.transcribe import DecodeOptions

    result = Transcriber("tiny.en", options=DecodeOptions(batch_size=8, vocabulary="hotwords")).transcribe(JFK_FLAC.read_bytes())
    assert _word_recall(JFK_TEXT, result.text()) >= 0.9


def test_silence_line_hiss_gives_no_words(base):
    """-60 dBFS hiss where nobody speaks: the VAD and no-speech threshold keep Whisper from inventing text."""
    import numpy as np

    hiss = (np.random.default_rng(0).standard_normal(16000 * 20) * 1e-3).astype(np.float32)
    pieces, _ = base.decode_channel(hiss)
    assert sum(len(p.text.split()) for p in pieces) == 0


def test_process_pool_loads_once_per_process_and_keeps_order_and_bad_files(tmp_path):
    from cipher_pipeline.transcribe import TranscriberPool

    payloads = [JFK_FLAC.read_bytes(), b"not audio at all", JFK_FLAC.read_bytes()]
    with TranscriberPool(2, "tiny.en") as pool:
        results = list(pool.map(payloads))
    assert isinstance(results[1], Exception)  # one bad recording is reported, the others still come back
    assert results[0].text() == results[2].text()
    assert _word_recall(JFK_TEXT, results[0].text()) >= 0.9


def _jfk_samples():
    from cipher_pipeline.transcribe import decode_channels

    return decode_channels(JFK_FLAC.read_bytes())[0]


def _two_turns(gap_s: float = 4.0):
    """The JFK clip twice on one channel with ``gap_s`` of silence between: two turns, two VAD regions."""
    import numpy as np

    samples = _jfk_samples()
    return np.concatenate([samples, np.zeros(int(gap_s * 16000), dtype=np.float32), samples])


def test_a_stretch_decoded_again_is_in_channel_time_and_repeatable(base):
    """``_redecode_loop`` (what a batched decoding loop swallowed, decoded again): its pieces carry the channel's
    times, not the stretch's, each turn in the stretch is decoded as a window of its own, and a re-run gives the
    same words."""
    samples = _jfk_samples()
    whole = base._redecode_loop(samples, 0.0, 11.0)
    assert _word_recall(JFK_TEXT, " ".join(p[2] for p in whole)) >= 0.9
    tail = base._redecode_loop(samples, 6.0, 11.0)  # "ask what you can do for your country" is in the last 5 s
    assert tail and all(start >= 6.0 and end <= 11.1 for start, end, *_ in tail)
    assert base._redecode_loop(samples, 3.0, 3.2) is None  # too short to hold a word
    assert base._redecode_loop(samples, 0.0, 11.0) == base._redecode_loop(samples, 0.0, 11.0)
    both = base._redecode_loop(_two_turns(), 0.0, 26.0)
    second = [p for p in both if p[0] >= 14.5]  # the second turn begins at 15 s
    assert _word_recall(JFK_TEXT, " ".join(p[2] for p in second)) >= 0.9
    assert _word_recall(JFK_TEXT, " ".join(p[2] for p in both if p[1] <= 11.5)) >= 0.9


def test_a_loop_the_batched_decoder_fell_into_is_decoded_again_to_its_chunks_end(monkeypatch):
    """A batched decode that looped (the decoder's output stood in for by real decodes whose text is replaced
    with a loop: Whisper cannot be made to loop on demand), its rounds spread over pieces as ``_split_at_pauses``
    leaves them, none a loop alone: with the option on, the looped chunk's stretch is decoded again and the words
    come back; the next chunk's piece is kept as it was; with it off, the loop stays for ``with_loops_collapsed``."""
    import dataclasses

    from cipher_pipeline.transcribe import DecodeOptions

    looped = Transcriber("tiny.en", options=DecodeOptions(redecode_loops=True))
    samples = _two_turns()
    real_pieces, info = looped.decode_channel(samples)
    first = list(real_pieces)[0]
    rounds = ["And so, 1-0", "-0-0", "-0", "-0-0"]
    fake = [dataclasses.replace(first, seek=0, start=k * 2.0, end=k * 2.0 + 1.0, text=" " + text, words=None)
            for k, text in enumerate(rounds)]
    fake.append(dataclasses.replace(first, seek=1500, start=15.0, end=26.0,
                                    text=" The second turn, as the batched decoder wrote it.", words=None))
    monkeypatch.setattr(looped, "decode_channel", lambda _samples, _narrowband=False: (iter(fake), info))
    pieces, _ = looped._channel_pieces(samples)
    assert _word_recall(JFK_TEXT, " ".join(p[2] for p in pieces if p[0] < 14)) >= 0.9
    assert [p[2] for p in pieces if p[0] >= 14] == ["The second turn, as the batched decoder wrote it."]
    looped.options = DecodeOptions(redecode_loops=False, redecode_sparse_words_per_s=0.0)
    pieces, _ = looped._channel_pieces(samples)
    assert [p[2] for p in pieces] == [*rounds, "The second turn, as the batched decoder wrote it."]


def test_a_turn_the_batched_decoder_skipped_is_decoded_again(monkeypatch):
    """A batched chunk whose text starts only at its second turn (the decoder's output stood in for by a piece
    over the second turn alone): with ``redecode_unheard`` the first turn, a VAD region no piece overlaps, is
    decoded as a window of its own and comes back before the second; the second is kept as it was. Off, the
    decode is as it came."""
    import dataclasses

    from cipher_pipeline.transcribe import DecodeOptions

    skipping = Transcriber("tiny.en", options=DecodeOptions(redecode_unheard=True))
    samples = _two_turns()
    real_pieces, info = skipping.decode_channel(samples)
    second = dataclasses.replace(list(real_pieces)[0], seek=0, start=15.0, end=26.0,
                                 text=" The second turn, as the batched decoder wrote it.", words=None)
    monkeypatch.setattr(skipping, "decode_channel", lambda _samples, _narrowband=False: (iter([second]), info))
    pieces, _ = skipping._channel_pieces(samples)
    assert pieces[-1][2] == "The second turn, as the batched decoder wrote it."
    assert _word_recall(JFK_TEXT, " ".join(p[2] for p in pieces[:-1])) >= 0.9
    assert all(p[1] <= 11.5 for p in pieces[:-1])
    skipping.options = DecodeOptions(redecode_unheard=False)
    pieces, _ = skipping._channel_pieces(samples)
    assert [p[2] for p in pieces] == ["The second turn, as the batched decoder wrote it."]


def test_a_turn_that_only_looks_heard_is_decoded_again(monkeypatch):
    """A batched chunk whose text skips its first turn but whose word times put one stray word there (the
    decoder's output stood in for by a one-word piece inside the first turn's 11 s and a piece over the second):
    with ``redecode_sparse_words_per_s`` the first region, under the floor, is decoded again and its re-decode
    replaces the stray word; the second turn, dense, is kept as it was. Off, or with a floor the stray word
    meets, the decode is as it came."""
    import dataclasses

    from cipher_pipeline.transcribe import DecodeOptions

    sparse = DecodeOptions()  # the default: on, at 0.5 words a second
    assert sparse.redecode_unheard and sparse.redecode_sparse_words_per_s == 0.5
    skipping = Transcriber("tiny.en", options=sparse)
    samples = _two_turns()
    real_pieces, info = skipping.decode_channel(samples)
    first = list(real_pieces)[0]
    stray = dataclasses.replace(first, seek=0, start=4.0, end=4.4, text=" Country.", words=None)
    second = dataclasses.replace(first, seek=0, start=15.0, end=26.0,
                                 text=" The second turn, as decoded here in full.", words=None)
    monkeypatch.setattr(skipping, "decode_channel", lambda _samples, _narrowband=False: (iter([stray, second]), info))
    pieces, _ = skipping._channel_pieces(samples)
    assert pieces[-1][2] == "The second turn, as decoded here in full."
    assert "Country." not in [p[2] for p in pieces]
    assert _word_recall(JFK_TEXT, " ".join(p[2] for p in pieces[:-1])) >= 0.9
    assert skipping._channel_pieces(samples) == (pieces, "en")  # a re-run gives the same words
    for options in (DecodeOptions(redecode_sparse_words_per_s=0.0),
                    dataclasses.replace(sparse, redecode_sparse_words_per_s=0.05)):
        skipping.options = options
        pieces, _ = skipping._channel_pieces(samples)
        assert [p[2] for p in pieces] == ["Country.", "The second turn, as decoded here in full."]


def test_a_phone_recording_gets_the_phone_vad_threshold(base, tmp_path):
    """An 8 kHz recording is decoded with ``vad_threshold_phone``, a wideband one with ``vad_threshold``."""
    from cipher_pipeline.transcribe import NARROWBAND_RATE, DecodeOptions, _sample_rate

    options = DecodeOptions()
    assert options.vad_threshold_phone < options.vad_threshold
    assert base._decode_arguments(narrowband=True)["vad_parameters"].threshold == options.vad_threshold_phone
    assert base._decode_arguments()["vad_parameters"].threshold == options.vad_threshold
    narrow_beam = Transcriber("base", options=DecodeOptions(beam_size=5, beam_size_phone=3))
    assert (narrow_beam._decode_arguments(narrowband=True)["beam_size"],
            narrow_beam._decode_arguments()["beam_size"]) == (3, 5)
    phone = tmp_path / "jfk-8k.wav"
    subprocess.run(["sox", str(JFK_FLAC), "-r", "8000", "-c", "1", str(phone)], check=True, capture_output=True)
    assert _sample_rate(phone.read_bytes()) <= NARROWBAND_RATE < _sample_rate(JFK_FLAC.read_bytes())
