"""What people do with the registry; each audited, none with a personal value in the audit.

Who may do what (``rouei.core.access``): importing and the print data need
``EXPORT_PERSONAL`` (lead, legal); a look-up by the CLI or the API and the registry's counts
need ``VIEW_PERSONAL``; the contact window needs ``ANSWER_WINDOW`` (call-centre operators see
one verified caller at a time, never a list, and cannot export); claims need ``ANSWER_WINDOW``.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from rouei.core.access import Need, require_role
from rouei.core.audit import record_event, record_view
from rouei.core.errors import ActionError, Conflict
from rouei.core.versioning import save_if_current
from rouei.people import mailer, notices, services
from rouei.people.bounces import read_bounces, read_refs
from rouei.people.importing import ImportFileError, open_source
from rouei.people.imports import ImportResult, preview, run_import
from rouei.people.models import (
    EventKind,
    NoticeRun,
    NoticeSettings,
    NoticeStatus,
    Person,
    PersonEvent,
    RunStatus,
)
from rouei.people.registry import Query


def _require(actor, incident, need: Need) -> None:
    """The role check; ``actor=None`` is the command line on the server (``rouei people …``),
    whose user already holds the database and the keys, and is audited as such."""
    if actor is not None:
        require_role(actor, incident, need)


def _check_person(incident, person) -> None:
    if person is not None and person.incident_id != incident.pk:
        raise ActionError("wrong_person", "この事案の対象者ではありません")


LOOKUP_FACTS = ("ref", "phone", "email", "name", "kana", "birth_date", "address")

# The print vendor's columns (宛名印字データ): a header row, one row per person. The last two
# are sentences of the letter that differ by person (the 《placeholders》 of the template,
# ``print_template``): whether their items are confirmed or possible, and what they can do
# because of their items (card statements, passwords).
PRINT_HEADER = ("受付番号", "郵便番号", "住所", "氏名", "漏えいした項目", "確定/可能性", "委託元",
                "対象情報の状況", "個別のお願い")
UNREACHED = (NoticeStatus.NOT_NOTIFIED, NoticeStatus.EMAIL_BOUNCED)
# What a letter cannot go out without (the from-address is the e-mail's only).
LETTER_REQUIRED = tuple(n for n in notices.REQUIRED if n != "from_address")


def _open(path: Path, sheet: str | None = None):
    try:
        return open_source(path, sheet)
    except ImportFileError as exc:
        raise ActionError(exc.code, str(exc)) from None


def do_preview_import(actor, incident, path: Path, *, sheet: str | None = None) -> dict:
    """The header mapping and the first rows (masked): nothing is written. ``sheet``: the
    worksheet of a workbook (by default the first that lists people; the preview names it and
    lists them all)."""
    _require(actor, incident, Need.EXPORT_PERSONAL)
    result = preview(_open(path, sheet))
    record_view(actor=actor, what="people.import_preview", incident_id=incident.pk,
                details={"rows": len(result["first_rows"])})
    return result


def do_import_people(actor, incident, path: Path, *, on_error: str = "stop",
                     confirmed: bool = True, controller: str = "", progress=None,
                     import_id: int | None = None, sheet: str | None = None) -> ImportResult:
    """Every row of the file (of a workbook: of its worksheet ``sheet``, by default the
    first that lists people) into the registry, all or nothing (``rouei.people.imports``)."""
    _require(actor, incident, Need.EXPORT_PERSONAL)
    return run_import(incident, _open(path, sheet), actor=actor, on_error=on_error,
                      confirmed=confirmed, controller=controller, progress=progress,
                      import_id=import_id)


def _scan_source(actor, incident, scan, table_index: int):
    """A table of a finished scan of this incident, opened for import. Reading the evidence
    again needs the role that handles evidence as well as the one that exports people."""
    from rouei.people.from_scan import find_table, open_table
    from rouei.scans.models import ScanStatus

    _require(actor, incident, Need.EXPORT_PERSONAL)
    _require(actor, incident, Need.HANDLE_EVIDENCE)
    if scan.incident_id != incident.pk or scan.status != ScanStatus.DONE:
        raise ActionError("scan_not_done", "この事案の完了したスキャンではありません")
    try:
        table = find_table(scan.report, table_index)
        return table, open_table(scan, table)
    except ImportFileError as exc:
        raise ActionError(exc.code, str(exc)) from None


def do_preview_scan_import(actor, incident, scan, table_index: int) -> dict:
    """The mapping (the scan's classification) and the first rows (masked) of a table the scan
    found: nothing is written."""
    table, source = _scan_source(actor, incident, scan, table_index)
    result = preview(source) | {"file": table.place, "format": "scan"}
    record_view(actor=actor, what="people.import_preview", incident_id=incident.pk,
                details={"rows": len(result["first_rows"]), "scan": scan.pk,
                         "table": table_index})
    return result


def do_import_from_scan(actor, incident, scan, table_index: int, *, on_error: str = "stop",
                        confirmed: bool = True, controller: str = "", progress=None,
                        import_id: int | None = None) -> ImportResult:
    """Every row of a table the scan found into the registry, all or nothing."""
    _table, source = _scan_source(actor, incident, scan, table_index)
    return run_import(incident, source, actor=actor, on_error=on_error, confirmed=confirmed,
                      controller=controller, progress=progress, import_id=import_id)


def _given(facts: dict[str, str]) -> dict[str, str]:
    given = {k: v.strip() for k, v in facts.items() if k in LOOKUP_FACTS and v and v.strip()}
    if not given:
        raise ActionError("nothing_given", "受付番号・電話番号・メールアドレス・氏名と生年月日の"
                                           "いずれかを入力してください")
    if set(given) <= {"name", "kana"} or set(given) == {"birth_date"}:
        raise ActionError("name_needs_birth_date", "氏名で探すときは生年月日か住所も入力して"
                                                   "ください", field="birth_date")
    if set(given) <= {"address", "birth_date"}:  # an address is a household, not a person
        raise ActionError("address_needs_name", "住所で探すときは氏名も入力してください",
                          field="name")
    return given


def do_lookup(actor, incident, **facts: str) -> list[dict]:
    """People matching what was given (``rouei people lookup``, the API): reference, items,
    confirmed, masked contact data. One audit event naming which facts were searched by."""
    return _lookup(actor, incident, facts, key_rules=False)[0]


def do_lookup_with_staleness(actor, incident, **facts: str) -> tuple[list[dict], bool]:
    """``do_lookup`` and whether the registry's keys are stale (``maintenance.keys_are_stale``),
    its rules read in the search's round trip (the API's look-up)."""
    from rouei.people.maintenance import keys_are_stale

    matches, found = _lookup(actor, incident, facts, key_rules=True)
    return matches, keys_are_stale(incident, found.key_rules)


def _lookup(actor, incident, facts: dict[str, str], *, key_rules: bool
            ) -> tuple[list[dict], services.Found]:
    _require(actor, incident, Need.VIEW_PERSONAL)
    given = _given(facts)
    found = services.search(incident, Query.build(**given), key_rules=key_rules)
    record_view(actor=actor, what="people.lookup", incident_id=incident.pk,
                details={"by": sorted(given), "matches": len(found.people)})
    return [services.match_view(p) for p in found.people], found


def do_window_lookup(actor, incident, **facts: str) -> services.WindowAnswer:
    """The contact window's look-up (one caller): the person only at the verified tier."""
    _require(actor, incident, Need.ANSWER_WINDOW)
    given = _given(facts)
    answer = services.window_answer(incident, given)
    record_view(actor=actor, what="people.window_lookup", obj=answer.person,
                incident_id=incident.pk,
                details={"by": sorted(given), "tier": str(answer.tier)})
    return answer


