"""An import's chunk of rows prepared a column at a time (issue 12): the same ``Keyed`` rows as
``parse_row`` and ``Keyed.of`` give one row at a time (tests/people/test_preparing_batch.py
compares them), without their per-row Python.

Each column's cells are stripped in one pass and normalised through the caches the row-by-row
path uses (names, readings, birth dates and postal codes repeat across a list); the chunk's
blind indexes are formed and hashed by the compiled ``_rowkeys`` in one call; a record's JSON is
written field by field with the string encoder ``json`` itself uses; the chunk's nonces and
reference numbers come from one draw of the system's CSPRNG each. A row this path does not take
— one that is rejected, has a former name, or an items cell it cannot read — goes through the
row-by-row path unchanged.
"""

from __future__ import annotations

import base64
import itertools
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from json.encoder import encode_basestring  # what json.dumps(ensure_ascii=False) writes a str with
from operator import is_, itemgetter

from rouei.core.crypto import SEALED_PREFIX
from rouei.domain import items as catalogue
from rouei.people import registry
from rouei.people.importing import (
    _POSSIBLE_KEYS,
    MAX_CELL_CHARS,
    RowError,
    _items_cell,
    _key,
    _postal_code,
)
from rouei.scanning import identity

try:
    from rouei.people import _rowkeys
except ImportError:  # not built (a checkout without its C extensions): row by row
    _rowkeys = None

# The record's fields in the order ``PersonRecord.to_json`` writes them (checked below).
_FIELDS = ("ref", "name", "kana", "postal_code", "address", "email", "phones", "birth_date",
           "former_names")
if registry.RECORD_FIELDS != _FIELDS:
    raise ImportError("PersonRecord's fields changed: update columnwise._json")
MAX_PHONES = 8  # more phones in a row than the compiled keys take: row by row


def available() -> bool:
    return _rowkeys is not None


def index_messages(key: bytes, messages: list[bytes]) -> list[bytes]:
    """The blind index (``crypto.blind_index``) of each "kind\x1fvalue" message under ``key``,
    compiled (``available()`` must be true)."""
    return _rowkeys.index_messages(key, messages)


@dataclass(frozen=True)
class _Plan:
    """Where a mapping's columns are: per catalogue item its (position, part) in file order, and
    the positions of the row attributes."""

    width: int
    items: dict[str, tuple[tuple[int, str | None], ...]]
    listed_items: tuple[int, ...]
    confirmed: tuple[int, ...]
    controller: tuple[int, ...]
    former: tuple[int, ...]


_PLANS: dict[int, tuple[list, _Plan]] = {}


def _plan(columns: list) -> _Plan:
    known = _PLANS.get(id(columns))
    if known is not None and known[0] is columns:
        return known[1]
    items: dict[str, list[tuple[int, str | None]]] = {}
    roles: dict[str, list[int]] = {"items": [], "confirmed": [], "controller": [],
                                   "former_name": []}
    width = 0
    for at, column in enumerate(columns):
        if column.role:
            roles[column.role].append(at)
        elif column.item:
            items.setdefault(column.item, []).append((at, column.part))
        else:
            continue
        width = at + 1
    plan = _Plan(width, {k: tuple(v) for k, v in items.items()}, tuple(roles["items"]),
                 tuple(roles["confirmed"]), tuple(roles["controller"]),
                 tuple(roles["former_name"]))
    _PLANS.clear()  # one import at a time per process: keep only the latest
    _PLANS[id(columns)] = (columns, plan)
    return plan


def _values(places: tuple[tuple[int, str | None], ...], item: str, column) -> list[list[str]]:
    """An item's values in each row as ``parse_row`` collects them: its parts joined first (if
    any part has a value), then the values of its whole columns, in file order."""
    order = catalogue.PART_ORDER.get(item, ())
    separator = " " if item in ("person_name", "name_kana") else ""
    cells = [column(at) for at, _ in places]
    out = []
    for row in zip(*cells, strict=True):
        by_part: dict[str, str] = {}
        plain: list[str] = []
        for (_, part), cell in zip(places, row, strict=True):
            if not cell:
                continue
            if part:
                by_part[part] = cell
            else:
                plain.append(cell)
        if by_part:
            plain.insert(0, separator.join(by_part[p] for p in order if p in by_part))
        out.append(plain)
    return out


