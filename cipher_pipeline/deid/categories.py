"""The identifier categories Cipher redacts, mapped to HIPAA Safe Harbor (45 CFR 164.514(b)(2)(i)).

One obvious home for the vocabulary every layer, check and report shares. A category's name is also its
placeholder: ``NAME`` becomes ``[NAME]`` in redacted text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    """How a category is gated: direct identifiers must be absent; quasi ones are held to a rate."""

    DIRECT = "direct"
    QUASI = "quasi"
    VERTICAL = "vertical"  # not a Safe Harbor identifier of the caller, tagged so Tier 3 can count it


@dataclass(frozen=True)
class Category:
    name: str
    safe_harbor: str  # the letter of 164.514(b)(2)(i) it falls under, "" for vertical tags
    kind: Kind
    description: str


CATEGORIES: dict[str, Category] = {
    c.name: c
    for c in [
        Category("NAME", "A", Kind.QUASI, "names of callers, patients, relatives, staff, providers"),
        Category("LOCATION", "B", Kind.QUASI, "street address, city, county, precinct, smaller than a state"),
        Category("ZIP", "B", Kind.DIRECT, "ZIP code (all five digits; Safe Harbor allows 3 only in large areas)"),
        Category("DATE", "C", Kind.QUASI, "every date element but the year: day, month, weekday-anchored dates"),
        Category("AGE", "C", Kind.DIRECT, "ages over 89"),
        Category("PHONE", "D", Kind.DIRECT, "telephone numbers, written or spoken"),
        Category("FAX", "E", Kind.DIRECT, "fax numbers"),
        Category("EMAIL", "F", Kind.DIRECT, "email addresses, written or spoken"),
        Category("SSN", "G", Kind.DIRECT, "social security numbers, full or last four"),
        Category("MRN", "H", Kind.DIRECT, "medical record numbers"),
        Category("HEALTH_PLAN", "I", Kind.DIRECT, "health plan member, subscriber and group numbers"),
        Category("ACCOUNT", "J", Kind.DIRECT, "account, claim and case numbers"),
        Category("LICENSE", "K", Kind.DIRECT, "certificate and licence numbers"),
        Category("VEHICLE", "L", Kind.DIRECT, "vehicle identifiers: plates, VINs"),
        Category("DEVICE", "M", Kind.DIRECT, "device identifiers and serial numbers"),
        Category("URL", "N", Kind.DIRECT, "web addresses"),
        Category("IP", "O", Kind.DIRECT, "IP addresses"),
        Category("BIOMETRIC", "P", Kind.DIRECT, "biometric identifiers (voice prints stay in Tier 1 audio)"),
        Category("PHOTO", "Q", Kind.DIRECT, "full-face photographs (none in call audio; listed for completeness)"),
        Category("OTHER_ID", "R", Kind.DIRECT, "any other unique identifying number, characteristic or code"),
        Category("COMPETITOR", "", Kind.VERTICAL, "another treatment center, canonical tag when known"),
        Category("INSURER", "", Kind.VERTICAL, "an insurance carrier, canonical tag when known"),
        Category("PROVIDER", "", Kind.QUASI, "a referring provider, clinic or hospital (can single a person out)"),
    ]
}

DIRECT_CATEGORIES = frozenset(n for n, c in CATEGORIES.items() if c.kind is Kind.DIRECT)
QUASI_CATEGORIES = frozenset(n for n, c in CATEGORIES.items() if c.kind is Kind.QUASI)


def placeholder(category: str, canonical: str | None = None) -> str:
    """``[NAME]``, or ``[COMPETITOR:seaside_recovery]`` when a lexicon knows the canonical entity."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown identifier category {category!r}")
    return f"[{category}:{canonical}]" if canonical else f"[{category}]"