def decide_claim(incident, claim: dict[str, str], *, channel: str, record: bool = True,
                 today=None) -> services.ClaimDecision:
    """One claim decided and, with ``record``, kept: a payout for an accepted one (the database
    refuses a second payout of the same person, even from two claims at once)."""
    from django.db import IntegrityError

    from rouei.people.models import Claim

    decision = services.check_claim(incident, ref=claim.get("ref", ""),
                                    birth_date=claim.get("birth_date", ""),
                                    name=claim.get("name", ""),
                                    today=today or timezone.localdate())
    if not record:
        return decision
    try:
        with transaction.atomic():
            Claim.objects.create(incident=incident, person=decision.person, channel=channel,
                                 accepted=decision.accepted, code=decision.code,
                                 amount=decision.amount, form=decision.form)
            if decision.person is not None:
                PersonEvent.objects.create(person=decision.person, kind=EventKind.CLAIM,
                                           details={"accepted": decision.accepted,
                                                    "code": decision.code})
    except IntegrityError:  # paid a moment ago by another claim
        return services.ClaimDecision(False, "already_claimed",
                                      "この受付番号の申請は受付済みです", decision.person)
    return decision


def do_check_claims(actor, incident, claims: list[dict[str, str]], *,
                    record: bool = True) -> list[dict]:
    """Each claim accepted or refused with a reason (a call centre's bulk file, the API);
    accepted ones recorded as payouts. One audit event with the counts."""
    from rouei.people.models import ClaimChannel

    _require(actor, incident, Need.ANSWER_WINDOW)
    out: list[dict] = []
    with transaction.atomic():
        for number, claim in enumerate(claims, start=1):
            decision = decide_claim(incident, claim, channel=ClaimChannel.WINDOW, record=record)
            out.append({"claim": number, "ref": claim.get("ref", ""),
                        "result": "accepted" if decision.accepted else "refused",
                        "code": decision.code, "reason": decision.reason,
                        "amount": decision.amount})
        record_event(actor=actor, action="people.claims", incident_id=incident.pk,
                     details={"claims": len(out),
                              "accepted": sum(r["result"] == "accepted" for r in out)})
    return out


