"""What people do with the registry; each audited, none with a personal value in the audit.

Who may do what (``rouei.core.access``): importing and the print data need
``EXPORT_PERSONAL`` (lead, legal); a look-up by the CLI or the API and the registry's counts
need ``VIEW_PERSONAL``; the contact window needs ``ANSWER_WINDOW`` (call-centre operators see
one verified caller at a time, never a list, and cannot export); claims need ``ANSWER_WINDOW``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.db import transaction

from rouei.core.access import Need, require_role
from rouei.core.audit import record_event, record_view
from rouei.core.errors import ActionError
from rouei.documents.renderers.excel_csv import write_excel_csv
from rouei.domain import items as catalogue
from rouei.people import services
from rouei.people.importing import ImportFileError, open_source
from rouei.people.imports import ImportResult, preview, run_import
from rouei.people.models import EventKind, NoticeStatus, Person, PersonEvent
from rouei.people.registry import Query


def _require(actor, incident, need: Need) -> None:
    """The role check; ``actor=None`` is the command line on the server (``rouei people …``),
    whose user already holds the database and the keys, and is audited as such."""
    if actor is not None:
        require_role(actor, incident, need)


LOOKUP_FACTS = ("ref", "phone", "email", "name", "kana", "birth_date")

# The print vendor's columns (宛名印字データ): a header row, one row per person.
PRINT_HEADER = ("受付番号", "郵便番号", "住所", "氏名", "漏えいした項目", "確定/可能性", "委託元")
UNREACHED = (NoticeStatus.NOT_NOTIFIED, NoticeStatus.EMAIL_BOUNCED)


def _open(path: Path):
    try:
        return open_source(path)
    except ImportFileError as exc:
        raise ActionError(exc.code, str(exc)) from None


def do_preview_import(actor, incident, path: Path) -> dict:
    """The header mapping and the first rows (masked): nothing is written."""
    _require(actor, incident, Need.EXPORT_PERSONAL)
    result = preview(_open(path))
    record_view(actor=actor, what="people.import_preview", incident_id=incident.pk,
                details={"rows": len(result["first_rows"])})
    return result


def do_import_people(actor, incident, path: Path, *, on_error: str = "stop",
                     confirmed: bool = True, controller: str = "", progress=None,
                     import_id: int | None = None) -> ImportResult:
    """Every row of the file into the registry, all or nothing (``rouei.people.imports``)."""
    _require(actor, incident, Need.EXPORT_PERSONAL)
    return run_import(incident, _open(path), actor=actor, on_error=on_error,
                      confirmed=confirmed, controller=controller, progress=progress,
                      import_id=import_id)


def _given(facts: dict[str, str]) -> dict[str, str]:
    given = {k: v.strip() for k, v in facts.items() if k in LOOKUP_FACTS and v and v.strip()}
    if not given:
        raise ActionError("nothing_given", "受付番号・電話番号・メールアドレス・氏名と生年月日の"
                                           "いずれかを入力してください")
    if set(given) <= {"name", "kana"} or set(given) == {"birth_date"}:
        raise ActionError("name_needs_birth_date", "氏名で探すときは生年月日も入力してください",
                          field="birth_date")
    return given


def do_lookup(actor, incident, **facts: str) -> list[dict]:
    """People matching what was given (``rouei people lookup``, the API): reference, items,
    confirmed, masked contact data. One audit event naming which facts were searched by."""
    _require(actor, incident, Need.VIEW_PERSONAL)
    given = _given(facts)
    people = services.find(incident, Query.build(**given))
    record_view(actor=actor, what="people.lookup", incident_id=incident.pk,
                details={"by": sorted(given), "matches": len(people)})
    return [services.match_view(p) for p in people]


def do_window_lookup(actor, incident, **facts: str) -> services.WindowAnswer:
    """The contact window's look-up (one caller): the person only at the verified tier."""
    _require(actor, incident, Need.ANSWER_WINDOW)
    given = _given(facts)
    answer = services.window_answer(incident, given)
    record_view(actor=actor, what="people.window_lookup", obj=answer.person,
                incident_id=incident.pk,
                details={"by": sorted(given), "tier": str(answer.tier)})
    return answer


