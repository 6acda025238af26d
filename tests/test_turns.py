"""The one reader of speaker turns (``cipher_pipeline/deid/turns.py``): labels, offsets that map back, line ends."""

from cipher_pipeline.deid import turns
from cipher_pipeline.deid.turns import Turn, label_at, read_turns, speaker_at, strip_labels


def said(text: str, turn: Turn) -> str:
    return text[turn.start : turn.end]


def test_declared_labels_and_their_sides():
    text = "Agent: hi\nCALLER: hello\nRep: one\nOperator: two\npatient: three\nInterpreter: four\nunknown: five\n"
    found = list(read_turns(text))
    assert [t.speaker for t in found] == ["agent", "caller", "rep", "operator", "patient", "interpreter", "unknown"]
    assert [said(text, t) for t in found] == ["hi", "hello", "one", "two", "three", "four", "five"]
    assert [t.side for t in found] == ["agent", "caller", "agent", "agent", "caller", None, None]


def test_numbered_speakers_with_a_space_an_underscore_or_nothing():
    text = "Speaker 2: yes\nspeaker_2: no\nSPEAKER10: maybe\nSpeaker: who\n"
    assert [(t.speaker, said(text, t)) for t in read_turns(text)] == [
        ("speaker 2", "yes"), ("speaker_2", "no"), ("speaker10", "maybe"), ("speaker", "who"),
    ]


def test_offsets_map_back_exactly_with_spaces_around_the_colon():
    text = "  agent :   what is the zip\n\tcaller:\t 9 4 1 0 7\n"
    first, second = read_turns(text)
    assert said(text, first) == "what is the zip" and first.line_start == 0
    assert said(text, second) == "9 4 1 0 7" and text[second.line_start] == "\t"
    assert second.end == len(text) - 1  # before the newline


def test_an_empty_turn_is_a_turn_with_nothing_said():
    text = "caller:\nagent:   \ncaller: ok"
    found = list(read_turns(text))
    assert [t.speaker for t in found] == ["caller", "agent", "caller"]
    assert [said(text, t) for t in found] == ["", "", "ok"]


def test_text_without_labels_has_no_turns_unless_asked_for_lines():
    text = "The patient was seen today.\nFollow up in two weeks."
    assert list(read_turns(text)) == []
    lines = list(read_turns(text, unlabelled=True))
    assert [t.speaker for t in lines] == [None, None]
    assert [said(text, t) for t in lines] == text.split("\n")
    assert strip_labels(text) == text


def test_crlf_line_ends_stay_out_of_the_turn():
    text = "agent: date of birth?\r\ncaller: march 3rd\r\n"
    found = list(read_turns(text))
    assert [said(text, t) for t in found] == ["date of birth?", "march 3rd"]
    assert all(text[t.end] == "\r" for t in found)
    assert found[1].line_start == text.index("caller")


def test_a_colon_inside_what_is_said_is_no_label():
    text = "caller: at 5:30 works\nagent: note: we close at 6:00\n"
    found = list(read_turns(text))
    assert [said(text, t) for t in found] == ["at 5:30 works", "note: we close at 6:00"]
    # a line that opens on a time or a word the grammar does not declare carries no label
    assert label_at("5:30 works for me") is None and speaker_at("note: call back") is None


def test_words_that_merely_start_like_a_label_are_not_labels():
    for line in ("reporter: hi", "agents: hi", "caller said: hello", "Maria: hi", "speakerphone: on"):
        assert label_at(line) is None, line


def test_the_loose_variant_reads_any_short_label_but_not_a_sentence():
    text = "Nurse: she is here\nDr Lee 2: go on\ncaller: yes\nthis line is far too long to be a label: no\n"
    assert [t.speaker for t in read_turns(text, loose=True)] == ["nurse", "dr lee 2", "caller"]
    assert [t.speaker for t in read_turns(text)] == ["caller"]
    assert strip_labels("Nurse: she is here", loose=True) == "she is here"


def test_label_at_reads_a_line_in_the_middle_of_the_text():
    text = "agent: hi\ncaller: hello"
    start = text.index("caller")
    assert label_at(text, start).group(1) == "caller"
    assert label_at(text, start, start + 3) is None  # stops where told
    assert speaker_at(text, start) == "caller"


def test_the_label_pattern_embeds_the_same_set():
    for label in (*turns.LABELS, "speaker 3", "speaker_3"):
        assert turns.LABEL.match(f"{label}: x"), label


# Every reader in the engine now agrees on what a turn is. Before turns.py, an interpreter's line was a turn to the
# chart test (register) but prose to the CRF (learned), to the protected labels (spans) and to the question / answer
# pairs (slots), where it ran on as the agent's own turn.
RELAYED = "operator: what is his date of birth?\ninterpreter: he says march third 1990\nagent: thank you\n"


def test_an_interpreter_line_is_a_turn_to_every_reader():
    from cipher_pipeline.deid import learned, slots, spans

    interpreter = RELAYED.index("interpreter")
    assert learned.is_call_transcript("interpreter: he says march third")
    assert (interpreter, interpreter + len("interpreter: ")) in spans.protected_regions(RELAYED)
    # the operator's question is answered by the interpreter's line, read after its label
    pairs = slots._question_answer_pairs(RELAYED)
    assert [RELAYED[a:b] for _, a, b in pairs] == ["he says march third 1990"]
    assert RELAYED[: pairs[0][0]].endswith("date of birth?")


def test_an_unknown_word_before_a_colon_is_still_prose_to_every_reader():
    from cipher_pipeline.deid import learned, spans

    text = "maria: he says march third 1990\n"
    assert not learned.is_call_transcript(text)
    assert spans.protected_regions(text) == [(len(text) - 1, len(text))]  # the newline only