def do_claim_by_form(incident, claim: dict[str, str]) -> services.ClaimDecision:
    """A claim through the public form (no login): recorded, and one audit event without a
    user and without the values typed (the result code only)."""
    from rouei.people.models import ClaimChannel

    with transaction.atomic():
        decision = decide_claim(incident, claim, channel=ClaimChannel.FORM)
        record_event(actor=None, action="people.claim_form", incident_id=incident.pk,
                     details={"result": decision.code})
    return decision


def letter_queue(incident, *, only_unreached: bool = False):
    """The people a letter can reach (a postal address on record); with ``only_unreached``,
    only those no other channel has reached (not notified, or their e-mail bounced)."""
    people = Person.objects.filter(incident=incident, has_postal=True).order_by("pk")
    if only_unreached:
        people = people.filter(notice_status__in=UNREACHED)
    return people


def do_export_print_data(actor, incident, handle, *, only_unreached: bool = False) -> dict:
    """The print vendor's data (CP932 CSV) written to ``handle``, in the letter queue's order,
    on every core for a large queue (``rouei.people.printdata``); one audit event with the
    count (an export of personal data)."""
    from rouei.people import printdata

    _require(actor, incident, Need.EXPORT_PERSONAL)
    result = printdata.write(handle, PRINT_HEADER, incident.pk, only_unreached=only_unreached)
    with transaction.atomic():
        record_event(actor=actor, action="people.print_data", incident_id=incident.pk,
                     details={"rows": result["rows"], "only_unreached": only_unreached,
                              "replaced_characters": result["replaced_characters"]})
    return result


