"""Everything personal is encrypted at rest (issue 15, finding 4): a marker typed into every
free-text field where users write about people — through the pages and through the API — is
found nowhere in clear when every table of the database is read back with a plain cursor.

The raw read is ``SELECT * FROM`` each table that ``connection.introspection`` lists, so the test
runs unchanged on SQLite and PostgreSQL. The marker is ASCII because JSON columns escape other
characters (``\\u30de``) and would hide a Japanese marker even when stored in clear.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from rouei.api.actions import do_create_api_token
from rouei.core.crypto import encrypted_columns
from rouei.incidents.choices import Status
from rouei.incidents.models import Incident
from rouei.incidents.services import open_duties_of
from rouei.intake.models import Signal
from rouei.intake.permissions import ensure_intake_group
from rouei.playbooks.choices import DueRule
from rouei.playbooks.models import Task

pytestmark = pytest.mark.django_db(transaction=False)

MARKER = "QXZ7MARK"
TITLE = "ランサムウェア感染"  # a title is not about people: it stays searchable, in clear
# Encrypted columns the flows below cannot leave a marker in: ZIP passwords are emptied once
# the scan that needed them has run.
NOT_KEPT = {("scans.EvidenceScan", "zip_passwords")}


def m(tag: str) -> str:
    return f"{MARKER}-{tag}"


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    settings.ROUEI_EVIDENCE_DIR = tmp_path / "evidence"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _past(minutes: int = 60) -> str:
    return timezone.localtime(timezone.now() - dt.timedelta(minutes=minutes)).strftime(
        "%Y-%m-%dT%H:%M")


def _ok(response, status: int = 302) -> None:
    """A page's POST that worked redirects; the API answers 200 or 201."""
    errors = []
    if response.status_code != status and getattr(response, "context", None):
        form = response.context.get("form")
        errors = form.errors if form is not None else []
    assert response.status_code == status, (response.status_code, errors)


