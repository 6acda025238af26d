"""Labelled segments for planted values, each with the spoken form, the written form and ASR-style variants.

Every factory takes the seeded ``random.Random`` of the call, picks whether this mention is spoken or written,
and records the other renderings Whisper might produce (digits with thousands separators, hyphenated IDs,
lower-cased or misheard names) so the ASR-style corpus can swap them in with exact offsets.
"""

from __future__ import annotations

import random
from datetime import date

from cipher_devtools.synth import spoken
from cipher_devtools.synth.segments import Seg

# Mishearings of first names that Whisper makes on phone audio ("Derek" -> "Eric").
FIRST_NAME_MISHEARD = {
    "Derek": ["Eric", "Derrick", "Darek"], "Shawn": ["Sean", "Shaun"], "Kristen": ["Kirsten", "Christine"],
    "Caitlin": ["Katelyn", "Kaitlyn"], "Jon": ["John"], "Teresa": ["Theresa"], "Carlos": ["Carlo"],
    "Tyler": ["Tiler"], "Dustin": ["Justin"], "Cody": ["Kody"], "Marcus": ["Markus"], "Brenda": ["Brinda"],
    "Mei": ["May"], "Priya": ["Pria"], "Keisha": ["Kisha"], "Tamika": ["Tameka"], "Yolanda": ["Iolanda"],
    "Darnell": ["Darnel"], "Andre": ["Andrei", "Andrea"], "Will": ["will", "Wil"], "Hope": ["hope"],
    "Rose": ["rose", "Rows"], "Mark": ["mark", "Marc"], "Faith": ["faith"], "Grant": ["grant"], "Bill": ["bill"],
    "April": ["april"], "Summer": ["summer"], "Hunter": ["hunter"], "Dawn": ["dawn", "Don"], "Joy": ["joy"],
    "Chase": ["chase"], "Wade": ["wade", "Wayde"], "Drew": ["drew", "Drue"], "Miles": ["miles"],
}
# Surname pieces that split or respell easily ("McAllister" -> "Mc Allister", "Holloway" -> "Hallaway").
_SURNAME_RULES = [
    ("Mc", "Mc "), ("De", "De "), ("olloway", "allaway"), ("ll", "l"), ("ph", "f"), ("ck", "k"),
    ("ez", "es"), ("ski", "skey"), ("son", "sen"), ("ck", "c"), ("ie", "y"), ("th", "t"), ("ei", "ie"),
    ("ow", "au"), ("Whit", "Wit"), ("aker", "acre"), ("ng", "n"), ("gh", "g"), ("ue", "u"),
]


def misspell_surname(last: str, rng: random.Random) -> str:
    """One plausible ASR respelling of a surname, or the lower-cased name when no rule applies."""
    rules = [r for r in _SURNAME_RULES if r[0] in last]
    if not rules:
        return last.lower()
    old, new = rng.choice(rules)
    return last.replace(old, new, 1)


def name_variants(text: str, rng: random.Random) -> tuple[str, ...]:
    """ASR renderings of a name: lower case, upper case, misheard first name, respelled or split surname."""
    words = text.split()
    variants = {text.lower(), text.upper()}
    if words and words[0] in FIRST_NAME_MISHEARD:
        variants.add(" ".join([rng.choice(FIRST_NAME_MISHEARD[words[0]])] + words[1:]))
    if len(words) >= 2 or (words and words[0] not in FIRST_NAME_MISHEARD):
        respelled = misspell_surname(words[-1], rng)
        variants.add(" ".join(words[:-1] + [respelled]))
        if words[0] in FIRST_NAME_MISHEARD and len(words) >= 2:
            # both parts misheard, the "Eric Hallaway" for "Derek Holloway" case
            variants.add(" ".join([rng.choice(FIRST_NAME_MISHEARD[words[0]])] + words[1:-1] + [respelled]))
    variants.discard(text)
    return tuple(sorted(variants))


def name(text: str, rng: random.Random, category: str = "NAME") -> Seg:
    """A person's name (first, last or both)."""
    return Seg(text, category, asr=name_variants(text, rng), normalized=text.lower())


def spelled(word: str) -> Seg:
    """A surname spelled letter by letter ("H O L L O W A Y"); still the person's NAME."""
    letters = spoken.spell_letters(word)
    return Seg(letters, "NAME", asr=(letters.replace(" ", "-"), letters.replace(" ", ""), word.upper()),
               normalized=word.lower())