def do_render_letters(actor, incident, handle, *, only_unreached: bool = False) -> dict:
    """The letters of the letter queue as one PDF written to ``handle`` (small batches: more
    than ``ROUEI_LETTER_PDF_MAX`` people go to a print vendor with ``print-data``). Each
    person's history records the letter printed with the SHA-256 of its text; one audit event
    with the count. A letter never goes out with the sender or the window left unset."""
    from rouei.documents.renderers.letters import Letter, render_letters

    _require(actor, incident, Need.EXPORT_PERSONAL)
    texts = notices.IncidentTexts.build(incident)
    unset = [name for name in LETTER_REQUIRED
             if not getattr(notices.settings_of(incident), name).strip()]
    if unset:
        raise ActionError("letter_settings_missing",
                          "通知の設定で次を入力してから手紙を作成してください: "
                          + "、".join(notices.UNSET_LABELS[name] for name in unset),
                          missing=unset)
    people = letter_queue(incident, only_unreached=only_unreached)
    limit = settings.ROUEI_LETTER_PDF_MAX
    count = people.count()
    if not count:
        raise ActionError("no_letters", "手紙を送る対象者がいません（郵便の宛先がある未通知の人）")
    if count > limit:
        raise ActionError("too_many_letters",
                          f"PDF の手紙は {limit:,} 人までです（対象 {count:,} 人）。多い場合は"
                          "印刷業者向けデータ（rouei people print-data）を使ってください",
                          count=count, limit=limit)
    letters, events = [], []
    for person in people.iterator(chunk_size=1_000):
        body = notices.render(notices.LETTER_TEMPLATE, texts, notices.Addressee.of(person))
        letters.append(Letter(text=body, ref=person.record().ref))
        events.append(PersonEvent(person=person, kind=EventKind.LETTER_PRINTED,
                                  actor=actor, details={"channel": "letter",
                                                        "sha256": notices.body_digest(body)}))
    data = render_letters(letters)
    with transaction.atomic():
        PersonEvent.objects.bulk_create(events, batch_size=1_000)
        record_event(actor=actor, action="people.letters_pdf", incident_id=incident.pk,
                     details={"letters": len(letters), "only_unreached": only_unreached,
                              "bytes": len(data)})
    handle.write(data)
    return {"letters": len(letters), "bytes": len(data)}


def do_log_inquiry(actor, incident, *, person=None, category: str, answer: str = "",
                   escalated: bool = False, callback_due=None):
    """One call at the window; ``person`` only if the caller was verified. One audit event
    (the category and whether it was escalated: never what was said)."""
    from rouei.people.models import Inquiry

    _require(actor, incident, Need.ANSWER_WINDOW)
    _check_person(incident, person)
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


# --- notices (法26条2項, 規則10条): settings, e-mail runs, bounces, letters ---------------------

NOTICE_SETTING_FIELDS = ("sender_name", "from_address", "subject", "window_name",
                         "window_phone", "window_hours", "what_happened", "cause",
                         "secondary_damage", "secondary_damage_text", "measures", "compensation")


def do_update_notice_settings(actor, incident, values: dict, *,
                              expected_version: int | None = None) -> NoticeSettings:
    """The incident's notice settings saved (Need.PUBLISH); one audit event with the digests of
    before and after. A form loaded at an older version is refused (a colleague's edit)."""
    _require(actor, incident, Need.PUBLISH)
    with transaction.atomic():
        row, _created = NoticeSettings.objects.select_for_update().get_or_create(
            incident=incident)
        before = {f: getattr(row, f) for f in NOTICE_SETTING_FIELDS}
        changed = save_if_current(
            row, {name: values[name] or "" for name in NOTICE_SETTING_FIELDS if name in values},
            expected_version=expected_version,
            stale=lambda: Conflict("stale_notice_settings",
                                   "ほかの人が先に通知の設定を保存しました。読み込み直してください"))
        if not changed:
            return row
        after = {f: getattr(row, f) for f in NOTICE_SETTING_FIELDS}
        record_event(actor=actor, action="people.notice_settings", obj=row,
                     incident_id=incident.pk, before=before, after=after,
                     details={"changed": changed})
    return row