def _type_through_pages(client, user) -> None:
    _ok(client.post(reverse("incidents:create"), {
        "title": TITLE, "summary": m("incident-summary"), "organisation": ""}))
    incident = Incident.objects.get(title=TITLE)
    pk = incident.pk
    _ok(client.post(reverse("incidents:timeline_add", args=[pk]), {
        "kind": "action", "at": _past(), "text": m("timeline-text")}))
    entry = incident.timeline.get(kind="action")
    _ok(client.post(reverse("incidents:timeline_edit", args=[pk, entry.pk]), {
        "kind": "action", "at": _past(), "text": m("timeline-text-2"),
        "reason": m("timeline-reason")}))
    _ok(client.post(reverse("incidents:status", args=[pk]), {
        "status": Status.INVESTIGATING, "note": m("status-note")}))
    _ok(client.post(reverse("incidents:report_add", args=[pk]), {
        "kind": "preliminary", "filed_at": _past(30), "channel": "ppc_form",
        "receipt_number": "", "filed_by": str(user.pk), "note": m("report-note")}))

    upload = SimpleUploadedFile(f"{m('file-name')}.csv",
                                f"氏名,{m('column')}\n山田太郎,1\n".encode())
    _ok(client.post(reverse("evidence:upload", args=[pk]), {
        "file": upload, "description": m("evidence-description"),
        "collected_from": m("collected-from"), "collected_at": _past(),
        "collected_by_name": m("collected-by"), "purpose": m("collection-purpose")}))
    item = incident.evidence_items.get()
    _ok(client.post(reverse("evidence:custody", args=[pk, item.pk]), {
        "kind": "transferred", "at": _past(20), "from_person": m("custody-from"),
        "to_person": m("custody-to"), "purpose": m("custody-purpose"),
        "note": m("custody-note")}))
    _ok(client.post(reverse("evidence:download", args=[pk, item.pk]),
                    {"purpose": m("download-purpose")}), 200)
    _ok(client.post(reverse("evidence:notes", args=[pk]), {"body": m("note-body")}))
    note = incident.notes.get()
    _ok(client.post(reverse("evidence:note_edit", args=[pk, note.pk]),
                    {"body": m("note-body-2"), "expected_version": 1}))
    _ok(client.post(reverse("scans:start", args=[pk])))
    people = SimpleUploadedFile("people.csv", (
        f"氏名,メールアドレス,電話番号,{m('people-column')}\n"
        f"{m('person-name')},{MARKER.lower()}@example.jp,090-1234-5678,1\n").encode())
    _ok(client.post(reverse("people:import_upload", args=[pk]),
                    {"file": people, "on_error": "stop"}))
    job = incident.people_imports.get()
    _ok(client.post(reverse("people:import_detail", args=[pk, job.pk]), {"action": "start"}))
    found = client.post(reverse("people:window", args=[pk]),
                        {"action": "lookup", "phone": "090-1234-5678"})
    _ok(client.post(reverse("people:window", args=[pk]), {
        "action": "log", "caller": found.context["caller_token"], "category": "other",
        "answer": m("window-answer")}))
    _ok(client.post(reverse("people:requests", args=[pk]), {
        "action": "new", "kind": "disclosure", "channel": "letter",
        "received_on": timezone.localdate().isoformat(), "details": m("request-details")}))
    asked = incident.person_requests.get()
    _ok(client.post(reverse("people:requests", args=[pk]), {
        "action": "update", "request": asked.pk, f"r{asked.pk}-status": "answered",
        f"r{asked.pk}-identity_method": "", f"r{asked.pk}-outcome": m("request-outcome"),
        f"r{asked.pk}-replied_on": "", f"r{asked.pk}-expected_version": 1}))
    _ok(client.post(reverse("people:script", args=[pk]), {
        "entry-TOTAL_FORMS": "1", "entry-INITIAL_FORMS": "0", "expected_number": "0",
        "entry-0-q": m("script-question"), "entry-0-a": m("script-answer"),
        "note": m("script-note")}))
    measure_form = {"group": "technical", "title": "多要素認証の導入", "owner": "",
                    "due_date": "", "kpi": "", "done_on": "", "drop_reason": ""}
    _ok(client.post(reverse("prevention:add", args=[pk]), {
        **measure_form, "description": m("measure-description"), "status": "planned",
        "expected_version": 0}))
    measure = incident.measures.get()
    _ok(client.post(reverse("prevention:measure", args=[pk, measure.pk]), {
        "on": timezone.localdate().isoformat(), "note": m("measure-progress"),
        "status": "in_progress", "expected_version": measure.version}))
    measure.refresh_from_db()
    _ok(client.post(reverse("prevention:edit", args=[pk, measure.pk]), {
        **measure_form, "description": m("measure-description"), "status": "dropped",
        "drop_reason": m("measure-drop-reason"), "expected_version": measure.version}))

    _ok(client.post(reverse("estimates:spend", args=[pk]), {
        "spent_on": timezone.localdate().isoformat(), "category": "other", "amount": "1000",
        "note": m("spend-note")}))
    spent = incident.spends.get()
    _ok(client.post(reverse("estimates:spend_edit", args=[pk, spent.pk]), {
        "spent_on": timezone.localdate().isoformat(), "category": "other", "amount": "1000",
        "note": m("spend-note-2"), "expected_version": spent.version}))

    task = incident.tasks.exclude(due_rule=DueRule.NONE).filter(due_date__isnull=False).first()
    if task is None:  # no deadline known yet: any task takes a date by hand with a reason
        task = incident.tasks.first()
    _ok(client.post(reverse("playbooks:task_edit", args=[pk, task.pk]), {
        "status": task.status, "owner": "", "due_date": "2030-01-31",
        "due_reason": m("task-due-reason")}))
    other = incident.tasks.exclude(pk=task.pk).first()
    _ok(client.post(reverse("playbooks:task_complete", args=[pk, other.pk]),
                    {"note": m("task-done-note")}))
    duties = [d.code for d in open_duties_of(Incident.objects.get(pk=pk))]
    _ok(client.post(reverse("incidents:status", args=[pk]), {
        "status": Status.CLOSED, "note": "", "acknowledged_duties": duties,
        "close_reason": m("close-reason")}))

    signal_fields = {
        "kind": "complaint", "received_at": _past(), "channel": "phone",
        "subject": "見覚えのない会社からのDM", "reference": "",
        "complainant_name": m("complainant-name"),
        "complainant_contact": m("complainant-contact"),
        "suspicion_reason": m("suspicion"), "origin_reason": m("origin"),
        "sender_name": m("sender-name"), "sender_contact": m("sender-contact"),
        "notes": m("hearing-notes"), "items": ["person_name", "address"]}
    _ok(client.post(reverse("signals:create"), signal_fields))
    _ok(client.post(reverse("signals:create"), signal_fields))
    first, second = Signal.objects.order_by("pk")[:2]
    _ok(client.post(reverse("signals:status", args=[first.pk]), {
        "status": "dismissed", "reason": m("dismissed-reason")}))
    _ok(client.post(reverse("signals:open_incident", args=[second.pk])))