def do_check_claims(actor, incident, claims: list[dict[str, str]], *,
                    record: bool = True) -> list[dict]:
    """Each claim accepted or refused with a reason; accepted ones recorded on the person (a
    second claim is then refused). One audit event with the counts."""
    _require(actor, incident, Need.ANSWER_WINDOW)
    out: list[dict] = []
    with transaction.atomic():
        for number, claim in enumerate(claims, start=1):
            decision = services.check_claim(incident, ref=claim.get("ref", ""),
                                            birth_date=claim.get("birth_date", ""),
                                            name=claim.get("name", ""))
            out.append({"claim": number, "ref": claim.get("ref", ""),
                        "result": "accepted" if decision.accepted else "refused",
                        "code": decision.code, "reason": decision.reason})
            if record and decision.person is not None:
                PersonEvent.objects.create(person=decision.person, kind=EventKind.CLAIM,
                                           actor=actor, details={"accepted": decision.accepted,
                                                                 "code": decision.code})
        record_event(actor=actor, action="people.claims", incident_id=incident.pk,
                     details={"claims": len(out),
                              "accepted": sum(r["result"] == "accepted" for r in out)})
    return out


def print_rows(incident, *, only_unreached: bool = False) -> Iterator[tuple]:
    people = Person.objects.filter(incident=incident, has_postal=True).order_by("pk")
    if only_unreached:
        people = people.filter(notice_status__in=UNREACHED)
    labels = {i.id: i.label_ja for i in catalogue.CATALOGUE}
    for person in people.iterator(chunk_size=5_000):
        record = person.record()
        yield (record.ref, _postal(record.postal_code), record.address, record.name,
               "、".join(labels.get(i, i) for i in person.items),
               "確定" if person.confirmed else "可能性", person.controller)


def _postal(code: str) -> str:
    return f"{code[:3]}-{code[3:]}" if len(code) == 7 else code


def do_export_print_data(actor, incident, handle, *, only_unreached: bool = False) -> dict:
    """The print vendor's data (CP932 CSV) written to ``handle``; one audit event with the
    count (an export of personal data)."""
    _require(actor, incident, Need.EXPORT_PERSONAL)
    rows = 0

    def counted():
        nonlocal rows
        for row in print_rows(incident, only_unreached=only_unreached):
            rows += 1
            yield row

    replaced = write_excel_csv(handle, PRINT_HEADER, counted())
    with transaction.atomic():
        record_event(actor=actor, action="people.print_data", incident_id=incident.pk,
                     details={"rows": rows, "only_unreached": only_unreached,
                              "replaced_characters": replaced})
    return {"rows": rows, "replaced_characters": replaced}


def do_log_inquiry(actor, incident, *, person=None, category: str, answer: str = "",
                   escalated: bool = False, callback_due=None):
    """One call at the window; ``person`` only if the caller was verified. One audit event
    (the category and whether it was escalated: never what was said)."""
    from rouei.people.models import Inquiry

    _require(actor, incident, Need.ANSWER_WINDOW)
    if person is not None and person.incident_id != incident.pk:
        raise ActionError("wrong_person", "この事案の対象者ではありません")
    with transaction.atomic():
        inquiry = Inquiry.objects.create(incident=incident, person=person, operator=actor,
                                         category=category, answer=answer,
                                         escalated=escalated, callback_due=callback_due)
        if person is not None:
            PersonEvent.objects.create(person=person, kind=EventKind.INQUIRY, actor=actor,
                                       details={"inquiry": inquiry.pk, "category": category})
        record_event(actor=actor, action="people.inquiry", obj=inquiry, incident_id=incident.pk,
                     details={"category": category, "escalated": escalated,
                              "verified": person is not None})
    return inquiry