def notice_preview(actor, incident, *, channel: str = "email") -> dict | None:
    """One person's notice, masked (name, address and reference number starred), for the
    settings page and ``notify --dry-run``: the next person a run would e-mail, else the first
    person. Audited as a view of that person's (masked) record."""
    person = (mailer.eligible(incident).order_by("pk").first()
              or Person.objects.filter(incident=incident).order_by("pk").first())
    if person is None:
        return None
    texts = notices.IncidentTexts.build(incident)
    addressee = notices.Addressee.of(person, masked=True)
    template = notices.EMAIL_TEMPLATE if channel == "email" else notices.LETTER_TEMPLATE
    record_view(actor=actor, what="people.notice_preview", obj=person,
                incident_id=incident.pk, details={"channel": channel})
    return {"subject": texts.subject, "body": notices.render(template, texts, addressee)}


def do_plan_email_notices(actor, incident, *, limit: int | None = None) -> dict:
    """What a run would do (``notify --dry-run``): how many it would send, the settings still
    missing, and one masked preview. Writes nothing but the view's audit event."""
    _require(actor, incident, Need.PUBLISH)
    count = mailer.eligible(incident).count()
    return {"would_send": min(count, limit) if limit is not None else count,
            "missing_settings": notices.missing_settings(notices.settings_of(incident)),
            "rate_per_minute": settings.ROUEI_NOTICE_EMAILS_PER_MINUTE,
            "preview": notice_preview(actor, incident)}


def do_start_email_notices(actor, incident, *, limit: int | None = None,
                           enqueue: bool = True) -> NoticeRun:
    """A send run created (Need.PUBLISH) and queued for the workers, in
    ``ROUEI_NOTICE_SEND_TASKS`` parts (``enqueue=False``: one part the caller runs, ``rouei
    people notify --now``). Refused while the notice settings lack the
    sender, the from-address or the window, and while another run is sending."""
    from rouei.people.jobs import send_notice_emails

    _require(actor, incident, Need.PUBLISH)
    missing = notices.missing_settings(notices.settings_of(incident))
    if missing:
        raise ActionError("notice_settings_incomplete",
                          "通知の設定（差出人・送信元アドレス・窓口の電話番号と受付時間）を先に"
                          "入力してください", missing=missing)
    if limit is not None and limit < 1:
        raise ActionError("bad_limit", "--limit は1以上です", field="limit")
    busy = NoticeRun.objects.filter(
        incident=incident, status__in=(RunStatus.QUEUED, RunStatus.RUNNING),
        updated_at__gte=timezone.now() - mailer.STALE_AFTER)
    if busy.exists():
        raise Conflict("notice_run_busy", "この事案の通知メールは送信中です。終わってから"
                                          "もう一度実行してください")
    # Queued, the run is split into parts that several workers send side by side; run here
    # (``--now``), it is one part.
    run = NoticeRun.objects.create(incident=incident, started_by=actor, limit=limit,
                                   parts=settings.ROUEI_NOTICE_SEND_TASKS if enqueue else 1)
    if enqueue:
        for part in range(run.parts):
            send_notice_emails.enqueue(run.pk, part)
        run.refresh_from_db()
    return run


def _moved(person: Person, to: str, kind: str, actor, allowed: tuple[str, ...],
           details: dict) -> bool:
    """``person`` moved to ``to`` when their notice status is one of ``allowed`` (a later
    channel's success is never undone); the event is recorded either way."""
    moved = bool(Person.objects.filter(pk=person.pk, notice_status__in=allowed)
                 .update(notice_status=to, updated_at=timezone.now()))
    PersonEvent.objects.create(person=person, kind=kind, actor=actor,
                               details={**details, "status_changed": moved})
    return moved


