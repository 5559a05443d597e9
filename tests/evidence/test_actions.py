"""The evidence actions: one audit event each, roles, the chain of custody, notes' versions."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from rouei.core.audit import verify_chain
from rouei.core.errors import ActionError
from rouei.core.models import AuditEvent
from rouei.evidence import actions, store
from rouei.evidence.models import AppendOnly, Blob, CustodyEvent, EvidenceItem, Note
from tests.evidence.conftest import COLLECTED_AT, LOG

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 20, 14, 0, tzinfo=dt.UTC)


def _events(incident, action):
    return list(AuditEvent.objects.filter(incident_id=incident.pk, action=action))


def test_add_evidence_stores_blob_item_first_custody_link_and_one_audit_event(incident, user,
                                                                              add_item):
    item = add_item(LOG, name="access.log")
    assert item.sha256 == hashlib.sha256(LOG).hexdigest() and item.size == len(LOG)
    assert item.detected_type == "text" and item.media_type == "text/plain"
    assert store.blob_path(item.sha256).read_bytes() == LOG
    [link] = item.custody_events.all()
    assert (link.kind, link.at, link.to_person, link.from_person) == (
        "collected", COLLECTED_AT, "tanaka", "web01 /var/log/nginx")
    [event] = _events(incident, "evidence.add")
    assert event.details == {"item_id": item.pk, "sha256": item.sha256, "size": len(LOG),
                             "type": "text", "new_blob": True}
    assert "access.log" not in str(event.details)  # names are not audit data
    assert verify_chain() is None


def test_add_evidence_same_content_twice_is_one_blob_and_two_items(incident, add_item,
                                                                   evidence_dir):
    first, second = add_item(LOG, name="a.log"), add_item(LOG, name="b.log")
    assert first.blob_id == second.blob_id and Blob.objects.count() == 1
    assert EvidenceItem.objects.count() == 2
    assert [p.name for p in evidence_dir.rglob("*") if p.is_file()] == [first.sha256]
    assert [e.details["new_blob"] for e in _events(incident, "evidence.add")] == [True, False]


@pytest.mark.parametrize("name", ["../../etc/passwd", "..\\..\\windows\\win.ini",
                                  "顧客リスト（流出分）2026年11月.xlsx", "/etc/shadow"])
def test_add_evidence_keeps_the_name_as_text_and_never_as_a_path(add_item, evidence_dir, name):
    item = add_item(b"content of " + name.encode(), name=name)
    assert EvidenceItem.objects.get(pk=item.pk).original_name == name
    files = [p for p in evidence_dir.rglob("*") if p.is_file()]
    assert files == [store.blob_path(item.sha256)]


def test_add_evidence_name_control_characters_dropped():
    assert actions.clean_name("a\r\nContent-Type: x\x00.txt") == "aContent-Type: x.txt"
    assert actions.clean_name("") == "unnamed" and len(actions.clean_name("あ" * 300)) == 255


@pytest.mark.parametrize("role", ["viewer"])
def test_add_evidence_viewer_refused_and_nothing_kept(incident, member, add_item, evidence_dir,
                                                      role):
    with pytest.raises(PermissionDenied):
        add_item(LOG, actor=member(role), collected_by_user=None, collected_by_name="x")
    assert not EvidenceItem.objects.exists() and not Blob.objects.exists()
    assert [p for p in evidence_dir.rglob("*") if p.is_file()] == []


def test_add_evidence_outsider_refused(outsider, add_item):
    with pytest.raises(PermissionDenied):
        add_item(LOG, actor=outsider, collected_by_user=None, collected_by_name="x")


def test_add_evidence_collector_must_be_named(add_item):
    with pytest.raises(ActionError) as exc:
        add_item(LOG, collected_by_user=None, collected_by_name=" ")
    assert exc.value.code == "collector_required"


def test_evidence_records_are_append_only(add_item):
    item = add_item()
    with pytest.raises(AppendOnly):
        item.save()
    with pytest.raises(AppendOnly):
        EvidenceItem.objects.filter(pk=item.pk).update(description="x")
    with pytest.raises(AppendOnly):
        item.custody_events.first().delete()
    with pytest.raises(AppendOnly):
        CustodyEvent.objects.all().delete()


def test_custody_event_forensics_records_a_hand_over(incident, member, add_item):
    item = add_item()
    examiner = member("forensics")
    event = actions.do_add_custody_event(item, kind="transferred", at=AT, from_person="田中",
                                         to_person="デモフォレンジック社 佐藤",
                                         purpose="解析", actor=examiner)
    assert [e.kind for e in item.custody_events.all()] == ["collected", "transferred"]
    [audit] = _events(incident, "evidence.custody")
    assert audit.details == {"item_id": item.pk, "kind": "transferred"} and event.actor == examiner


@pytest.mark.parametrize("role", ["pr", "call_centre", "viewer"])
def test_custody_event_other_roles_refused(member, add_item, role):
    item = add_item()
    with pytest.raises(PermissionDenied):
        actions.do_add_custody_event(item, kind="accessed", at=AT, purpose="x",
                                     actor=member(role))


def test_custody_event_hand_over_needs_both_persons_and_system_kinds_are_refused(user,
                                                                                  add_item):
    item = add_item()
    with pytest.raises(ActionError) as exc:
        actions.do_add_custody_event(item, kind="transferred", at=AT, to_person="佐藤",
                                     purpose="解析", actor=user)
    assert exc.value.code == "persons_required"
    with pytest.raises(ActionError) as exc:
        actions.do_add_custody_event(item, kind="verified", at=AT, purpose="x", actor=user)
    assert exc.value.code == "system_kind"


def test_access_evidence_opens_the_blob_and_records_access(incident, user, add_item):
    item = add_item()
    access = actions.do_access_evidence(item, purpose="解析のため", actor=user)
    with access.file:
        assert access.file.read() == LOG
    assert access.event.kind == "accessed" and access.event.purpose == "解析のため"
    [audit] = _events(incident, "evidence.download")
    assert audit.details == {"item_id": item.pk, "sha256": item.sha256}


@pytest.mark.parametrize("role, allowed", [("legal", True), ("forensics", True), ("pr", False),
                                           ("call_centre", False), ("viewer", False)])
def test_access_evidence_is_for_lead_legal_and_forensics(member, add_item, role, allowed):
    item = add_item()
    if allowed:
        actions.do_access_evidence(item, purpose="確認", actor=member(role)).file.close()
    else:
        with pytest.raises(PermissionDenied):
            actions.do_access_evidence(item, purpose="確認", actor=member(role))
        assert not item.custody_events.filter(kind="accessed").exists()


def test_verify_evidence_intact_then_tampered_then_missing(incident, user, add_item):
    item = add_item()
    assert actions.do_verify_evidence(item, actor=user).result == "ok"
    path = store.blob_path(item.sha256)
    path.chmod(0o640)
    path.write_bytes(LOG.replace(b"203.0.113.7", b"198.51.100.1"))
    event = actions.do_verify_evidence(item, actor=user)
    assert event.result == "mismatch" and event.failed
    assert event.observed_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    path.unlink()
    assert actions.do_verify_evidence(item, actor=user).result == "missing"
    assert [e.details["result"] for e in _events(incident, "evidence.verify")] == [
        "ok", "mismatch", "missing"]


def test_verify_evidence_viewer_refused(member, add_item):
    item = add_item()
    with pytest.raises(PermissionDenied):
        actions.do_verify_evidence(item, actor=member("viewer"))


def test_add_evidence_from_stream_over_the_limit_refused(settings, add_item, evidence_dir):
    settings.ROUEI_EVIDENCE_MAX_BYTES = 10
    with pytest.raises(store.TooLarge):
        add_item(b"x" * 11)
    assert not EvidenceItem.objects.exists()


def test_note_add_and_edit_keeps_the_earlier_text(incident, user):
    note = actions.do_add_note(incident, body="初版", actor=user)
    note = actions.do_edit_note(note, body="第2版", expected_version=1, actor=user)
    assert (note.body, note.version) == ("第2版", 2)
    assert [(r["version"], r["body"], r["by"]) for r in note.revisions] == [(1, "初版", user.pk)]
    assert [e.details for e in AuditEvent.objects.filter(action__startswith="note.")] == [
        {"note_id": note.pk, "version": 1}, {"note_id": note.pk, "version": 2}]


def test_note_edit_from_an_old_version_is_refused(incident, user):
    note = actions.do_add_note(incident, body="初版", actor=user)
    actions.do_edit_note(note, body="第2版", expected_version=1, actor=user)
    with pytest.raises(actions.NoteConflict):
        actions.do_edit_note(note, body="別の第2版", expected_version=1, actor=user)
    assert Note.objects.get(pk=note.pk).body == "第2版"


def test_note_edit_only_author_or_lead(incident, user, member):
    legal, pr = member("legal"), member("pr")
    note = actions.do_add_note(incident, body="法務メモ", actor=legal)
    with pytest.raises(ActionError) as exc:
        actions.do_edit_note(note, body="x", expected_version=1, actor=pr)
    assert exc.value.code == "not_author"
    assert actions.do_edit_note(note, body="責任者が追記", expected_version=1, actor=user).version == 2


def test_note_viewer_cannot_write(incident, member):
    with pytest.raises(PermissionDenied):
        actions.do_add_note(incident, body="x", actor=member("viewer"))


def test_ingest_then_add_reads_any_stream(incident, user):
    pending = store.ingest(io.BytesIO(b"%PDF-1.7 report"))
    item = actions.do_add_evidence(incident, pending, original_name="報告書.pdf",
                                   description="報告書", collected_from="メール添付",
                                   collected_at=COLLECTED_AT, collected_by_name="外部",
                                   actor=user)
    assert item.detected_type == "pdf" and item.collected_by == "外部"


# --- dates in the future (issue 11, guard rail 2) ------------------------------------------------

def test_do_add_evidence_collected_in_the_future_is_refused(add_item):
    tomorrow = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ActionError) as caught:
        add_item(collected_at=tomorrow)
    assert caught.value.code == "future_date"


def test_do_add_evidence_collected_in_the_future_keeps_nothing(add_item, evidence_dir):
    with pytest.raises(ActionError):
        add_item(collected_at=timezone.now() + dt.timedelta(days=1))
    assert (EvidenceItem.objects.count(), Blob.objects.count()) == (0, 0)


def test_do_add_evidence_collected_within_the_clock_skew_is_registered(add_item):
    item = add_item(collected_at=timezone.now() + dt.timedelta(minutes=5))
    assert item.pk is not None
