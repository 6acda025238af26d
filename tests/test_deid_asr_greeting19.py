"""Names at the greeting of a call as Whisper writes it (session 19, asrfree19, issue 8): the agent's own name when the
greeting's frame is misheard too ("admission, <frame heard as words> <x>", "admissions, <x>,"), the name each side
greets the other by right after it (the caller: "hi <agent>, my name is ...", Whisper's "i <x>, this is ..."; the
agent: "hi <caller>, what's going on?"), and the name said at thanks or goodbye ("see you thursday, <x>."). The frame is
the evidence whatever everyday word Whisper made of the name. Every input is invented for this file in the shapes
Whisper writes (no corpus sentence); each positive case fails on the code before this change, and each has guards of
the same shape that must name no one."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import Redactor, ner, slots


def _greeting(text: str) -> list[str]:
    (recognizer,) = [r for r in slots.RECOGNIZERS if r.name == "greeting_name"]
    return sorted({text[s.start : s.end] for s in recognizer.find(text)})


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor.default()


# ------------------------------------------------------------------------------ the agent's greeting, frame misheard
@pytest.mark.parametrize(
    "text, name",
    [
        ("agent: Admission, Riddle and Thimble You\ncaller: hi, i need a bed\n", "Thimble"),
        ("agent: Admissions, Lantern,\ncaller: hey, it's for my son\n", "Lantern"),
        ("agent: Emissions, Copper speaking,\ncaller: hi\n", "Copper"),
        ("agent: Admission is in Cobble.\ncaller: yes, hello\n", "Cobble"),
        ("agent: Admission, Mrs. Pumice,\ncaller: hi\n", "Pumice"),  # Whisper's "mrs." for "this is"
        ("agent: Thanks for calling admission, Pith and Kestrel, who am I speaking with?\ncaller: tom\n", "Kestrel"),
    ],
)
def test_the_agents_name_in_a_misheard_greeting(text: str, name: str) -> None:
    assert name in _greeting(text)


@pytest.mark.parametrize(
    "text",
    [
        "agent: Admissions, good morning.\ncaller: hi\n",
        "agent: Admissions, how can I help you?\ncaller: hi\n",
        "agent: Admissions, are you calling for yourself or someone else today?\ncaller: me\n",
        "agent: You've reached admissions, please leave your name and number.\n",
        "agent: Admissions, you're on a recorded line.\ncaller: ok\n",
        "agent: Admissions, one moment please.\ncaller: ok\n",
        "agent: Admissions, please hold.\ncaller: ok\n",
        "agent: Admission. Stay on the line for the next counselor.\ncaller: ok\n",
        "agent: Admissions, we've got an M.\ncaller: hi\n",
        # the department said later in the call is no greeting
        "agent: hi there\ncaller: hi\nagent: Admissions, Lantern, will call you back.\n",
    ],
)
def test_a_greeting_with_no_name_names_no_one(text: str) -> None:
    assert _greeting(text) == []


def test_the_greetings_own_words_stay_readable_beside_the_name() -> None:
    # "you've reached <x>" (the fourteenth corpus's odd half, the out-of-sample check): the frame's verb is no name
    assert _greeting("agent: Admissions, you've reached Lantern.\ncaller: hi\n") == ["Lantern"]


# ------------------------------------------------------------------------------ the two greeting each other by name
@pytest.mark.parametrize(
    "text, name",
    [
        ("agent: Admissions, this is Dana.\ncaller: I-Pepper, this is Tom from county probation.\n", "Pepper"),
        ("agent: Admissions, this is Dana.\ncaller: High Marlow, my name is Ed Vantreese.\n", "Marlow"),
        ("agent: Admissions, this is Dana.\ncaller: Hey, Tinsel, I'm calling about my son.\n", "Tinsel"),
        ("caller: hi, my name is tom.\nagent: High Lantern, what's going on?\n", "Lantern"),
        ("caller: it's about my brother.\nagent: Cobble, what's happening with your brother?\n", "Cobble"),
        ("caller: hi, i'm tom.\nagent: Okay, Pepper, what's going on?\n", "Pepper"),
    ],
)
def test_the_name_each_side_greets_the_other_by(text: str, name: str) -> None:
    assert name in _greeting(text)


@pytest.mark.parametrize(
    "text",
    [
        "agent: Admissions, this is Dana.\ncaller: Hi, yes, my name is Ed.\n",
        "agent: Admissions, this is Dana.\ncaller: I guess this is the right number?\n",
        "agent: Admissions, this is Dana.\ncaller: Hey, sorry, this is Ned once more.\n",
        "agent: Admissions, this is Dana.\ncaller: Hi there, my name is Ed.\n",
        "agent: Admissions, this is Dana.\ncaller: I really hope this is the right place.\n",
        # only the caller's first line greets the agent
        "agent: hi\ncaller: ok\nagent: go ahead\ncaller: hey thimble, my name is on the list\n",
        "caller: hi\nagent: Okay, so what's going on?\n",
        "caller: hi\nagent: Alright, what's going on with him?\n",
        "caller: hi\nagent: Understood, what's happening now?\n",
        "caller: hi\nagent: Got it, what's going on?\n",
        "caller: hi\nagent: Honestly, what's going on?\n",
        "caller: hi\nagent: Right, what's happening?\n",
    ],
)
def test_greetings_with_no_name_name_no_one(text: str) -> None:
    assert [n for n in _greeting(text) if n != "Dana"] == []


# ------------------------------------------------------------------------------ thanks and goodbye
@pytest.mark.parametrize(
    "text, name",
    [
        ("agent: okay, we'll have the bed. see you thursday, Thimble.\n", "Thimble"),
        ("agent: drive safe, Tinsel!\n", "Tinsel"),
        ("caller: that's all i have.\nagent: Thank you, Kestrel.\n", "Kestrel"),
    ],
)
def test_the_name_said_at_thanks_or_goodbye(text: str, name: str) -> None:
    assert name in _greeting(text)


@pytest.mark.parametrize(
    "text",
    [
        "agent: Thank you, sir.\n",
        "caller: thanks, man.\n",
        "agent: Thank you, insurance?\ncaller: medicaid\n",  # the next question after Whisper's comma
        "agent: thank you, honestly.\n",
        "agent: see you tomorrow, okay?\n",
        "agent: Thanks, everyone.\n",
        "agent: thank you, doctor.\n",
        "agent: Thanks, Pastor. Is she still with you?\n",  # an office said alone, as a title is
        "agent: Thank you, Kestrel will call you back.\n",  # no sentence ends after the word
    ],
)
def test_thanks_and_goodbye_with_no_name_name_no_one(text: str) -> None:
    assert _greeting(text) == []


# ------------------------------------------------------------------------------ through the engine
def test_the_engine_masks_a_misheard_greeting_and_the_callers_reply(redactor: Redactor) -> None:
    text = ("agent: Admission, Riddle and Thimble You\ncaller: I-Pepper, this is Tom Vantreese from the county.\n"
            "agent: High Lantern, what's going on?\ncaller: my client needs detox.\n")
    out = redactor.redact(text).redacted_text
    for word in ("Thimble", "Pepper", "Lantern"):
        assert word not in out
    assert "detox" in out and "county" in out


# ------------------------------------------------------------------------------ a list of names is no question
def test_a_question_words_contraction_continues_no_list_of_names() -> None:
    # "<name>, What's going on?": the coordinated-name reader took the capitalised "What's" as a second name
    text = "agent: Marcus, What's going on with Ellery?\n"
    assert ner._name_word_after(text, text.index("What's"), caseless=False, loose=True) is None
    assert ner._name_word_after("agent: Marcus, Ellery and me", 15, caseless=False, loose=True) == (15, 21)


def test_one_home_for_a_pronouns_or_question_words_contraction() -> None:
    # ner's list of names and the greeting's name read the same words (words.is_function_contraction)
    from cipher_pipeline.deid.words import is_function_contraction

    for word in ("what's", "What’s", "you've", "they'll", "we'd", "let's", "why's", "she's"):
        assert is_function_contraction(word), word
    for word in ("kyle's", "Thimble", "o'neil", "d'andre", "", "'s"):
        assert not is_function_contraction(word), word


# ------------------------------------------------------------------------------ read19: the talk of answering a line
@pytest.mark.parametrize(
    "text",
    [
        "agent: Admissions, thank you for holding.\ncaller: hi\n",
        "agent: Admissions, go ahead.\ncaller: hi\n",
        "agent: Intake, sorry, hang on.\ncaller: ok\n",
        "agent: Admissions, one sec.\ncaller: ok\n",
        "agent: Admissions, can you hear me?\ncaller: yes\n",
        "agent: Admissions, speak up please.\ncaller: sorry\n",
        "agent: Admissions, uh huh.\ncaller: hi\n",
        "agent: Admissions, this is the night line.\ncaller: hi\n",
        "agent: Admissions, after hours.\ncaller: hi\n",
        "agent: okay, thanks, mom.\n",
        "agent: thank you, grandpa. take care.\n",
        "caller: hi\nagent: Hi uncle, what's going on?\n",
        "agent: Thanks, though.\n",
        "agent: Thanks, kiddo!\n",
        "agent: Admissions, this is Dana.\ncaller: Hey girl, this is Ed.\n",
    ],
)
def test_the_talk_of_answering_a_line_names_no_one(text: str) -> None:
    assert [n for n in _greeting(text) if n not in ("Dana", "Ed")] == []