def do_record_bounces(actor, incident, path: Path) -> dict:
    """Bounced addresses (a list or DSN messages) → those people to ``email_bounced``, the
    letter queue (only from ``emailed`` or ``not_notified``). One audit event with counts."""
    _require(actor, incident, Need.PUBLISH)
    found, bad = read_bounces(path)
    result = {"addresses": len(found), "matched": 0, "moved": 0, "unknown": 0,
              "bad_lines": [{"line": b.line, "reason": b.reason} for b in bad]}
    with transaction.atomic():
        for bounce in found:
            people = services.find(incident, Query.build(email=bounce.address))
            people = [p for p in people if p.has_email]
            if not people:
                result["unknown"] += 1
                continue
            for person in people:
                result["matched"] += 1
                result["moved"] += _moved(
                    person, NoticeStatus.EMAIL_BOUNCED, EventKind.EMAIL_BOUNCED, actor,
                    (NoticeStatus.EMAILED, NoticeStatus.NOT_NOTIFIED),
                    {"channel": "email", "source": bounce.source, "status": bounce.status})
        record_event(actor=actor, action="people.bounces", incident_id=incident.pk,
                     details={k: v for k, v in result.items() if k != "bad_lines"}
                     | {"bad_lines": len(bad)})
    return result


def _record_letters(actor, incident, path: Path, *, to: str, kind: str,
                    allowed: tuple[str, ...], action: str) -> dict:
    from rouei.people.payouts import automatic_policy, pay_with_notice

    refs, bad = read_refs(path)
    result = {"refs": len(refs), "matched": 0, "moved": 0, "unknown": 0, "paid": 0,
              "bad_lines": [{"line": b.line, "reason": b.reason} for b in bad]}
    # A letter mailed carries the compensation of an automatic policy (the voucher enclosed).
    policy = automatic_policy(incident) if to == NoticeStatus.LETTER_SENT else None
    with transaction.atomic():
        for ref in refs:
            people = services.find(incident, Query.build(ref=ref))
            if not people:
                result["unknown"] += 1
                continue
            for person in people:
                result["matched"] += 1
                moved = _moved(person, to, kind, actor, allowed, {"channel": "letter"})
                result["moved"] += moved
                if moved:
                    result["paid"] += bool(pay_with_notice(person, policy, actor=actor,
                                                           channel="letter"))
        record_event(actor=actor, action=action, incident_id=incident.pk,
                     details={k: v for k, v in result.items() if k != "bad_lines"}
                     | {"bad_lines": len(bad)})
    return result


def do_record_letters_sent(actor, incident, path: Path) -> dict:
    """Letters mailed (the print vendor's file, or reference numbers) → ``letter_sent``
    (not over a notice by e-mail that arrived)."""
    _require(actor, incident, Need.PUBLISH)
    return _record_letters(actor, incident, path, to=NoticeStatus.LETTER_SENT,
                           kind=EventKind.LETTER_SENT, action="people.letters_sent",
                           allowed=(NoticeStatus.NOT_NOTIFIED, NoticeStatus.EMAIL_BOUNCED,
                                    NoticeStatus.LETTER_RETURNED, NoticeStatus.UNREACHABLE))


def do_record_returned_letters(actor, incident, path: Path) -> dict:
    """Letters returned (宛所不明), by reference number → ``letter_returned`` (a person whose
    e-mail arrived stays notified; the return is recorded in their history)."""
    _require(actor, incident, Need.PUBLISH)
    return _record_letters(actor, incident, path, to=NoticeStatus.LETTER_RETURNED,
                           kind=EventKind.LETTER_RETURNED, action="people.letters_returned",
                           allowed=(NoticeStatus.LETTER_SENT, NoticeStatus.NOT_NOTIFIED,
                                    NoticeStatus.EMAIL_BOUNCED))


def unreached_people(incident):
    """People no channel reached (法26条2項 ただし書: the substitute measure — a public notice
    or the contact window — is for them): a letter returned or marked unreachable, a bounced
    e-mail and no postal address, or neither an e-mail nor a postal address."""
    return Person.objects.filter(incident=incident).filter(
        Q(notice_status__in=(NoticeStatus.LETTER_RETURNED, NoticeStatus.UNREACHABLE))
        | Q(notice_status=NoticeStatus.EMAIL_BOUNCED, has_postal=False)
        | Q(notice_status=NoticeStatus.NOT_NOTIFIED, has_email=False, has_postal=False))


