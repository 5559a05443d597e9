"""What the contact window may tell a caller, by how well the caller has shown who they are.

The ladder (notices-and-victims.md §4; *inferred*: no published description of a leak desk's
identity checks exists, and the UI says so):

- ``ANONYMOUS`` — nothing the caller gave matches one person: the general FAQ only, and never
  whether someone is or is not in the registry.
- ``VERIFIED`` — two facts the caller gave match the same record: the reference number from the
  letter with the birth date or a phone on record, or the name (or a former name) with a phone,
  e-mail, birth date or the postal address on record ("full match on name plus address or
  phone on record", notices-and-victims.md §4). The caller may hear whether and which of
  *their* items leaked, and where their notice stands. An address that differs from the one
  on record contradicts nothing (people move; the letter went to the address then), it only
  does not count.
- Formal disclosure (開示請求, 法33条) is beyond the window: a written request with an identity
  document (``requests``).

Never read out a stored value the caller has not given: the window shows the items and the
status, never the stored address, phone or e-mail.
"""

from __future__ import annotations

from enum import StrEnum

from rouei.people.registry import PersonRecord, normalise_reference
from rouei.scanning import identity


class Tier(StrEnum):
    ANONYMOUS = "anonymous"
    VERIFIED = "verified"


def matched_facts(record: PersonRecord, *, ref: str = "", phone: str = "", email: str = "",
                  name: str = "", kana: str = "", birth_date: str = "",
                  address: str = "") -> tuple[set[str], set[str]]:
    """(facts that match ``record``, facts given that contradict it)."""
    matched: set[str] = set()
    wrong: set[str] = set()

    def check(fact: str, given, stored) -> None:
        if given is None:
            return
        (matched if given in stored else wrong).add(fact)

    check("ref", normalise_reference(ref) if ref else None, {normalise_reference(record.ref)})
    check("phone", identity.phone(phone) if phone else None,
          {identity.phone(p) for p in record.phones})
    check("email", identity.email(email) if email else None, {identity.email(record.email)})
    check("birth_date", identity.birth_date(birth_date) if birth_date else None,
          {identity.birth_date(record.birth_date)})
    given_address = identity.address(address) if address else None
    if given_address and given_address == identity.address(record.address):
        matched.add("address")
    names = {identity.name(n) for n in (record.name, *record.former_names)} - {None}
    readings = {identity.kana(record.kana)} - {None}
    given_name = identity.name(name) if name else None
    given_kana = identity.kana(kana or name) if (kana or name) else None
    if given_name or given_kana:
        if given_name in names or (given_kana and given_kana in readings):
            matched.add("name")
        else:
            wrong.add("name")
    return matched, wrong


def may_verify(given: set[str] | frozenset[str]) -> bool:
    """Whether facts of these kinds (the keys the caller gave) could verify anyone at all:
    ``tier`` needs one of its pairs. A phone or an e-mail alone cannot, so the window answers
    it without searching or decrypting anyone."""
    name = bool(given & {"name", "kana"})
    return (("ref" in given and bool(given & {"birth_date", "phone"}))
            or (name and bool(given & {"phone", "email", "birth_date", "address"})))


def tier(record: PersonRecord, **given: str) -> Tier:
    """The tier a caller reaches for ``record`` with the facts they gave. A fact that
    contradicts the record (a wrong birth date) keeps the caller anonymous: the operator says
    the same as for an unknown caller, so a guess learns nothing."""
    matched, wrong = matched_facts(record, **given)
    if wrong:
        return Tier.ANONYMOUS
    if "ref" in matched and matched & {"birth_date", "phone"}:
        return Tier.VERIFIED
    if "name" in matched and matched & {"phone", "email", "birth_date", "address"}:
        return Tier.VERIFIED
    return Tier.ANONYMOUS