def _type_through_the_api(client, user) -> None:
    token = do_create_api_token(user, name="SIEM", actor=user).secret
    headers = {"Authorization": f"Bearer {token}"}

    def send(method: str, path: str, body: dict):
        response = getattr(client, method)(f"/api/v1{path}", data=json.dumps(body),
                                           content_type="application/json", headers=headers)
        _ok(response, 201 if method == "post" else 200)
        return response.json()

    created = send("post", "/incidents", {"title": TITLE, "summary": m("api-summary")})
    pk = created["id"]
    send("patch", f"/incidents/{pk}", {"summary": m("api-summary-2"),
                                       "expected_etag": created["etag"]})
    send("post", f"/incidents/{pk}/reports", {
        "kind": "preliminary", "filed_at": _past(30), "channel": "ppc_form",
        "note": m("api-report-note")})
    task = Task.objects.filter(incident_id=pk).first()
    send("patch", f"/incidents/{pk}/tasks/{task.pk}", {
        "due_date": "2030-02-28", "due_reason": m("api-task-due-reason")})
    send("post", "/signals", {
        "subject": "SIEM: 大量ダウンロード", "sender_name": m("api-sender-name"),
        "sender_contact": m("api-sender-contact"), "suspicion_reason": m("api-suspicion"),
        "origin_reason": m("api-origin"), "complainant_name": m("api-complainant-name"),
        "complainant_contact": m("api-complainant-contact"), "notes": m("api-notes")})