def do_list_unreachable(actor, incident, *, mark: bool = False) -> dict:
    """The count and reference numbers of the people no channel reached, by status; with
    ``mark``, their status becomes ``unreachable`` (the substitute measure applies to them).
    One audit event (counts only)."""
    _require(actor, incident, Need.EXPORT_PERSONAL if not mark else Need.PUBLISH)
    by_status: dict[str, int] = {}
    refs: list[str] = []
    marked = 0
    with transaction.atomic():
        for person in unreached_people(incident).order_by("pk").iterator(chunk_size=2_000):
            refs.append(person.record().ref)
            by_status[person.notice_status] = by_status.get(person.notice_status, 0) + 1
            if mark and person.notice_status != NoticeStatus.UNREACHABLE:
                marked += _moved(person, NoticeStatus.UNREACHABLE, EventKind.MARKED_UNREACHABLE,
                                 actor, (person.notice_status,), {"channel": "none"})
        record_event(actor=actor, action="people.unreachable", incident_id=incident.pk,
                     details={"count": len(refs), "by_status": by_status, "marked": marked})
    return {"count": len(refs), "by_status": by_status, "marked": marked, "refs": refs}


def print_template(incident) -> str:
    """The print vendor's letter template: ``letter.txt`` with 《column》 placeholders of the
    print data (the same words as the e-mail and the PDF letters)."""
    columns = dict(zip(("ref", "postal_code", "address", "name", "items", "certainty",
                        "personal_advice"),
                       (PRINT_HEADER[0], PRINT_HEADER[1], PRINT_HEADER[2], PRINT_HEADER[3],
                        PRINT_HEADER[4], PRINT_HEADER[7], PRINT_HEADER[8]), strict=True))
    return notices.render(notices.LETTER_TEMPLATE, notices.IncidentTexts.build(incident),
                          notices.Addressee.placeholders(columns))


def do_write_print_template(actor, incident, handle) -> dict:
    """The print vendor's template written to ``handle`` in CP932 with CRLF (as the data);
    characters CP932 lacks become "?" and are counted. One audit event."""
    _require(actor, incident, Need.EXPORT_PERSONAL)
    text = print_template(incident).replace("\n", "\r\n")
    encoded = text.encode("cp932", errors="replace")
    replaced = sum(1 for c in text if not _in_cp932(c))
    handle.write(encoded)
    with transaction.atomic():
        record_event(actor=actor, action="people.print_template", incident_id=incident.pk,
                     details={"replaced_characters": replaced})
    return {"characters": len(text), "replaced_characters": replaced}


def _in_cp932(char: str) -> bool:
    try:
        char.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


def do_save_compensation_policy(actor, incident, *, expected_version: int | None = None,
                                **fields):
    """Create or change the incident's compensation policy (PUBLISH: lead, legal, PR). A form
    opened before a colleague's save is refused (409) instead of overwriting it. One audit
    event with the fields that changed."""
    import secrets

    from rouei.people.models import CompensationPolicy

    _require(actor, incident, Need.PUBLISH)
    with transaction.atomic():
        policy = (CompensationPolicy.objects.select_for_update().filter(incident=incident)
                  .first())
        if policy is None:
            policy = CompensationPolicy(incident=incident, public_token=secrets.token_urlsafe(16),
                                        version=0)
            expected_version = None  # the first save creates it
        changed = save_if_current(
            policy, fields, expected_version=expected_version,
            stale=lambda: Conflict("stale_policy", "先に他の人が補償方針を変更しました。内容を"
                                                   "確認してからもう一度保存してください"))
        if not changed:
            return policy
        record_event(actor=actor, action="people.compensation_policy", obj=policy,
                     incident_id=incident.pk, details={"changed": sorted(changed),
                                                       "mode": policy.mode})
    return policy


def request_due_on(received_on):
    """rouei's target for an answer: the law says "without delay" (遅滞なく, 法33条2項・34条3項・
    35条7項) and fixes no number of days."""
    import datetime as dt

    return received_on + dt.timedelta(days=int(getattr(settings, "ROUEI_REQUEST_DUE_DAYS", 14)))