def phone(digits10: str, rng: random.Random, category: str = "PHONE", spoken_p: float = 0.7) -> Seg:
    """A 10-digit phone number, usually said in digit groups."""
    zero = "oh" if rng.random() < 0.35 else "zero"
    written = spoken.phone_written(digits10, rng.randrange(3))
    said = spoken.phone_spoken(digits10, zero)
    text = said if rng.random() < spoken_p else written
    asr = {spoken.phone_written(digits10, 1), spoken.phone_written(digits10, 0), digits10,
           f"{digits10[:3]} {digits10[3:6]} {digits10[6:]}", f"{digits10[:3]}-{digits10[3:6]}-{digits10[6:8]}-{digits10[8:]}",
           said.replace(",", "")}
    asr.discard(text)
    return Seg(text, category, asr=tuple(sorted(asr)), normalized=digits10, say=said)


def full_date(d: date, rng: random.Random, spoken_p: float = 0.75, with_year: bool = True) -> Seg:
    """A date (birth date, admission, overdose): "March third, nineteen eighty-seven" or "3/3/1987"."""
    said = spoken.date_spoken(d, with_year)
    if with_year and rng.random() < 0.15:
        # "oh three, twelve, eighty-seven": month, day, two-digit year, the way people read a form
        def two(n: int) -> str:
            return "oh oh" if n == 0 else f"oh {spoken.number_words(n)}" if n < 10 else spoken.number_words(n)
        said = f"{two(d.month)}, {two(d.day)}, {two(d.year % 100)}"
    text = said if rng.random() < spoken_p else spoken.date_written(d, rng.randrange(3), with_year)
    asr = {spoken.date_written(d, s, with_year) for s in range(3)} | {said.lower(), said.replace(",", "")}
    if with_year:
        asr.add(f"{d.month}-{d.day}-{d.year % 100:02d}")
    asr.discard(text)
    return Seg(text, "DATE", asr=tuple(sorted(asr)), normalized=d.isoformat() if with_year else f"--{d.month:02d}-{d.day:02d}",
               say=said)


def day_of_month(d: date, rng: random.Random) -> Seg:
    """ "the twelfth" or "Tuesday the twelfth": a date element without month or year."""
    weekday = d.strftime("%A")
    said = f"{weekday} the {spoken.ordinal_words(d.day)}" if rng.random() < 0.5 else f"the {spoken.ordinal_words(d.day)}"
    asr = (said.replace(spoken.ordinal_words(d.day), spoken.ordinal_suffix(d.day)), said.lower())
    return Seg(said, "DATE", asr=asr, normalized=f"---{d.day:02d}")


def email(local: str, domain: str, rng: random.Random, spoken_p: float = 0.75) -> Seg:
    """An email address, usually spelled out as "maria dot lopez at gmail dot com"."""
    written = f"{local}@{domain}"
    said = spoken.email_spoken(local, domain)
    if rng.random() < 0.15:
        # spelled out letter by letter for the part an agent could mishear: "M A R I A dot L O P E Z at gmail dot com"
        said = spoken.email_spoken(local, domain, spell_local=True)
    text = said if rng.random() < spoken_p else written
    asr = {written, f"{local} at {domain}", f"{local.replace('.', ' ')} at {domain}",
           f"{local.replace('.', 'dot')}@{domain}", said}
    asr.discard(text)
    return Seg(text, "EMAIL", asr=tuple(sorted(asr)), normalized=written.lower(), say=said)


def _grouped_digits(digits: str, sep: str = ",") -> str:
    """ "448172093" -> "448,172,093" the way an ASR writes a long spoken number."""
    n = len(digits)
    head = n % 3 or 3
    groups = [digits[:head]] + [digits[i:i + 3] for i in range(head, n, 3)]
    return sep.join(groups)


def code(value: str, category: str, rng: random.Random, spoken_p: float = 0.65) -> Seg:
    """An alphanumeric identifier (member ID, MRN, case number, plate), read in groups or written."""
    said = spoken.alnum_spoken(value)
    text = said if rng.random() < spoken_p else value
    runs = spoken.code_runs(value)
    # how an ASR writes it: long digit runs get thousands separators or hyphens, runs split by "-" or " "
    grouped = [_grouped_digits(r) if r.isdigit() and len(r) > 3 else r for r in runs]
    hyphened = [_grouped_digits(r, "-") if r.isdigit() and len(r) > 3 else r for r in runs]
    asr = {value, said.replace(",", ""), "-".join(grouped), " ".join(hyphened), " ".join(runs),
           " ".join(" ".join(r.lower()) if r.isalpha() else r for r in runs)}
    asr.discard(text)
    return Seg(text, category, asr=tuple(sorted(asr)), normalized=value.upper(), say=said)


