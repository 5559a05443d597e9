"""Finding people in the registry by what a caller or a file gives (blind indexes only)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.db import connection

from rouei.core import audit
from rouei.core.rows import all_of, instances, select
from rouei.people.maintenance import RECORDED_SQL, UNRECORDED_KEY_RULES, recorded_key_rules
from rouei.people.models import Person, PersonKey, digest_prefix
from rouei.people.registry import PersonRecord, Query
from rouei.people.tiers import Tier, may_verify, tier

MAX_MATCHES = 20  # a phone shared by a household, not a list of the registry


def find(incident, query: Query) -> list[Person]:
    """The people the strongest key of ``query`` finds (a reference number before a name with
    a birth date before a phone alone), at most ``MAX_MATCHES``: one round trip for all the
    keys, in SQL written once per set of key kinds (not compiled by the ORM per look-up); the
    rows made into people as ``rouei.core.rows`` makes them (not by ``raw()``, which maps the
    columns to fields again on every query)."""
    return search(incident, query).people


@dataclass(frozen=True)
class Found:
    """A search's people and, when asked for, the rules the incident's keys were built with
    (``maintenance.recorded_key_rules``), read in the search's own round trip."""

    people: list[Person]
    key_rules: tuple[int, str] | None = None


def search(incident, query: Query, *, key_rules: bool = False) -> Found:
    """``find``, and with ``key_rules`` the registry's recorded key rules as well. On
    PostgreSQL they are a third statement of the search's message (with the audit chain's
    head): no round trip of their own, and read afresh on every look-up, so a re-index by any
    process is seen by the next look-up (a copy kept per process could not see it without
    a read of its own)."""
    keys = query.digests()
    pairs = [(kind, digest) for kind, digests in keys for digest in digests]
    if not pairs:
        return Found([], recorded_key_rules(incident) if key_rules else None)
    params = find_params(keys, incident.pk)
    sql = _find_sql(_ranks(keys), len(pairs))
    if connection.vendor != "postgresql":
        return Found(all_of(sql, params, Person),
                     recorded_key_rules(incident) if key_rules else None)
    # The audit chain's head read in the same round trip: the look-up's audited read that
    # follows is signed against it, and so is one round trip, not two, when another process
    # wrote since this one last did (rouei.core.audit).
    if key_rules:
        sql = f"{sql}; {audit.HEAD_SQL}; {RECORDED_SQL}"
        params.append(incident.pk)
    else:
        sql = f"{sql}; {audit.HEAD_SQL}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
        cursor.nextset()
        audit.remember_head(cursor.fetchone())
        rules = None
        if key_rules:
            cursor.nextset()
            rules = recorded_rules_of(cursor.fetchone())
    return Found(instances(Person, found), rules)


def recorded_rules_of(row) -> tuple[int, str]:
    return (row[0], row[1]) if row else UNRECORDED_KEY_RULES


# A name with the place said without a room finds the people at that place with no room on
# record and those with one (``name_place``) alike: the caller may be either (a namesake in a
# house at the number does not hide the caller in the building there).
SAME_RANK = {"name_place": "name_address"}


def _ranks(keys) -> tuple[int, ...]:
    """The rank of each key kind of a query, in its order: its position, or that of the kind
    it ranks with (``SAME_RANK``)."""
    position: dict[str, int] = {}
    ranks = []
    for n, (kind, _) in enumerate(keys):
        position[kind] = position.get(SAME_RANK.get(kind, kind), n)
        ranks.append(position[kind])
    return tuple(ranks)


def find_params(keys, incident_id: int) -> list:
    """``_find_sql``'s parameters for ``keys`` ((kind, digests)… of a query): the kinds of the
    rank, the incident, then (the digest's first 8 bytes, kind, digest) for each digest."""
    params: list = [kind for kind, _ in keys]
    params.append(incident_id)
    for kind, digests in keys:
        for digest in digests:
            params += (digest_prefix(digest), kind, digest)
    return params


@lru_cache(maxsize=64)
def _find_sql(ranks: tuple[int, ...], pairs: int) -> str:
    """The people of the best-ranked key kinds (``ranks``: one per kind, in the query's order)
    that have any of the ``pairs`` (kind, digest): the kinds' rank by a CASE, the hits of the
    best rank, ordered by id. Each pair is found through the primary key by the digest's first
    8 bytes (``models.digest_prefix``) and tested in full in the row: a key that shares only
    its first 8 bytes with a caller's never finds its person."""
    person, key = Person._meta.db_table, PersonKey._meta.db_table
    rank = " ".join(f"WHEN %s THEN {n}" for n in ranks)
    wanted = " OR ".join(["(k.digest_prefix = %s AND k.kind = %s AND k.digest = %s)"] * pairs)
    hits = (f'SELECT k.person_id, CASE k.kind {rank} END AS rank FROM "{key}" k '  # noqa: S608
            f"WHERE k.incident_id = %s AND ({wanted})")
    columns = select((Person, "p"))
    return (f'WITH hits AS ({hits}) {columns} FROM "{person}" p WHERE p.id IN '  # noqa: S608
            "(SELECT person_id FROM hits WHERE rank = (SELECT MIN(rank) FROM hits)) "
            f"ORDER BY p.id LIMIT {MAX_MATCHES}")


def match_view(person: Person, record: PersonRecord | None = None) -> dict:
    """A match as the CLI and the API give it: the reference, the items, confirmed or possible,
    the notice status and masked contact data."""
    record = record or person.record()
    return {"ref": record.ref, "items": list(person.items), "confirmed": person.confirmed,
            "controller": person.controller, "notice_status": person.notice_status,
            **record.masked()}