_PHONE_SHAPE = re.compile(r"[0-9 ()-]+")
_DIGIT_GROUPS = re.compile(r"[0-9]+")


def phone(value: str) -> str | None:
    """``identity.phone``, with the steps an ASCII value needs inlined (no width or dash to
    fold: the scanner's ``normalise`` and NFKC leave it as it is)."""
    if not value.isascii():
        return identity.phone(value)
    text = value.strip()
    international = text.startswith("+81")
    if international:
        text = text[3:].lstrip(" -").removeprefix("(0)")
    if not text or not _PHONE_SHAPE.fullmatch(text):
        return None
    groups = _DIGIT_GROUPS.findall(text)
    if not groups:
        return None
    if international and not groups[0].startswith("0"):
        groups[0] = "0" + groups[0]
    digits = "".join(groups)
    if identity._LOST_LEADING_ZERO.match(digits):
        digits = "0" + digits
    return digits if identity._PHONE_DIGITS.match(digits) else None


_EMAIL_SHAPE = identity._EMAIL


def _email(value: str) -> str | None:
    """``identity.email``, with an ASCII value read directly (NFKC leaves ASCII as it is: only
    the case is folded and the shape checked)."""
    if not value.isascii():
        return identity.email(value)
    canonical = value.strip().lower()
    return canonical if _EMAIL_SHAPE.match(canonical) else None


_PLAIN_POSTAL = re.compile(r"〒?([0-9]{3})-?([0-9]{4})")


def postal_code(value: str) -> str | None:
    """``identity.postal_code`` (cached), with the shapes almost every export writes read
    directly (1000001, 100-0001, 〒100-0001: nothing there for NFKC, spaces or dashes to
    change). Postal codes repeat less than a cache holds: most of a list's are new."""
    plain = _PLAIN_POSTAL.fullmatch(value)
    if plain:
        return plain[1] + plain[2]
    return _postal_code(value)


# Birth dates repeat, but a list holds more distinct ones (~36,000 days in a century, in two or three ways
# of writing each) than the row-by-row caches keep (2^15): these keep twice as many.
_birth_cell = lru_cache(maxsize=1 << 16)(identity.birth_date)


def _nones(values: list) -> list[int]:
    """The indexes of the Nones in ``values`` (without a Python step per value)."""
    return list(itertools.compress(range(len(values)), map(is_, values, itertools.repeat(None))))


@lru_cache(maxsize=1024)
def _confirmed(cell: str) -> bool:
    return _key(cell) not in _POSSIBLE_KEYS


