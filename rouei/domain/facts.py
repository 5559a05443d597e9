"""Incident facts: what is known now about a leak, as the rules engine reads it.

A missing key means "unknown", never "false": every field is ``None`` until the user says
otherwise, and the rules treat ``None`` cautiously (see rules/).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from enum import Enum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rouei.domain.inputs import InputError, read_mapping_file
from rouei.domain.items import ITEMS

JST = ZoneInfo("Asia/Tokyo")


class Encryption(str, Enum):
    NONE = "none"
    WEAK = "weak"  # e.g. a password on a ZIP file: not evidence of advanced encryption
    ADVANCED = "advanced"  # CRYPTREC / ISO/IEC 18033 algorithm, properly implemented (Q6-19)


class Cause(str, Enum):
    MISDELIVERY = "misdelivery"
    LOST_DEVICE = "lost_device"
    THEFT = "theft"
    UNAUTHORIZED_ACCESS = "unauthorized_access"
    MALWARE = "malware"
    RANSOMWARE = "ransomware"
    INSIDER_THEFT = "insider_theft"
    MISCONFIGURATION = "misconfiguration"
    VENDOR = "vendor"
    OTHER = "other"


class Event(str, Enum):
    LEAK = "leak"  # 漏えい
    LOSS = "loss"  # 滅失
    DAMAGE = "damage"  # 毀損


class Role(str, Enum):
    CONTROLLER = "controller"  # handles the data for itself (or as 委託元)
    PROCESSOR = "processor"  # 委託先


class MyNumberViolation(str, Enum):
    UNLAWFUL_USE = "unlawful_use"  # use in breach of My Number Act Art. 9
    UNLAWFUL_PROVISION = "unlawful_provision"  # provision in breach of Art. 19


class SocialResponsibility(str, Enum):
    """JNSA 社会的責任度: 1 ordinary, 2 higher than ordinary (user-set; appi.md §8.1)."""

    ORDINARY = "ordinary"
    HIGH = "high"


class ResponseQuality(str, Enum):
    """JNSA 事後対応評価: 2 inappropriate; 1 appropriate, unknown or other."""

    APPROPRIATE = "appropriate"
    INAPPROPRIATE = "inappropriate"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Facts:
    items: tuple[str, ...] | None = None
    people_confirmed: int | None = None
    people_estimated: int | None = None
    people_is_upper_bound: bool | None = None
    possibility_only: bool | None = None
    is_personal_data: bool | None = None
    encryption: Encryption | None = None
    key_leaked: bool | None = None
    malicious: bool | None = None
    cause: Cause | None = None
    vendor_involved: bool | None = None
    knew_at: dt.datetime | None = None  # aware; a bare date is read as 00:00 JST
    occurred_at: dt.datetime | None = None
    detected_at: dt.datetime | None = None
    event: Event | None = None
    recovered_before_viewed: bool | None = None
    copy_exists_elsewhere: bool | None = None
    intentional_provision: bool | None = None
    pseudonymized: bool | None = None
    intended_for_database: bool | None = None
    role: Role | None = None
    notified_principal: bool | None = None
    # rouei's own addition: whether leaked login credentials are for a service with payment or
    # remittance functions (decides trigger 2 for login_id + password; GL 3-5-3-1(2)).
    payment_functions: bool | None = None
    publicly_viewable: bool | None = None
    my_number_violation: MyNumberViolation | None = None
    network_system: bool | None = None
    social_responsibility: SocialResponsibility | None = None
    response_quality: ResponseQuality | None = None

    @property
    def item_set(self) -> frozenset[str]:
        return frozenset(self.items or ())

    @property
    def people_max(self) -> int | None:
        """The maximum possible number of people (appi.md §2.1: use it when not fixed)."""
        counts = [c for c in (self.people_confirmed, self.people_estimated) if c is not None]
        return max(counts) if counts else None

    @property
    def knew_date(self) -> dt.date | None:
        """The day the company knew, in JST: day 1 of every deadline (GL 3-5-3-3)."""
        return self.knew_at.astimezone(JST).date() if self.knew_at else None

    def to_dict(self) -> dict[str, Any]:
        """The facts-file form: only known keys, JSON-ready."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if isinstance(value, Enum):
                value = value.value
            elif isinstance(value, dt.datetime):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out


