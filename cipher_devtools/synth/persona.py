"""Who is on a synthetic call: the caller, the patient, their household and their paperwork, all fictional.

A persona is drawn from the call's seeded ``random.Random`` so a seed always gives the same people. Ages,
birth dates and relations are kept consistent (a mother is 20-35 years older than her son; the birth date
matches the stated age on the call day).
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import date, timedelta

from cipher_devtools.synth import vocab

# role -> weight; "self" is the patient calling for themselves
ROLE_WEIGHTS = {"self": 34, "mother": 18, "father": 7, "wife": 10, "husband": 5, "son": 4, "daughter": 6,
                "sister": 5, "brother": 4, "friend": 7}


@dataclass
class Person:
    first: str
    last: str
    sex: str  # "f" | "m"
    age: int
    dob: date
    phone: str  # 10 digits, 555 exchange
    email_local: str
    email_domain: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def he(self) -> str:
        return "she" if self.sex == "f" else "he"

    @property
    def him(self) -> str:
        return "her" if self.sex == "f" else "him"

    @property
    def his(self) -> str:
        return "her" if self.sex == "f" else "his"


@dataclass
class Home:
    number: int
    street: str
    street_type: str
    city: str
    county: str
    state: str
    state_abbr: str
    zip: str


@dataclass
class Persona:
    role: str
    caller: Person
    patient: Person
    home: Home
    agent_first: str
    substance: str  # canonical key of vocab.SUBSTANCES
    substance_word: str
    second_substance: str | None
    insurer: str | None  # canonical key of vocab.INSURERS, None = uninsured / private pay
    insurer_word: str
    subscriber: Person
    member_id: str
    group_number: str
    ssn4: str
    prior_competitor: str | None
    prior_harborview: bool
    prior_year: int
    mrn: str
    doctor: tuple[str, str]  # (first, last) of the referring doctor
    clinic: str
    clinic_fax: str
    employer: str
    employer_job: tuple[str, str]  # (first person, third person): ("work at", "works at")
    grandparent_age: int | None
    grandparent_first: str
    case_number: str
    license_number: str
    plate: str
    device_serial: str
    booking_number: str
    fundraiser_slug: str
    relative_first: str  # another household member named in passing
    doctor_staff: str  # the center's medical director, by surname

    @property
    def is_self(self) -> bool:
        return self.role == "self"

    @property
    def relation(self) -> str:
        """How the caller refers to the patient: "my son", "my wife", "my friend"."""
        p = self.patient
        return {
            "self": "myself",
            "mother": "my son" if p.sex == "m" else "my daughter",
            "father": "my son" if p.sex == "m" else "my daughter",
            "wife": "my husband",
            "husband": "my wife",
            "son": "my dad" if p.sex == "m" else "my mom",
            "daughter": "my dad" if p.sex == "m" else "my mom",
            "sister": "my brother" if p.sex == "m" else "my sister",
            "brother": "my brother" if p.sex == "m" else "my sister",
            "friend": "my friend" if self.patient.age < 40 else "my roommate",
        }[self.role]


def _dob_for_age(age: int, today: date, rng: random.Random) -> date:
    """A birth date that makes the person exactly ``age`` on ``today``."""
    latest = date(today.year - age, today.month, min(today.day, 28))
    return latest - timedelta(days=rng.randrange(0, 364))


def _phone(area_codes: list[str], rng: random.Random) -> str:
    # 555-01xx is the range reserved for fiction; the rest of 555 is fine for synthetic data too
    return rng.choice(area_codes) + "555" + f"{rng.randrange(0, 10000):04d}"


def _email_local(first: str, last: str, birth_year: int, rng: random.Random) -> str:
    style = rng.randrange(6)
    f, l = first.lower(), last.lower()
    return [f"{f}.{l}", f"{f}{l}{birth_year % 100:02d}", f"{f[0]}{l}", f"{f}_{l}{rng.randrange(1, 99)}",
            f"{l}.{f}", f"{f}{rng.randrange(100, 999)}"][style]


def _person(sex: str, age: int, last: str | None, today: date, area_codes: list[str], rng: random.Random) -> Person:
    if rng.random() < 0.2:
        # names that are also words ("Will", "Hope", "Mark") are the hard case: plant them often
        first = rng.choice(vocab.WORD_NAMES_FEMALE if sex == "f" else vocab.WORD_NAMES_MALE)
    else:
        first = rng.choice(vocab.FIRST_NAMES_FEMALE if sex == "f" else vocab.FIRST_NAMES_MALE)
    last = last or rng.choice(vocab.LAST_NAMES)
    dob = _dob_for_age(age, today, rng)
    return Person(first, last, sex, age, dob, _phone(area_codes, rng),
                  _email_local(first, last, dob.year, rng), rng.choice(vocab.EMAIL_DOMAINS))


def _code(rng: random.Random, letters: int, digits: int) -> str:
    return "".join(rng.choice(string.ascii_uppercase) for _ in range(letters)) + "".join(
        rng.choice(string.digits) for _ in range(digits))


def make_persona(today: date, rng: random.Random) -> Persona:
    """Draw a consistent cast for one call."""
    role = rng.choices(list(ROLE_WEIGHTS), weights=list(ROLE_WEIGHTS.values()))[0]
    city = rng.choice(vocab.CITIES)
    # most callers are local to the center; a few ring from out of state
    if rng.random() < 0.7:
        city = rng.choice([c for c in vocab.CITIES if c[3] == "CA"])
    name, county, state, abbr, area_codes, zip_prefixes = city
    patient_sex = rng.choice("fm")
    if role in ("mother", "father"):
        patient_age = rng.randint(18, 38)
        caller_age = patient_age + rng.randint(20, 34)
    elif role in ("son", "daughter"):
        patient_age = rng.randint(45, 72)
        caller_age = patient_age - rng.randint(20, 32)
    else:
        patient_age = rng.randint(19, 64)
        caller_age = max(18, patient_age + rng.randint(-6, 6))
    if role == "wife":
        patient_sex = "m"
    elif role == "husband":
        patient_sex = "f"
    family_last = rng.choice(vocab.LAST_NAMES)
    patient = _person(patient_sex, patient_age, family_last, today, area_codes, rng)
    if role == "self":
        caller = patient
    else:
        caller_sex = {"mother": "f", "father": "m", "wife": "f", "husband": "m", "son": "m", "daughter": "f",
                      "sister": "f", "brother": "m"}.get(role, rng.choice("fm"))
        same_family = role != "friend" and not (role in ("daughter", "sister") and rng.random() < 0.3)
        caller = _person(caller_sex, caller_age, family_last if same_family else None, today, area_codes, rng)
    substance = rng.choices(list(vocab.SUBSTANCES), weights=[30, 15, 22, 6, 9, 12, 6])[0]
    second = rng.choice([s for s in vocab.SUBSTANCES if s != substance]) if rng.random() < 0.3 else None
    insurer = rng.choices(list(vocab.INSURERS) + [None], weights=[12, 11, 16, 12, 5, 6, 10, 4, 9])[0]
    insurer_word = rng.choice(vocab.INSURERS[insurer]) if insurer else ""
    if insurer == "medicaid":
        insurer_word = "Medi-Cal" if abbr == "CA" and rng.random() < 0.7 else "Medicaid"
    subscriber = caller if role in ("mother", "father", "wife", "husband") and rng.random() < 0.7 else patient
    prior_roll = rng.random()
    doctor_sex = rng.choice("fm")
    grandparent_age = rng.randint(90, 101) if rng.random() < 0.15 else None
    zip_code = rng.choice(zip_prefixes) + f"{rng.randrange(1, 99):02d}"
    home = Home(rng.randint(12, 9899), rng.choice(vocab.STREET_NAMES), rng.choice(vocab.STREET_TYPES),
                name, county, state, abbr, zip_code)
    return Persona(
        role=role, caller=caller, patient=patient, home=home,
        agent_first=rng.choice(vocab.STAFF_FIRST_NAMES),
        substance=substance, substance_word=rng.choice(vocab.SUBSTANCES[substance]), second_substance=second,
        insurer=insurer, insurer_word=insurer_word, subscriber=subscriber,
        member_id=_code(rng, 3, 9), group_number=rng.choice([_code(rng, 0, 7), _code(rng, 1, 6), _code(rng, 0, 6)]),
        ssn4=f"{rng.randrange(0, 10000):04d}",
        prior_competitor=rng.choice(list(vocab.COMPETITORS)) if prior_roll < 0.35 else None,
        prior_harborview=0.35 <= prior_roll < 0.55,
        prior_year=today.year - rng.randint(1, 7),
        mrn="HRC" + _code(rng, 0, 7) if rng.random() < 0.6 else _code(rng, 0, 8),
        doctor=(rng.choice(vocab.FIRST_NAMES_FEMALE if doctor_sex == "f" else vocab.FIRST_NAMES_MALE),
                rng.choice(vocab.LAST_NAMES)),
        clinic=rng.choice(vocab.CLINICS), clinic_fax=_phone(area_codes, rng),
        employer=rng.choice(vocab.EMPLOYERS), employer_job=rng.choice(vocab.EMPLOYER_JOBS),
        grandparent_age=grandparent_age, grandparent_first=rng.choice(vocab.FIRST_NAMES_FEMALE),
        case_number=rng.choice(["CR", "DC", "M"]) + str(today.year - rng.randint(0, 1)) + _code(rng, 0, 6),
        license_number=_code(rng, 1, 7),
        plate=str(rng.randint(4, 9)) + _code(rng, 3, 3),
        device_serial=_code(rng, 2, 8),
        booking_number=_code(rng, 0, 8),
        fundraiser_slug=f"help-{patient.first.lower()}-{rng.choice(['heal', 'get-sober', 'recover', 'come-home'])}",
        relative_first=rng.choice(vocab.FIRST_NAMES_FEMALE + vocab.FIRST_NAMES_MALE),
        doctor_staff=rng.choice(["Okafor", "Lindqvist", "Castellanos", "Haddad", "Abernathy", "Brennan"]),
    )