def _references(count: int) -> list[str]:
    """``count`` reference numbers as ``registry.new_reference`` draws them (uniform below
    23^11, written in base 23 with the check character), from one read of the CSPRNG: 56 random
    bits each, those at or above the largest multiple of 23^11 drawn again."""
    import numpy as np  # loaded by an import's first chunk, not by every process importing this

    span = registry.REF_RANGE
    limit = ((1 << 56) // span) * span
    numbers = np.empty(0, dtype=np.uint64)
    while len(numbers) < count:
        drawn = np.frombuffer(os.urandom(8 * (count - len(numbers))), dtype="<u8") >> np.uint64(8)
        numbers = np.concatenate([numbers, drawn[drawn < np.uint64(limit)]])
    # written out by the compiled kernel (the digits, the dashes and the check character)
    return _rowkeys.references((numbers % np.uint64(span)).astype("<u8").tobytes(),
                               registry.REF_ALPHABET)


def _json(ref: str, name: str, kana: str, postal: str, address: str, email: str,
          phones: tuple[str, ...], birth: str) -> str:
    """``PersonRecord(...).to_json()`` of a record without former names."""
    enc = encode_basestring
    return (f'{{"ref":{enc(ref)},"name":{enc(name)},"kana":{enc(kana)},'
            f'"postal_code":{enc(postal)},"address":{enc(address)},"email":{enc(email)},'
            f'"phones":[{",".join(map(enc, phones))}],"birth_date":{enc(birth)},'
            f'"former_names":[]}}')


def _sealed(refs, names, kanas, postals, addresses, emails, phones_column, births,
            nonces: bytes, cipher) -> list[str]:
    """``crypto.seal`` of each kept row's record (its fields as columns) under ``cipher`` with
    its nonce: the Python form of ``_rowkeys.seal_records``, for a cipher whose key this process
    does not hold."""
    encrypt, encode = cipher.encrypt, base64.urlsafe_b64encode
    out = []
    for n, (ref, name, kana, postal, address, email, phones, birth) in enumerate(
            zip(refs, names, kanas, postals, addresses, emails, phones_column, births,
                strict=True)):
        nonce = nonces[12 * n:12 * n + 12]
        text = _json(ref, name, kana, postal, address, email, phones, birth)
        out.append(SEALED_PREFIX + encode(
            nonce + encrypt(nonce, text.encode("utf-8"), None)).decode("ascii"))
    return out


def prepare(options, chunk: list[tuple[int, list[str]]], key: bytes, cipher, each,
            seal_key: bytes | None = None) -> list[tuple]:
    """``preparing._prepare`` of ``chunk`` under the one index ``key``; ``each``: the row-by-row
    path, for the rows this one leaves to it. ``seal_key``: the AES key of ``cipher``
    (``crypto.data_key``), for the compiled sealing; without it the rows are sealed in Python."""
    from rouei.people.preparing import KEY_KINDS, KeyBlock, keyed_rows  # preparing imports this

    if _rowkeys.KINDS != KEY_KINDS:
        raise ImportError("the compiled keys' kinds differ from preparing.KEY_KINDS")

    plan = _plan(options.columns)
    count = len(chunk)
    rows = [cells for _, cells in chunk]
    alone = [False] * count  # rows left to the row-by-row path
    every_cell = list(itertools.chain.from_iterable(rows))
    if (every_cell and max(map(len, every_cell)) > MAX_CELL_CHARS) or \
            "\ufffd" in "".join(every_cell):
        alone = [bool(cells) and (max(map(len, cells)) > MAX_CELL_CHARS
                                  or "\ufffd" in "".join(cells)) for cells in rows]
    if plan.width and min(map(len, rows), default=plan.width) < plan.width:
        pad = [""] * plan.width
        rows = [cells if len(cells) >= plan.width else [*cells, *pad[len(cells):]]
                for cells in rows]
    stripped: dict[int, list[str]] = {}

    def column(at: int) -> list[str]:
        found = stripped.get(at)
        if found is None:
            found = stripped[at] = list(map(str.strip, map(itemgetter(at), rows)))
        return found

    first: dict[str, list[str]] = {}
    every: dict[str, list[list[str]] | None] = {}  # None: one whole column, ``first`` is all
    present: list[list[bool]] = []
    for item, places in plan.items.items():
        if len(places) == 1 and places[0][1] is None:
            first[item] = column(places[0][0])
            every[item] = None
            present.append(list(map(bool, first[item])))
        else:
            values = _values(places, item, column)
            first[item] = [v[0] if v else "" for v in values]
            every[item] = values
            present.append([any(cells) for cells in zip(*(column(at) for at, _ in places),
                                                        strict=True)])
    item_names = tuple(plan.items)
    by_mask: dict[tuple[bool, ...], frozenset[str]] = {}
    items = []
    for mask in zip(*present, strict=True) if present else itertools.repeat((), count):
        found = by_mask.get(mask)
        if found is None:
            found = by_mask[mask] = frozenset(itertools.compress(item_names, mask))
        items.append(found)
    for at in plan.listed_items:
        for i, cell in enumerate(column(at)):
            if cell and not alone[i]:
                try:
                    items[i] = items[i] | _items_cell(cell)
                except RowError:
                    alone[i] = True
    confirmed = [options.confirmed_default] * count
    for at in plan.confirmed:
        for i, cell in enumerate(column(at)):
            if cell:
                confirmed[i] = _confirmed(cell)
    controller = [options.controller_default] * count
    for at in plan.controller:
        for i, cell in enumerate(column(at)):
            if cell:
                controller[i] = cell[:200]
    for at in plan.former:
        for i, cell in enumerate(column(at)):
            if cell:
                alone[i] = True

    empty = [""] * count
    names = first.get("person_name", empty)
    kanas = first.get("name_kana", empty)
    emails = first.get("email", empty)
    births = first.get("birth_date", empty)
    postals = first.get("postal_code", empty)
    addresses = (first.get("address", empty) if every.get("address") is None
                 else [" ".join(v) for v in every["address"]])
    phone_cells = ([(v,) if v else () for v in first["phone"]] if every.get("phone") is None
                   else every["phone"]) if "phone" in first else [()] * count

    # Each column's usual ASCII shapes read by the compiled readers (None: a cell they leave),
    # those cells then by the Python rules, where None is the verdict "not one" (the row is left
    # to the row-by-row path, which rejects or reads it).
    normal_phones = _rowkeys.phones_column(phone_cells)
    for i in _nones(normal_phones):
        cells = phone_cells[i]
        found = [phone(p) for p in cells]
        normal_phones[i] = (None if (cells and not any(found)) or len(cells) > MAX_PHONES
                            else tuple(dict.fromkeys(p for p in found if p)))
    normal_emails = _rowkeys.emails_column(emails)
    for i in _nones(normal_emails):
        normal_emails[i] = _email(emails[i])
    normal_births = _rowkeys.births_column(births)
    for i in _nones(normal_births):
        normal_births[i] = _birth_cell(births[i])
    normal_postals = _rowkeys.postals_column(postals)
    for i in _nones(normal_postals):
        normal_postals[i] = postal_code(postals[i]) or ""
    # The rows prepared here (indexes into the chunk); the others go row by row.
    kept = _rowkeys.kept_rows(alone, names, kanas, addresses, normal_emails, phone_cells,
                              normal_phones, normal_births)

    out: list[tuple | None] = [None] * count
    if kept:
        refs = _references(len(kept))
        # The kept rows' fields as columns (an empty value keys nothing: each key function
        # gives None for "").
        (kept_names, kept_kanas, kept_postals, kept_addresses, kept_emails, kept_phones,
         kept_births) = (list(map(column.__getitem__, kept)) for column in (
             names, kanas, normal_postals, addresses, normal_emails, normal_phones,
             normal_births))
        key_addresses, key_places = [], []
        address_forms = identity.address_forms(kept_addresses)
        for address_key, place in address_forms:
            key_addresses.append(address_key)
            key_places.append(place if address_key and place != address_key else None)
        # the keys as arrays (a ``KeyBlock``), not a Python object a key
        codes, digests, starts, merges = _rowkeys.chunk_keys(
            key, refs, kept_phones,
            # an ASCII e-mail from ``_email`` is already its key (lower case, its shape checked)
            [(e if e.isascii() else registry.email_key(e)) if e else None for e in kept_emails],
            # a birth date's key is its ISO form (``identity.birth_date`` reads it back as is)
            list(map(registry.name_key, kept_names)), [b or None for b in kept_births],
            key_addresses, key_places, list(map(registry.kana_key, kept_kanas)), True, True)
        block = KeyBlock(codes, digests, starts)
        nonces = os.urandom(12 * len(kept))  # one read of the CSPRNG: a nonce a row
        if seal_key:  # the JSON, AES-GCM and base64 compiled, the GIL let go meanwhile
            sealed_rows = _rowkeys.seal_records(seal_key, nonces, refs, kept_names, kept_kanas,
                                                kept_postals, kept_addresses, kept_emails,
                                                kept_phones, kept_births)
        else:
            sealed_rows = _sealed(refs, kept_names, kept_kanas, kept_postals, kept_addresses,
                                  kept_emails, kept_phones, kept_births, nonces, cipher)
        records = list(zip(refs, kept_names, kept_kanas, kept_postals, kept_addresses,
                           kept_emails, kept_phones, kept_births, itertools.repeat(()),
                           strict=False))
        # the kept rows' ``Keyed``s made at once by the compiled kernel (no Python call a row)
        made = keyed_rows([chunk[i][0] for i in kept], sealed_rows, records,
                          list(map(items.__getitem__, kept)),
                          list(map(confirmed.__getitem__, kept)),
                          list(map(controller.__getitem__, kept)), merges, block, address_forms)
        if len(kept) == count:
            out = made
        else:
            for i, entry in zip(kept, made, strict=True):
                out[i] = entry
    left = [i for i in range(count) if out[i] is None]
    if left:
        for i, entry in zip(left, each(options, [chunk[i] for i in left], (key,), cipher),
                            strict=True):
            out[i] = entry
    return out