FACT_KEYS: tuple[str, ...] = tuple(f.name for f in fields(Facts))

_BOOL_KEYS = {f.name for f in fields(Facts) if f.type == "bool | None"}
_INT_KEYS = {"people_confirmed", "people_estimated"}
_DATETIME_KEYS = {"knew_at", "occurred_at", "detected_at"}
_ENUM_KEYS: dict[str, type[Enum]] = {
    "encryption": Encryption,
    "cause": Cause,
    "event": Event,
    "role": Role,
    "my_number_violation": MyNumberViolation,
    "social_responsibility": SocialResponsibility,
    "response_quality": ResponseQuality,
}
# JNSA writes these two factors as numbers; accept them as the user would copy them.
_NUMERIC_ALIASES = {
    "social_responsibility": {1: SocialResponsibility.ORDINARY, 2: SocialResponsibility.HIGH},
    "response_quality": {1: ResponseQuality.APPROPRIATE, 2: ResponseQuality.INAPPROPRIATE},
}
MAX_PEOPLE = 10**10  # more than the world's population: a typo, not a leak
# Years outside this range are typos; near Python's limits (year 1 or 9999) the time-zone
# conversion and the deadline arithmetic would overflow.
MIN_YEAR, MAX_YEAR = 1900, 2999
# Clocks disagree by a few minutes (a laptop, the server, a phone): a time up to this far
# ahead of "now" is taken as now, not as the future (issue 11, guard rail 2).
CLOCK_SKEW = dt.timedelta(minutes=10)
# The dates that record what has already happened, with their names for the error message.
_PAST_DATES: dict[str, tuple[str, str]] = {
    "knew_at": ("知った日", "The day the company knew"),
    "occurred_at": ("発生日時", "The time it occurred"),
    "detected_at": ("検知日時", "The time it was detected"),
}


class FactsError(InputError):
    """Bad facts (see InputError)."""