@dataclass(frozen=True)
class WindowAnswer:
    """What the window may tell one caller: ``person`` only at the verified tier."""

    tier: Tier
    person: Person | None


def window_answer(incident, given: dict[str, str]) -> WindowAnswer:
    if not may_verify(set(given)):  # nothing to search for: no pair that could verify
        return WindowAnswer(Tier.ANONYMOUS, None)
    query = Query.build(**given)
    people = find(incident, query)
    verified = [p for p in people if tier(p.record(), **given) == Tier.VERIFIED]
    if len(verified) == 1:
        return WindowAnswer(Tier.VERIFIED, verified[0])
    return WindowAnswer(Tier.ANONYMOUS, None)


@dataclass(frozen=True)
class ClaimDecision:
    accepted: bool
    code: str
    reason: str
    person: Person | None = None
    amount: int = 0
    form: str = ""


# One answer for an unknown number and for a known number with a wrong birth date or name:
# the claim form must not tell a guesser which numbers exist (enumeration safety).
NOT_FOUND = ("not_found", "受付番号・生年月日（・氏名）に一致する対象者が登録にありません。"
                          "お手元の通知に記載の受付番号をご確認ください")


def policy_of(incident):
    from rouei.people.models import CompensationPolicy

    return CompensationPolicy.objects.filter(incident=incident).first()


def policy_amount(policy, person: Person) -> int:
    from rouei.people.compensation import amount_for

    return amount_for(confirmed=person.confirmed, items=person.items,
                      amount_confirmed=policy.amount_confirmed,
                      amount_possible=policy.amount_possible,
                      item_amounts=policy.item_amounts or {})


def check_claim(incident, *, ref: str, birth_date: str, name: str = "",
                today=None) -> ClaimDecision:
    """Eligibility of one claim (補償の申請). The policy first (none, or past its deadline: the
    same answer for everyone), then the registry: the reference number with the birth date on
    record (and the name, when given); then the policy's amount for that person (a possibly
    affected person may not be eligible); a person already paid is refused. With no policy
    set, eligibility is being in the registry, amount 0."""
    from rouei.people.models import Claim, CompensationMode

    policy = policy_of(incident)
    if policy is not None and policy.mode == CompensationMode.NONE:
        return ClaimDecision(False, "no_compensation", "この事案では金銭等による補償を行って"
                                                       "いません")
    if policy is not None and policy.claim_deadline and today and today > policy.claim_deadline:
        return ClaimDecision(False, "deadline_passed",
                             f"申請の受付は {policy.claim_deadline:%Y年%m月%d日} で終了しました")
    given = {"ref": ref, "birth_date": birth_date, **({"name": name} if name else {})}
    answer = window_answer(incident, given)
    if answer.person is None or not _has_all(answer.person.record(), given):
        return ClaimDecision(False, *NOT_FOUND)
    person = answer.person
    amount = policy_amount(policy, person) if policy is not None else 0
    if policy is not None and amount == 0:
        return ClaimDecision(False, "not_eligible", "補償の対象は、情報の漏えいが確定した方です",
                             person)
    if Claim.objects.filter(person=person, accepted=True).exists():
        return ClaimDecision(False, "already_claimed", "この受付番号の申請は受付済みです", person)
    return ClaimDecision(True, "accepted", "対象者として確認しました", person, amount,
                         policy.form if policy is not None else "")


def _has_all(record: PersonRecord, given: dict[str, str]) -> bool:
    from rouei.people.tiers import matched_facts

    matched, wrong = matched_facts(record, **given)
    return not wrong and {"ref", "birth_date"} <= matched


def registry_counts(incident) -> dict:
    """Counts for the incident page and the registry page (no personal data)."""
    from django.db.models import Count, Q

    from rouei.people.models import NoticeStatus

    # One pass over the incident's people (tens of thousands of rows): the counts per notice
    # status, added up here.
    rows = (Person.objects.filter(incident=incident).order_by().values("notice_status")
            .annotate(total=Count("pk"), confirmed=Count("pk", filter=Q(confirmed=True)),
                      with_email=Count("pk", filter=Q(has_email=True)),
                      with_postal=Count("pk", filter=Q(has_postal=True))))
    by_status = {}
    totals = {"total": 0, "confirmed": 0, "with_email": 0, "with_postal": 0}
    for row in rows:
        by_status[row.pop("notice_status")] = row["total"]
        for key, n in row.items():
            totals[key] += n
    totals["by_status"] = [(label, by_status.get(value, 0))
                           for value, label in NoticeStatus.choices]
    totals["possible"] = totals["total"] - totals["confirmed"]
    return totals


def compensation_totals(incident, policy) -> dict:
    """What the policy costs if everyone eligible is paid, what has been paid, and the
    estimate's damages (JNSA JO model) beside them."""
    from django.db.models import Count, Sum

    from rouei.people.compensation import planned_total
    from rouei.people.models import Claim

    groups = [(row["confirmed"], tuple(row["items"]), row["n"]) for row in
              Person.objects.filter(incident=incident).values("confirmed", "items")
              .annotate(n=Count("pk"))]
    planned = planned_total(groups, amount_confirmed=policy.amount_confirmed,
                            amount_possible=policy.amount_possible,
                            item_amounts=policy.item_amounts or {}) if policy else 0
    paid = Claim.objects.filter(incident=incident, accepted=True).aggregate(
        n=Count("pk"), total=Sum("amount"))
    refused = Claim.objects.filter(incident=incident, accepted=False).count()
    return {"planned": planned, "paid_count": paid["n"], "paid": paid["total"] or 0,
            "refused": refused}