def _clear_text_hits() -> list[str]:
    """Every (table, column) whose raw value holds the marker, read with a plain cursor."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, memoryview):
                        value = value.tobytes()
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", "replace")
                    if MARKER in str(value):
                        hits.append(f"{table}.{column}")
    return sorted(set(hits))


def _as_text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


@pytest.fixture
def typed(client, user):
    ensure_intake_group().user_set.add(user)
    client.force_login(user)
    _type_through_pages(client, user)
    _type_through_the_api(client, user)


def test_every_encrypted_field_received_a_marker(typed):
    """The flows above reach every encrypted column (so the raw check below checks them all)."""
    missed = [f"{model._meta.label}.{name}" for model, name in encrypted_columns()
              if (model._meta.label, name) not in NOT_KEPT
              and not any(MARKER in _as_text(v) for v in
                          model._base_manager.values_list(name, flat=True))]
    assert not missed, "no marker in: " + ", ".join(missed)


def test_marker_typed_through_pages_and_api_is_nowhere_in_clear(typed):
    hits = _clear_text_hits()
    assert not hits, "in clear: " + ", ".join(hits)


def test_the_text_typed_reads_back_in_clear_through_the_models(typed):
    """Sanity of the raw read: the marker is there, only not in clear."""
    assert any(m("hearing-notes") == s.notes for s in Signal.objects.all())


# --- what was typed still reads back where people look for it ------------------------------

def _incident(summary_marker: str) -> Incident:
    return next(i for i in Incident.objects.all() if i.summary == summary_marker)


PAGES = [  # (what the page is, where it is, what it must show)
    ("incident page: summary", lambda: reverse("incidents:detail",
                                               args=[_incident(m("incident-summary")).pk]),
     m("incident-summary")),
    ("incident page: corrected timeline text", lambda: reverse(
        "incidents:detail", args=[_incident(m("incident-summary")).pk]), m("timeline-text-2")),
    ("incident page: status note", lambda: reverse(
        "incidents:detail", args=[_incident(m("incident-summary")).pk]), m("status-note")),
    ("incident page: close reason", lambda: reverse(
        "incidents:detail", args=[_incident(m("incident-summary")).pk]), m("close-reason")),
    ("notes page: the note", lambda: reverse(
        "evidence:notes", args=[_incident(m("incident-summary")).pk]), m("note-body-2")),
    ("notes page: the earlier version", lambda: reverse(
        "evidence:notes", args=[_incident(m("incident-summary")).pk]), m("note-body")),
    ("evidence item: custody names", lambda: reverse("evidence:item", args=[
        _incident(m("incident-summary")).pk,
        _incident(m("incident-summary")).evidence_items.get().pk]), m("custody-to")),
    ("evidence item: collector", lambda: reverse("evidence:item", args=[
        _incident(m("incident-summary")).pk,
        _incident(m("incident-summary")).evidence_items.get().pk]), m("collected-by")),
    ("spend page: the note", lambda: reverse(
        "estimates:spend", args=[_incident(m("incident-summary")).pk]), m("spend-note-2")),
    ("signals list: sender", lambda: reverse("signals:list"), m("sender-name")),
    ("signal page: sender's contact", lambda: reverse(
        "signals:detail", args=[Signal.objects.order_by("pk").first().pk]),
     m("sender-contact")),
    ("signal page: dismissed reason", lambda: reverse(
        "signals:detail", args=[Signal.objects.order_by("pk").first().pk]),
     m("dismissed-reason")),
]


@pytest.mark.parametrize(("page", "url", "text"), PAGES, ids=[p[0] for p in PAGES])
def test_pages_show_the_text_typed(typed, client, page, url, text):
    assert text in client.get(url()).content.decode()


def test_scan_page_shows_the_file_name_from_the_encrypted_report(typed, client):
    scan = _incident(m("incident-summary")).scans.get()
    page = client.get(reverse("scans:detail", args=[scan.incident_id, scan.pk]))
    assert m("file-name") in page.content.decode()


def test_api_returns_the_incident_summary(typed, client, user):
    token = do_create_api_token(user, name="read", actor=user).secret
    incident = _incident(m("api-summary-2"))
    body = client.get(f"/api/v1/incidents/{incident.pk}",
                      headers={"Authorization": f"Bearer {token}"}).json()
    assert body["summary"] == m("api-summary-2")


def test_api_returns_the_signal_sender_contact(typed, client, user):
    token = do_create_api_token(user, name="read", actor=user).secret
    signal = next(s for s in Signal.objects.all() if s.sender_contact == m("api-sender-contact"))
    body = client.get(f"/api/v1/signals/{signal.pk}",
                      headers={"Authorization": f"Bearer {token}"}).json()
    assert body["sender_contact"] == m("api-sender-contact")


def test_similar_signals_are_still_found_by_their_encrypted_sender(typed):
    """The two complaints from the same (encrypted) sender are suggested as alike."""
    from rouei.intake import services

    first, second = Signal.objects.order_by("pk")[:2]
    found = {s.signal.pk: s.same_sender for s in services.suggestions(first)}
    assert found.get(second.pk) is True


def test_signals_whose_sender_no_key_opens_are_not_alike_by_sender(user, settings):
    from cryptography.fernet import Fernet

    from rouei.intake import actions, services

    ensure_intake_group().user_set.add(user)
    settings.ROUEI_DATA_KEYS = [Fernet.generate_key().decode()]
    first, _other = (actions.do_record_signal(subject="DM", sender_name=name, actor=user)
                     for name in ("A社", "B社"))
    settings.ROUEI_DATA_KEYS = [Fernet.generate_key().decode()]  # the key is lost
    first = Signal.objects.get(pk=first.pk)
    assert [s.signal.pk for s in services.suggestions(first)] == []
