"""``cipher deid`` (bad records do not stop a run) and ``cipher eval`` (scores against an annotated corpus),
plus recall floors on small samples of the synthetic call corpus and the presidio-research set."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from cipher_pipeline.cli import main
from cipher_pipeline.deid import Redactor
from cipher_devtools import evaluate as ev
from cipher_pipeline.deid.cli import run_deid


def _write_input(path: Path) -> None:
    good = [
        {"id": "c1", "text": "agent: Name?\ncaller: my name is derek holloway, 619-555-0142\n"},
        {"id": "c2", "text": "caller: he's on Suboxone since 2019\n"},
    ]
    with path.open("wb") as fh:
        fh.write((json.dumps(good[0]) + "\n").encode())
        fh.write(b"{not json\n")  # line 2
        fh.write((json.dumps({"id": "c3"}) + "\n").encode())  # no text
        fh.write(b'{"id": "c4", "text": "caf\xe9"}\n')  # not UTF-8
        fh.write((json.dumps({"id": "c5", "text": "x" * 5000}) + "\n").encode())  # too long for the limit below
        fh.write(b"\n")  # blank lines are skipped, not records
        fh.write((json.dumps([1, 2]) + "\n").encode())  # not an object
        fh.write((json.dumps(good[1]) + "\n").encode())


def test_run_deid_keeps_going_past_bad_records(tmp_path: Path, redactor: Redactor) -> None:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out" / "out.jsonl"
    _write_input(src)
    err = io.StringIO()
    records, failed = run_deid(src, dst, redactor, batch_size=2, max_chars=1000, progress_every=2, stderr=err)
    assert (records, failed) == (7, 5)
    out = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert len(out) == 7
    assert [o.get("id") for o in out] == ["c1", None, "c3", None, "c5", None, "c2"]
    assert out[0]["redacted_text"] == "agent: Name?\ncaller: my name is [NAME], [PHONE]\n"
    assert [s["category"] for s in out[0]["spans"]] == ["NAME", "PHONE"]
    assert set(out[0]["spans"][0]) >= {"start", "end", "category", "layer"}
    assert out[6]["redacted_text"] == "caller: he's on Suboxone since 2019\n"
    errors = [o["error"] for o in out if "error" in o]
    assert len(errors) == 5
    assert any("not JSON" in e for e in errors) and any("no text" in e for e in errors)
    assert any("not UTF-8" in e for e in errors) and any("too long" in e for e in errors)
    # errors and progress never quote the transcript
    assert all("derek" not in e and "xxxx" not in e for e in errors)
    progress = err.getvalue()
    assert "records" in progress and "derek" not in progress


def test_cli_deid_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "caller: call me at 760 555 0199\n"}) + "\n", encoding="utf-8")
    assert main(["deid", str(src), "-o", str(dst)]) == 0
    assert json.loads(dst.read_text(encoding="utf-8"))["redacted_text"] == "caller: call me at [PHONE]\n"
    with src.open("a", encoding="utf-8") as fh:
        fh.write("garbage\n")
    assert main(["deid", str(src), "-o", str(dst)]) == 1
    assert len(dst.read_text(encoding="utf-8").splitlines()) == 2
    assert "deid: done" in capsys.readouterr().err


def test_cli_eval_on_annotated_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "caller: my name is Tanya Okafor and my number is 619-555-0142\n"
    record = {
        "id": "t1",
        "text": text,
        "spans": [
            {"start": text.index("Tanya"), "end": text.index("Tanya") + len("Tanya Okafor"), "category": "NAME"},
            {"start": text.index("619"), "end": text.index("619") + 12, "category": "PHONE"},
        ],
    }
    corpus = tmp_path / "gold.jsonl"
    corpus.write_text(json.dumps(record) + "\n", encoding="utf-8")
    report_path = tmp_path / "report.json"
    assert main(["eval", "--corpus", str(corpus), "--synthetic", "--show-leaks", "--json", str(report_path)]) == 0
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["cipher"]["entity_recall"] == 1.0
    assert report["cipher"]["token_precision"] == 1.0
    assert report["cipher"]["per_category"]["NAME"]["entities"] == 1
    assert report["cipher"]["docs_per_sec"] > 0
    assert "entity_recall=1.0000" in capsys.readouterr().out


def test_scoring_counts_leaks_and_precision() -> None:
    doc = ev.GoldDoc("d", "caller: Maria Lopez born March 3rd, 1990\n", [])
    text = doc.text
    doc.spans = [
        ev.GoldSpan(text.index("Maria"), text.index("Maria") + 11, "NAME", "Maria Lopez"),
        ev.GoldSpan(text.index("March"), text.index("1990") + 4, "DATE", "March 3rd, 1990"),
    ]
    score = ev.Score()
    # predicted: only "Maria" and "March 3rd" (the year may stay), plus a false positive on "born"
    ev.score_doc(score, doc, [(text.index("Maria"), text.index("Maria") + 5), (text.index("March"), text.index("3rd") + 3),
                              (text.index("born"), text.index("born") + 4)])
    assert score.entities_found["DATE"] == 1  # year exempt
    assert score.entities_found.get("NAME", 0) == 0
    assert score.leaks[0]["missed"] == ["Lopez"]
    assert score.token_precision == pytest.approx(3 / 4)


def test_recall_floor_on_synthetic_calls(redactor: Redactor) -> None:
    """A seed never used in development; the full 300-call figures are in the eval report, not asserted here."""
    docs = ev.load_synth(24, seed=4242) + ev.load_synth(24, seed=4243, asr_style=True)
    score = ev.run(docs, ev.cipher_predictor(redactor))
    assert score.entity_recall >= 0.97, score.summary()
    assert score.token_precision >= 0.7, score.summary()
    assert len(score.survive_masked) <= 0.05 * max(score.survive_total, 1)


@pytest.mark.skipif(not ev.PRESIDIO_DEFAULT_PATH.exists(), reason="shared presidio-research data not present")
def test_recall_floor_on_presidio_sample(redactor: Redactor) -> None:
    docs = ev.load_presidio(limit=300)
    score = ev.run(docs, ev.cipher_predictor(redactor))
    assert score.entity_recall >= 0.88, score.summary()
    assert score.token_precision >= 0.8, score.summary()
