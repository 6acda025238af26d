"""Names at the greeting of a call as Whisper writes it (session 19, asrfree19, issue 8): the agent's own name when the
greeting's frame is misheard too ("admission, <frame heard as words> <x>", "admissions, <x>,"), the name each side
greets the other by right after it (the caller: "hi <agent>, my name is ...", Whisper's "i <x>, this is ..."; the
agent: "hi <caller>, what's going on?"), and the name said at thanks or goodbye ("see you thursday, <x>."). The frame is
the evidence whatever everyday word Whisper made of the name. Every input is invented for this file in the shapes
Whisper writes (no corpus sentence); each positive case fails on the code before this change, and each has guards of
the same shape that must name no one."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import ner


# ------------------------------------------------------------------------------ a list of names is no question
def test_a_question_words_contraction_continues_no_list_of_names() -> None:
    # "<name>, What's going on?": the coordinated-name reader took the capitalised "What's" as a second name
    text = "agent: Marcus, What's going on with Paris?\n"
    assert ner._name_word_after(text, text.index("What's"), caseless=False, loose=True) is None
    assert ner._name_word_after("agent: Marcus, Paris and me", 15, caseless=False, loose=True) == (15, 20)
