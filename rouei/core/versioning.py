"""Edits of a row that a colleague may have saved first: the form carries the ``version`` it was
loaded at; a save against a newer version is refused (409) instead of overwriting their work."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rouei.core.errors import Conflict


def save_if_current(row, values: Mapping[str, Any], *, expected_version: int | None,
                    stale: Callable[[], Conflict]) -> list[str]:
    """Set ``values`` on ``row`` (locked by the caller with ``select_for_update``), bump its
    ``version`` and save it. ``stale()`` is raised when ``expected_version`` is given and is not
    the row's version. Returns the names that changed (all of them for a new row); with none,
    nothing is saved."""
    if expected_version is not None and expected_version != row.version:
        raise stale()
    changed = sorted(name for name, value in values.items()
                     if row.pk is None or getattr(row, name) != value)
    if not changed:
        return []
    for name, value in values.items():
        setattr(row, name, value)
    row.version += 1
    row.save()
    return changed
