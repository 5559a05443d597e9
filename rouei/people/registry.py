"""One person's record as the registry holds it, its look-up keys and its reference number.

No Django here beyond the blind-index function: the record is plain data, sealed by the model.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass, field, fields
from functools import lru_cache
from operator import mul

from rouei.core.crypto import blind_index, blind_indexes
from rouei.domain import items as catalogue
from rouei.scanning import identity
from rouei.scanning.masking import mask

# What a registry keeps to reach and recognise a person. Everything else that leaked (card and
# My Numbers, health details, passwords…) is recorded as an item id and never stored.
STORED_ITEMS = frozenset({"person_name", "name_kana", "postal_code", "address", "email",
                          "phone", "birth_date"})

# Reference numbers (受付番号): 12 characters in three groups from an alphabet without the
# characters people misread on paper or over the phone (0/O/D, 1/I/L, 2/Z, 5/S, 8/B), the last
# a check character. 11 random characters of 23 give 2^49.8 numbers: guessing one that exists
# in a 10-million-person registry takes ~10^8 tries (and the claim form needs the birth date too).
REF_ALPHABET = "ACEFGHJKMNPQRTUVWXY3467"
REF_RANDOM_CHARS = 11
_REF_VALUE = {c: i for i, c in enumerate(REF_ALPHABET)}
REF_RANGE = len(REF_ALPHABET) ** REF_RANDOM_CHARS
_CANONICAL_REF = re.compile(f"[{REF_ALPHABET}]{{4}}-[{REF_ALPHABET}]{{4}}-[{REF_ALPHABET}]{{4}}")


def item_labels(item_ids, lang: str = "ja") -> list[str]:
    """A person's items as a reader sees them: labels in the catalogue's order (name and
    contact data first), the one order of every screen, notice and print file."""
    order = {item.id: n for n, item in enumerate(catalogue.CATALOGUE)}
    labels = {item.id: item.label(lang) for item in catalogue.CATALOGUE}
    return [labels.get(i, i) for i in sorted(item_ids, key=lambda i: (order.get(i, 10**6), i))]


def new_reference() -> str:
    # One draw from the system's CSPRNG for the whole number, written in base 23 three
    # characters at a time (an import draws one per row: a table, not eleven divisions).
    number = secrets.randbelow(REF_RANGE)
    number, low = divmod(number, REF_TRIPLE)
    number, middle = divmod(number, REF_TRIPLE)
    top, high = divmod(number, REF_TRIPLE)
    chars_0, weight_0 = REF_TRIPLES[0][low]
    chars_1, weight_1 = REF_TRIPLES[1][middle]
    chars_2, weight_2 = REF_TRIPLES[2][high]
    chars_3, weight_3 = REF_PAIRS[top]
    check = REF_ALPHABET[(weight_0 + weight_1 + weight_2 + weight_3) % len(REF_ALPHABET)]
    return f"{chars_0}{chars_1[0]}-{chars_1[1:]}{chars_2[:2]}-{chars_2[2]}{chars_3}{check}"


def _check_char(body: str) -> str:
    # Weighted sum mod the alphabet size: catches any single wrong character and any swap of
    # two neighbours (weights 1..n, coprime with 23).
    total = sum(map(mul, _REF_WEIGHTS, map(_REF_VALUE.__getitem__, body)))
    return REF_ALPHABET[total % len(REF_ALPHABET)]


# The number's characters, least significant first (as ``divmod`` gives them), with their
# weights in the check character: each group of three (and the last two) looked up at once.
_REF_WEIGHTS = tuple(range(1, REF_RANDOM_CHARS + 1))
REF_TRIPLE = len(REF_ALPHABET) ** 3


def _groups(first: int, width: int) -> tuple[tuple[str, int], ...]:
    base = len(REF_ALPHABET)
    groups = []
    for value in range(base ** width):
        digits = [(value // base ** i) % base for i in range(width)]
        groups.append(("".join(REF_ALPHABET[d] for d in digits),
                       sum((first + i + 1) * d for i, d in enumerate(digits))))
    return tuple(groups)


REF_TRIPLES = (_groups(0, 3), _groups(3, 3), _groups(6, 3))
REF_PAIRS = _groups(9, 2)


def normalise_reference(value: str | None) -> str | None:
    """XXXX-XXXX-XXXX in capitals, whatever width, case, spaces or dashes it was typed with;
    None when it is not a well-formed number (wrong length, alphabet or check character)."""
    if not value:
        return None
    if _CANONICAL_REF.fullmatch(value):  # as drawn and stored: only the check is left
        body = value.replace("-", "")
        return value if _check_char(body[:-1]) == body[-1] else None
    text = unicodedata.normalize("NFKC", value).upper()
    body = "".join(c for c in text if c.isascii() and c.isalnum())
    if len(body) != REF_RANDOM_CHARS + 1 or any(c not in REF_ALPHABET for c in body):
        return None
    if _check_char(body[:-1]) != body[-1]:
        return None
    return f"{body[:4]}-{body[4:8]}-{body[8:]}"


@dataclass(frozen=True)
class PersonRecord:
    ref: str
    name: str = ""
    kana: str = ""
    postal_code: str = ""
    address: str = ""
    email: str = ""
    phones: tuple[str, ...] = ()
    birth_date: str = ""  # ISO 8601 when known
    former_names: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> str:
        # Not dataclasses.asdict: it deep-copies every value, a third of an import's time.
        data = {name: getattr(self, name) for name in RECORD_FIELDS}
        return _RECORD_JSON(data)

    @classmethod
    def from_json(cls, text: str) -> PersonRecord:
        data = json.loads(text)
        data["phones"] = tuple(data.get("phones", ()))
        data["former_names"] = tuple(data.get("former_names", ()))
        return cls(**data)

    @staticmethod
    def letter_fields(text: str) -> tuple[str, str, str, str]:
        """(ref, postal code, address, name) of a record's JSON, without a ``PersonRecord``:
        what the print data reads of each of a million records."""
        data = json.loads(text)
        return (data["ref"], data.get("postal_code", ""), data.get("address", ""),
                data.get("name", ""))

    def merged_with(self, other: PersonRecord) -> PersonRecord:
        """This record completed by ``other`` (a re-import of the same person): a value this one
        lacks is taken; a different name becomes a former name; phones are united. The
        reference number never changes (it may already be printed on a letter)."""
        phones = tuple(dict.fromkeys((*self.phones, *other.phones)))
        former = list(self.former_names)
        if other.name and self.name and identity.name(other.name) != identity.name(self.name):
            former.append(other.name)
        former.extend(n for n in other.former_names if n not in former)
        return PersonRecord(
            ref=self.ref, name=self.name or other.name, kana=self.kana or other.kana,
            postal_code=self.postal_code or other.postal_code,
            address=self.address or other.address, email=self.email or other.email,
            phones=phones, birth_date=self.birth_date or other.birth_date,
            former_names=tuple(dict.fromkeys(former)))

    def masked(self) -> dict[str, object]:
        """What a screen shows by default: enough to recognise, never all of it."""
        return {
            "name": mask("person_name", self.name) if self.name else "",
            "postal_code": mask("postal_code", self.postal_code) if self.postal_code else "",
            "address": mask("address", self.address) if self.address else "",
            "email": mask("email", self.email) if self.email else "",
            "phones": [mask("phone", p) for p in self.phones],
        }


RECORD_FIELDS = tuple(f.name for f in fields(PersonRecord))
# One encoder, made once: json.dumps with options builds a new one for every record.
_RECORD_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


# The version of the look-up key rules: ``lookup_values`` and the identity normalisers it calls
# (``rouei.scanning.identity``: names, readings, phones, e-mail, birth dates, addresses). A
# registry's keys are found only by a query normalised the same way, so a registry records the
# version its keys were built with and is shown stale until ``rouei people reindex``. Bump it
# with any change of those rules (tests/people/test_key_rules_version.py pins sample keys to
# it). 1: every registry built before versions were recorded; 2: Kyoto's 通り名 (session 11);
# 3: the place without the room also where more numbers come before the building (四条通5-9-7
# コーポ山田201: the 201 is the room; session 14).
LOOKUP_RULES_VERSION = 3
FIRST_LOOKUP_RULES_VERSION = 1
# The address normaliser every registry was built with before it was recorded (migration
# 0014): the default of ``ROUEI_ADDRESS_NORMALISER``.
FIRST_ADDRESS_NORMALISER = "rules"


def current_address_normaliser() -> str:
    """The address normaliser this process builds address keys with: ``ROUEI_ADDRESS_NORMALISER``
    as ``identity.address`` reads it ("library" without the library installed, or an unknown
    value, is the rules). The keys of one choice are not found by the queries of another, so a
    registry records it with ``LOOKUP_RULES_VERSION``."""
    choice = os.environ.get(identity.ADDRESS_NORMALISER_ENV, FIRST_ADDRESS_NORMALISER)
    if choice == "off":
        return "off"
    if choice == "library" and identity.address_library_available():
        return "library"
    return "rules"


# Keys a re-import merges on: each belongs to one person. A phone number or an address alone
# is a household, not a person (a family shares the landline), so neither merges on its own;
# a name with the address does (the same name twice at one address is one person: the
# scanner's people keys count it so too).
# (A new import's reference numbers are drawn fresh, so "ref" never merges two rows.)
MERGE_KINDS = ("name_birth", "name_phone", "name_email", "name_address")


# An import indexes every row: names, readings and birth dates repeat across a registry (the
# same given names, the same days), so each distinct value is normalised once per process.
name_key = lru_cache(maxsize=1 << 16)(identity.name)
kana_key = lru_cache(maxsize=1 << 16)(identity.kana)
_birth_date = lru_cache(maxsize=1 << 15)(identity.birth_date)
# A record's phones and e-mail are normally already in canonical form (the import wrote them
# so): checking that is cheaper than normalising them again (the result is the same).
_CANONICAL_PHONE = re.compile(r"0[0-9]{9,10}")
_CANONICAL_EMAIL = re.compile(r"[^@\sA-Z]+@[^@\sA-Z]+\.[^@\sA-Z]+")


def _phone(value: str) -> str | None:
    return value if _CANONICAL_PHONE.fullmatch(value) else identity.phone(value)


def email_key(value: str) -> str | None:
    if value and value.isascii() and _CANONICAL_EMAIL.fullmatch(value):
        return value
    return identity.email(value)


def lookup_values(record: PersonRecord, addresses: tuple[str | None, str | None] | None = None
                  ) -> list[tuple[str, str]]:
    """(kind, normalised value) of every key the record is indexed by. ``addresses``: the
    record's address already in its two forms (``identity.address_forms``, for a chunk of an
    import at once)."""
    ref = normalise_reference(record.ref)
    values: list[tuple[str, str]] = [("ref", ref)] if ref else []
    phones = [p for p in (_phone(p) for p in record.phones) if p]
    email = email_key(record.email)
    birth = _birth_date(record.birth_date) if record.birth_date else None
    names = [n for n in (name_key(x) for x in (record.name, *record.former_names)) if n]
    kana = kana_key(record.kana) if record.kana else None
    if addresses is None:
        address = identity.address(record.address)
        place = identity.address(record.address, room=False) if address else None
    else:
        address, place = addresses
        place = place if address else None
    # The place without the room, only where the record has a room: a caller who leaves out
    # the building and room is found by it (never merged on it, never verified by it).
    place = place if place != address else None
    values.extend(("phone", p) for p in dict.fromkeys(phones))
    if email:
        values.append(("email", email))
    for name in dict.fromkeys(names):
        if birth:
            values.append(("name_birth", f"{name}|{birth}"))
        values.extend(("name_phone", f"{name}|{p}") for p in dict.fromkeys(phones))
        if email:
            values.append(("name_email", f"{name}|{email}"))
        if address:
            values.append(("name_address", f"{name}|{address}"))
        if place:
            values.append(("name_place", f"{name}|{place}"))
    if kana and birth:
        values.append(("kana_birth", f"{kana}|{birth}"))
    return values


def digests(record: PersonRecord) -> list[tuple[str, bytes]]:
    """The blind indexes to store for ``record`` (under the current index key)."""
    return [(kind, blind_index(kind, value)) for kind, value in lookup_values(record)]


@dataclass(frozen=True)
class Query:
    """What a caller gave, normalised: the look-up keys it forms, strongest first."""

    keys: tuple[tuple[str, str], ...]
    given: frozenset[str]  # facts the caller gave: ref, phone, email, name, birth_date, address

    @classmethod
    def build(cls, *, ref: str = "", phone: str = "", email: str = "", name: str = "",
              kana: str = "", birth_date: str = "", address: str = "") -> Query:
        keys: list[tuple[str, str]] = []
        given: set[str] = set()
        n_ref = normalise_reference(ref)
        n_phone = identity.phone(phone)
        n_email = identity.email(email)
        n_name = identity.name(name)
        n_kana = identity.kana(kana) or (identity.kana(name) if _is_kana(name) else None)
        n_birth = identity.birth_date(birth_date)
        # The address as the registry keys it (丁目・番・号 or hyphens, any width, 〒 and
        # the prefecture or not: ``identity.address``); with the name only, never alone (an
        # address is a household).
        n_address = identity.address(address) if address else None
        # Said without a room (no building, no room number): also the records whose address
        # has one at that place (``name_place``), after those without.
        roomless = bool(n_address) and identity.address(address, room=False) == n_address
        for fact, value in (("ref", n_ref), ("phone", n_phone), ("email", n_email),
                            ("name", n_name or n_kana), ("birth_date", n_birth),
                            ("address", n_address)):
            if value:
                given.add(fact)
        if n_ref:
            keys.append(("ref", n_ref))
        if n_name and n_birth:
            keys.append(("name_birth", f"{n_name}|{n_birth}"))
        if n_kana and n_birth:
            keys.append(("kana_birth", f"{n_kana}|{n_birth}"))
        if n_name and n_phone:
            keys.append(("name_phone", f"{n_name}|{n_phone}"))
        if n_name and n_email:
            keys.append(("name_email", f"{n_name}|{n_email}"))
        if n_name and n_address:
            keys.append(("name_address", f"{n_name}|{n_address}"))
            if roomless:
                keys.append(("name_place", f"{n_name}|{n_address}"))
        if n_phone:
            keys.append(("phone", n_phone))
        if n_email:
            keys.append(("email", n_email))
        return cls(tuple(keys), frozenset(given))

    def digests(self) -> list[tuple[str, list[bytes]]]:
        return [(kind, blind_indexes(kind, value)) for kind, value in self.keys]


def _is_kana(text: str) -> bool:
    letters = [c for c in unicodedata.normalize("NFKC", text or "") if not c.isspace()]
    return bool(letters) and all("\u3041" <= c <= "\u30ff" for c in letters)