def digits(value: str, category: str, rng: random.Random, spoken_p: float = 0.7) -> Seg:
    """A short all-digit identifier (SSN last four, ZIP) read digit by digit or written."""
    zero = "oh" if rng.random() < 0.4 else "zero"
    said = spoken.digits_words(value, zero)
    text = said if rng.random() < spoken_p else value
    asr = {value, _grouped_digits(value), f"{value[:2]}-{value[2:]}", said}
    asr.discard(text)
    return Seg(text, category, asr=tuple(sorted(asr)), normalized=value, say=said)


def street_address(number: int, street: str, street_type: str, abbrev: str, rng: random.Random) -> Seg:
    """ "418 Maple Street" or "four eighteen Maple Street"."""
    written = f"{number} {street} {street_type}"
    if number >= 100 and number % 100 >= 10 and rng.random() < 0.5:
        hundreds, rest = divmod(number, 100)
        said = f"{spoken.number_words(hundreds)} {spoken.number_words(rest)} {street} {street_type}"
    elif rng.random() < 0.3:
        said = f"{spoken.digits_words(str(number), 'oh')} {street} {street_type}"
    else:
        said = written
    asr = {written, f"{number} {street} {abbrev}", f"{number} {street.lower()} {street_type.lower()}",
           f"{_grouped_digits(str(number))} {street} {street_type}"}
    asr.discard(said)
    return Seg(said, "LOCATION", asr=tuple(sorted(asr)), normalized=written.lower())


def place(text: str, category: str = "LOCATION") -> Seg:
    """A city or county (or a provider/employer name passed with its category)."""
    asr = {text.lower()}
    asr.discard(text)
    return Seg(text, category, asr=tuple(sorted(asr)), normalized=text.lower())


def tagged(text: str, category: str, canonical: str, asr: list[str] | tuple[str, ...] = ()) -> Seg:
    """An insurer or competitor mention with its lexicon tag."""
    variants = set(asr) | {text.lower()}
    variants.discard(text)
    return Seg(text, category, asr=tuple(sorted(variants)), normalized=text.lower(), canonical=canonical)


def keep(text: str, kind: str, asr: list[str] | tuple[str, ...] = ()) -> Seg:
    """A phrase that must survive de-identification (drug, program, duration, money, state, year, age <= 89)."""
    variants = set(asr) | ({text.lower()} if text.lower() != text else set())
    variants.discard(text)
    return Seg(text, keep=kind, asr=tuple(sorted(variants)))


def money(amount: int, rng: random.Random) -> Seg:
    """A price, "$4,500" or "four thousand five hundred dollars"; must survive (Tier 3 reports price talk)."""
    if amount % 1000 == 0 or rng.random() < 0.4:
        text = spoken.money_spoken(amount)
        if amount % 100 == 0 and amount % 1000 and 1000 < amount < 10000 and rng.random() < 0.6:
            text = f"{spoken.number_words(amount // 100)} hundred dollars"  # "fifteen hundred dollars"
    else:
        text = spoken.money_written(amount)
    asr = {spoken.money_written(amount), f"{amount} dollars", spoken.money_spoken(amount)}
    if amount % 100 == 0 and amount % 1000 and amount > 1000:
        # "forty-five hundred dollars"
        asr.add(f"{spoken.number_words(amount // 100)} hundred dollars")
    asr.discard(text)
    return Seg(text, keep="money", asr=tuple(sorted(asr)))


def age(years: int, rng: random.Random) -> Seg:
    """An age: over 89 it is a Safe Harbor identifier (AGE); otherwise it must survive."""
    text = spoken.number_words(years) if rng.random() < 0.7 else str(years)
    asr = {str(years), spoken.number_words(years)} - {text}
    if years > 89:
        return Seg(text, "AGE", asr=tuple(sorted(asr)), normalized=str(years))
    return Seg(text, keep="age", asr=tuple(sorted(asr)))


def year(y: int, rng: random.Random) -> Seg:
    """A year on its own ("back in twenty nineteen"): Safe Harbor lets years stay."""
    text = spoken.year_words(y) if rng.random() < 0.5 else str(y)
    asr = {str(y), spoken.year_words(y)} - {text}
    return Seg(text, keep="year", asr=tuple(sorted(asr)))