def do_record_request(actor, incident, *, kind: str, channel: str, received_on, person=None,
                      details: str = ""):
    """A request from an individual received (開示等の請求). ANSWER_WINDOW: operators record what
    callers ask; the due date is rouei's target. One audit event (kind and channel)."""
    from rouei.people.models import PersonRequest

    _require(actor, incident, Need.ANSWER_WINDOW)
    _check_person(incident, person)
    with transaction.atomic():
        request = PersonRequest.objects.create(
            incident=incident, person=person, kind=kind, channel=channel,
            received_on=received_on, due_on=request_due_on(received_on), details=details,
            received_by=actor)
        if person is not None:
            PersonEvent.objects.create(person=person, kind=EventKind.REQUEST, actor=actor,
                                       details={"request": request.pk, "kind": kind})
        record_event(actor=actor, action="people.request", obj=request, incident_id=incident.pk,
                     details={"kind": kind, "channel": channel,
                              "identified": person is not None})
    return request


def do_update_request(actor, request, *, expected_version: int, **fields):
    """The identity verification, the outcome and the reply of a request (VIEW_PERSONAL: the
    lead, legal and forensics see what was asked). A stale form is refused (409)."""
    from rouei.people.models import PersonRequest

    _require(actor, request.incident, Need.VIEW_PERSONAL)
    with transaction.atomic():
        row = PersonRequest.objects.select_for_update().get(pk=request.pk)
        changed = save_if_current(
            row, fields, expected_version=expected_version,
            stale=lambda: Conflict("stale_request", "先に他の人がこの請求を更新しました。内容を"
                                                    "確認してからもう一度保存してください"))
        if not changed:
            return row
        record_event(actor=actor, action="people.request_update", obj=row,
                     incident_id=row.incident_id,
                     details={"changed": changed, "status": row.status})
    return row


def current_script(incident):
    """(entries, version): the newest saved version of the window's talk script, or the draft
    generated from the incident (version ``None``) while none is saved."""
    from rouei.people.models import ScriptVersion
    from rouei.people.window import generated_script

    latest = ScriptVersion.objects.filter(incident=incident).first()
    if latest is None:
        return generated_script(incident), None
    return latest.entries, latest


def do_save_script(actor, incident, entries: list[dict[str, str]], *,
                   expected_number: int, note: str = ""):
    """A new version of the window's talk script (PUBLISH: lead, legal, PR). ``expected_number``
    is the version the form was loaded at (0: the generated draft); a form loaded before a
    colleague's save is refused (409). One audit event with the number and the SHA-256."""
    from rouei.people.models import ScriptVersion
    from rouei.people.window import digest

    _require(actor, incident, Need.PUBLISH)
    entries = [{"q": e["q"].strip(), "a": e["a"].strip()} for e in entries
               if e.get("q", "").strip() or e.get("a", "").strip()]
    if not entries:
        raise ActionError("empty_script", "質問と回答を1つ以上入力してください")
    if any(not e["q"] or not e["a"] for e in entries):
        raise ActionError("incomplete_entry", "質問と回答は対にして入力してください")
    with transaction.atomic():
        incident_model = type(incident)
        incident_model.objects.select_for_update().filter(pk=incident.pk).first()  # one writer
        latest = ScriptVersion.objects.filter(incident=incident).first()
        number = latest.number if latest else 0
        if number != expected_number:
            raise Conflict("stale_script", "先に他の人が応対スクリプトを保存しました（第"
                                           f"{number}版）。内容を確認してからもう一度保存してください")
        if latest is not None and latest.entries == entries:
            return latest
        version = ScriptVersion.objects.create(
            incident=incident, number=number + 1, entries=entries, note=note.strip(),
            sha256=digest(entries), created_by=actor)
        record_event(actor=actor, action="people.script", obj=version, incident_id=incident.pk,
                     details={"number": version.number, "sha256": version.sha256,
                              "entries": len(entries)})
    return version
