"""A person named by the role word said right before the name (session 20, branch name20): a relation ("my husband
<name> sees ..."), a rank or a title ("first sergeant <name>.", "judge <name> gave ..."), and an adjective that is a
surname after a relation or "mr"/"mrs" ("my uncle <long> went", "mr. <long>."). Every example is invented here, with
other names, ranks and wordings than the calls that showed the class; the guards are the same words doing their word's
job in the same places."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import ner
from tests.test_deid_call_classes import _readable
from tests.test_deid_name_frames import _masked_in


# --------------------------------------------------------------------- a relation, then a name, then what one does
@pytest.mark.parametrize(
    "text,phrase,word",
    [
        ("caller: please call first. my wife robin reads my texts sometimes\n", "wife robin reads", "robin"),
        ("caller: it started when my son hunter saw his dad use\n", "son hunter saw", "hunter"),
        ("caller: my sister ivy drove me here last time\n", "sister ivy drove", "ivy"),
        ("caller: her boyfriend colt gave her the pills\n", "boyfriend colt gave", "colt"),
    ],
)
def test_a_relation_then_a_given_name_then_what_a_person_does(redactor, text, phrase, word):
    assert _masked_in(redactor, text, phrase, word)


# ------------------------------------------------------------ a relation "is" a rare-word given name, then a pause
@pytest.mark.parametrize(
    "text,phrase,word",
    [
        ("caller: could her aunt take her? her aunt's misty, she lives close\n", "aunt's misty", "misty"),
        ("caller: my stepdad's rusty. he drinks too\n", "stepdad's rusty", "rusty"),
    ],
)
def test_a_relation_is_a_rare_word_given_name(redactor, text, phrase, word):
    assert _masked_in(redactor, text, phrase, word)


@pytest.mark.parametrize(
    "text,phrase",
    [
        ("caller: my dad's will. that's the fight\n", "my dad's will"),  # an everyday word the relative owns
        ("caller: my son's sober, finally\n", "my son's sober"),
        ("caller: my mom's bill, the big one from the er\n", "my mom's bill"),
    ],
)
def test_what_a_relative_owns_or_is_stays(redactor, text, phrase):
    assert _readable(redactor, text, phrase)


# ------------------------------------------------------------------------------------------ a rank or a title
@pytest.mark.parametrize(
    "text,phrase,word",
    [
        ("caller: i have to tell my unit. my boss is staff sergeant heath. he's fair\n", "sergeant heath", "heath"),
        ("caller: the judge in his case, judge moss gave him ninety days\n", "judge moss gave", "moss"),
        ("caller: talk to detective ames. he knows the family\n", "detective ames", "ames"),
        ("caller: my platoon sergeant is gunnery sergeant lark, she signed off\n", "sergeant lark", "lark"),
    ],
)
def test_a_rank_or_a_title_then_a_surname(redactor, text, phrase, word):
    assert _masked_in(redactor, text, phrase, word)


# ----------------------------------------------------------- an adjective that is a surname, where no adjective goes
@pytest.mark.parametrize(
    "text,phrase,word",
    [
        ("caller: my grandpa best went to one of those places in the seventies\n", "grandpa best went", "best"),
        ("caller: the lawyer? mrs. little. she's downtown\n", "mrs. little", "little"),
        ("caller: yeah my cousin long has been clean two years\n", "cousin long has", "long"),
    ],
)
def test_an_adjective_surname_after_a_relation_or_an_honorific(redactor, text, phrase, word):
    assert _masked_in(redactor, text, phrase, word)


# --------------------------------------------------------------------------------------------------- the guards
@pytest.mark.parametrize(
    "text,phrase",
    [
        ("caller: a deputy will. they drive him over friday\n", "a deputy will"),  # a rank as a noun, then a modal
        ("caller: the captain may send someone\n", "the captain may"),
        ("caller: my son will be there at nine\n", "my son will be there"),  # a modal after a relation
        ("caller: my husband still sees her on weekends\n", "still sees her"),  # an adverb after a relation
        ("caller: how long has he been using\n", "how long has he"),  # the adjective surnames as words
        ("caller: my son long ago went to rehab once\n", "my son long ago went"),
        ("caller: he had the best week in a long time\n", "the best week in a long time"),
        ("caller: she called mr. little about it? no, a little while ago\n", "a little while ago"),
    ],
)
def test_the_same_words_doing_their_words_job_stay(redactor, text, phrase):
    assert _readable(redactor, text, phrase)


def test_the_role_cue_is_the_name_cue_recognizers():
    text = "caller: the judge, judge moss gave him ninety days"
    assert ("moss", "name_cue") in [(text[s.start : s.end], s.recognizer) for s in ner.context_spans(text)]


@pytest.mark.parametrize("pad", range(1, 45))
def test_a_word_the_role_window_cuts_is_no_role_word(pad):
    # read20: the role word was looked for in a 40-character slice, whose look-behind could not see the letters before
    # the slice, so a longer word it cut ("prejudge", "mistermr.") read as the role word or the honorific
    from cipher_pipeline.deid.ner import _adjective_surname, _role_named

    text = "a prejudge" + " " * pad + "marsh gave him time"
    start = text.index("marsh")
    assert not _role_named(text, start, start + 5, "marsh")
    text = "the humdr." + " " * pad + "long. then"
    start = text.index("long")
    assert not _adjective_surname(text, start, start + 4, "long")
    # the role word itself, wherever the window begins
    text = "a judge" + " " * pad + "marsh gave him time"
    start = text.index("marsh")
    assert _role_named(text, start, start + 5, "marsh") == (pad + len("judge") <= 40)  # the whole role word inside the 40 characters
