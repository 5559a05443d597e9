"""Which signals look alike (類似の苦情): pure Python, no Django.

Two signals are *similar* when they were received within ``window`` of each other and either
name the same sender (the unknown company that sent the direct mail, after ``normalise_sender``)
or share at least ``MIN_SHARED_ITEMS`` data items (catalogue ids, rouei.domain.items), one of them
other than the name and address: almost every direct-mail complaint involves those two, so
sharing only them says nothing (the sender then decides). ``clusters`` groups signals that are
similar or linked, directly or through others (connected components), which is what the warning
counts: several customers reporting mail from the same sender is how a leak often shows first
(response-practice.md §9, "by the accuracy and number of such complaints").
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

DEFAULT_WINDOW = dt.timedelta(days=90)
MIN_SHARED_ITEMS = 2
# Items nearly every complaint names (a letter needs them): not enough to make two alike.
UBIQUITOUS_ITEMS = frozenset({"person_name", "address"})

# Company-form words that people write, leave out or abbreviate at will (after NFKC, so ㈱ and
# ㍿ are already "(株)" and "株式会社"). Longest first, so "株式会社" goes before "(株)".
_COMPANY_FORMS = ("株式会社", "有限会社", "合同会社", "(株)", "(有)", "(同)")
_SPACES = re.compile(r"\s+")


def normalise_sender(name: str) -> str:
    """The sender's name for comparison: NFKC, no company-form words, no spaces, case-folded.

    「株式会社 ＡＢＣ商事」, 「(株)abc商事」 and 「ABC商事㈱」 all become 「abc商事」. Idempotent.
    """
    previous = None
    value = name
    # NFKC and case folding can each undo the other's fixed point, and removing a company word
    # can bring two halves of another together ("株式株式会社会社"): repeat until stable.
    for _ in range(8):
        if value == previous:
            break
        previous = value
        value = unicodedata.normalize("NFKC", value).casefold()
        value = unicodedata.normalize("NFKC", value)
        for form in _COMPANY_FORMS:
            value = value.replace(form, "")
        value = _SPACES.sub("", value)
    return value


@dataclass(frozen=True)
class SignalFacts:
    """What the comparison looks at: an id, when it came in, who sent the mail, which items."""

    key: Hashable
    received_at: dt.datetime
    sender: str = ""
    items: frozenset[str] = frozenset()
    group: Hashable | None = None  # signals with the same group were linked by a person


@dataclass(frozen=True)
class Similarity:
    same_sender: bool
    shared_items: frozenset[str]
    within_window: bool

    @property
    def similar(self) -> bool:
        return self.within_window and (self.same_sender or _telling(self.shared_items))


def _telling(shared: frozenset[str]) -> bool:
    """Whether the items two signals share make them look alike without the same sender."""
    return len(shared) >= MIN_SHARED_ITEMS and bool(shared - UBIQUITOUS_ITEMS)


def compare(a: SignalFacts, b: SignalFacts, window: dt.timedelta = DEFAULT_WINDOW) -> Similarity:
    """Why ``a`` and ``b`` look alike (or not); symmetric."""
    sender_a, sender_b = normalise_sender(a.sender), normalise_sender(b.sender)
    return Similarity(
        same_sender=bool(sender_a) and sender_a == sender_b,
        shared_items=frozenset(a.items) & frozenset(b.items),
        within_window=abs(a.received_at - b.received_at) <= window,
    )


def is_similar(a: SignalFacts, b: SignalFacts, window: dt.timedelta = DEFAULT_WINDOW) -> bool:
    return compare(a, b, window).similar


def clusters(signals: Iterable[SignalFacts],
             window: dt.timedelta = DEFAULT_WINDOW) -> list[frozenset[Hashable]]:
    """The keys of ``signals`` split into groups of signals similar or linked to each other,
    directly or through others; every key is in exactly one group (singletons included).
    Largest first, then by the smallest key's position in the input."""
    items = list(signals)
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    first_of_group: dict[Hashable, int] = {}
    for i, signal in enumerate(items):
        if signal.group is not None:
            union(first_of_group.setdefault(signal.group, i), i)
    # A sweep in time order: each signal is compared only with those inside its window, and
    # each sender is normalised once (the same test as ``compare``).
    senders = [normalise_sender(s.sender) for s in items]
    by_time = sorted(range(len(items)), key=lambda i: items[i].received_at)
    for n, i in enumerate(by_time):
        for j in by_time[n + 1:]:
            if items[j].received_at - items[i].received_at > window:
                break
            if ((senders[i] and senders[i] == senders[j])
                    or _telling(frozenset(items[i].items & items[j].items))):
                union(i, j)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(find(i), []).append(i)
    ordered = sorted(groups.values(), key=lambda members: (-len(members), members[0]))
    return [frozenset(items[i].key for i in members) for members in ordered]
