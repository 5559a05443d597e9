"""``<id:…>`` in URL patterns: a database id. A number the database cannot hold (2**63 and
more) does not match, so it is a 404 like any missing object, never a database error."""

from __future__ import annotations

from rouei.core.access import MAX_ID


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise ValueError("not a database id")  # Django: no match, so 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))