def is_in_future(value: dt.datetime, now: dt.datetime) -> bool:
    """Whether ``value`` lies after ``now`` plus ``CLOCK_SKEW``: the one rule for every date
    that records something that already happened (facts, evidence, signals, timeline).

    A bare date is 00:00 JST of its day, so today is never in the future and tomorrow is
    (except in the last ``CLOCK_SKEW`` before midnight JST). The domain has no clock: the
    caller says what "now" is.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return value > now + CLOCK_SKEW


def _parse_datetime(key: str, raw: Any) -> dt.datetime:
    if isinstance(raw, dt.datetime):
        value = raw
    elif isinstance(raw, dt.date):
        value = dt.datetime.combine(raw, dt.time())
    elif isinstance(raw, str):
        try:
            value = dt.datetime.fromisoformat(raw.strip())
        except ValueError:
            raise FactsError("invalid_date", key,
                             f"日付として読めません（ISO 8601 形式、例: 2026-11-24）: {raw!r}",
                             f"not a valid ISO 8601 date or datetime: {raw!r}") from None
    else:
        raise FactsError("invalid_date", key, "日付（文字列）を指定してください",
                         f"expected an ISO 8601 date string, got {type(raw).__name__}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=JST)  # a Japanese company's clock
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise FactsError("out_of_range", key,
                         f"{MIN_YEAR}年から{MAX_YEAR}年までの日付を指定してください",
                         f"must be a date between the years {MIN_YEAR} and {MAX_YEAR}")
    return value


def parse_facts(data: Any, *, now: dt.datetime | None = None,
                check_consistency: bool = True) -> Facts:
    """Validate a mapping (from YAML, JSON or a form) into ``Facts``; raise ``FactsError``.

    ``now`` (aware) is the present the facts are entered in: the day the company knew, the
    occurrence and the detection cannot lie after it (``is_in_future``; code ``future_date``).
    Pages, the API and ``rouei assess`` pass the clock's time (the CLI's ``--as-of`` another
    one, for a scenario set later); ``None`` skips the check, for facts read back from storage,
    which were checked when they were saved. ``check_consistency=False`` reads facts stored
    earlier as they were, even if a check added since would refuse them (a stored assessment
    must stay readable).
    """
    if not isinstance(data, dict):
        raise FactsError("not_a_mapping", None, "事実はキーと値の組（YAML/JSON のオブジェクト）で指定してください",
                         "facts must be a mapping (a YAML/JSON object)")
    unknown = sorted(str(k) for k in data if k not in FACT_KEYS)
    if unknown:
        raise FactsError("unknown_key", unknown[0], "不明なキーです", "unknown key")
    values: dict[str, Any] = {}
    for key, raw in data.items():
        if raw is None:
            continue  # explicit null: unknown
        if key == "items":
            values[key] = _parse_items(raw)
        elif key in _INT_KEYS:
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise FactsError("not_an_integer", key, "人数は0以上の整数で指定してください",
                                 "must be a whole number of people, 0 or more")
            if raw < 0:
                raise FactsError("negative", key, "人数に負の数は指定できません",
                                 "cannot be negative")
            if raw > MAX_PEOPLE:
                raise FactsError("too_large", key, "人数が大きすぎます", "number is implausibly large")
            values[key] = raw
        elif key in _BOOL_KEYS:
            if not isinstance(raw, bool):
                raise FactsError("not_a_boolean", key, "true か false で指定してください",
                                 "must be true or false")
            values[key] = raw
        elif key in _DATETIME_KEYS:
            values[key] = _parse_datetime(key, raw)
        elif key in _ENUM_KEYS:
            values[key] = _parse_enum(key, raw)
    facts = Facts(**values)
    if now is not None:
        _check_not_future(facts, now)
    if check_consistency:
        _check_consistency(facts)
    return facts


def _check_not_future(facts: Facts, now: dt.datetime) -> None:
    for key, (label_ja, label_en) in _PAST_DATES.items():
        value = getattr(facts, key)
        if value is not None and is_in_future(value, now):
            raise FactsError("future_date", key, f"{label_ja}は未来の日時にできません",
                             f"{label_en} cannot lie in the future")


def _parse_items(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(i, str) for i in raw):
        raise FactsError("not_a_list", "items", "項目IDのリストで指定してください",
                         "must be a list of item ids")
    for item_id in raw:
        if item_id not in ITEMS:
            raise FactsError("unknown_item", "items",
                             f"不明な項目IDです: {item_id!r}（`rouei items` で一覧を表示）",
                             f"unknown item id: {item_id!r} (see `rouei items`)")
    return tuple(dict.fromkeys(raw))  # de-duplicated, order kept


def _parse_enum(key: str, raw: Any) -> Enum:
    enum = _ENUM_KEYS[key]
    if isinstance(raw, int) and not isinstance(raw, bool) and raw in _NUMERIC_ALIASES.get(key, {}):
        return _NUMERIC_ALIASES[key][raw]
    if isinstance(raw, str) and raw in {m.value for m in enum}:
        return enum(raw)
    choices = " | ".join(m.value for m in enum)
    raise FactsError("invalid_choice", key, f"次のいずれかを指定してください: {choices}",
                     f"must be one of: {choices}")


def _check_consistency(facts: Facts) -> None:
    if facts.occurred_at and facts.knew_at and facts.occurred_at > facts.knew_at:
        raise FactsError("date_order", "occurred_at", "発生日時が「知った」日時より後になっています",
                         "occurred after the company knew of it")
    if facts.occurred_at and facts.detected_at and facts.occurred_at > facts.detected_at:
        raise FactsError("date_order", "occurred_at", "発生日時が検知日時より後になっています",
                         "occurred after it was detected")
    if (facts.people_confirmed is not None and facts.people_estimated is not None
            and facts.people_is_upper_bound and facts.people_estimated < facts.people_confirmed):
        raise FactsError("upper_bound_below_confirmed", "people_estimated",
                         "上限とした推定人数が確認済み人数より少なくなっています",
                         "the upper bound is below the confirmed number")


def load_facts(path: str | Path, *, now: dt.datetime | None = None) -> Facts:
    """Read a YAML or JSON facts file. Errors name the file and the field; ``now`` as for
    ``parse_facts``."""
    return parse_facts(read_mapping_file(path, FactsError), now=now)
