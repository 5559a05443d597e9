"""How much a person is paid under an incident's compensation policy (pure rules).

- A confirmed person gets ``amount_confirmed``, a possibly affected one ``amount_possible``;
  ``amount_possible = 0`` means only confirmed people are eligible.
- ``item_amounts`` raise the amount for a class of data (e.g. card data): an eligible person
  gets the largest amount that applies to any of their items.
- No policy at all: eligibility is being in the registry (the claim check alone), amount 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def amount_for(*, confirmed: bool, items: Iterable[str], amount_confirmed: int,
               amount_possible: int, item_amounts: Mapping[str, int]) -> int:
    base = amount_confirmed if confirmed else amount_possible
    if not confirmed and amount_possible == 0:
        return 0
    by_item = max((int(item_amounts.get(i, 0)) for i in items), default=0)
    return max(base, by_item)


def planned_total(groups: Iterable[tuple[bool, tuple[str, ...], int]], **policy) -> int:
    """Σ amount × people over (confirmed, items, people) groups: the policy's cost."""
    return sum(amount_for(confirmed=c, items=i, **policy) * n for c, i, n in groups)
