"""The signal pages: 404 without the view permission, masked personal data with an audited
reveal, the warning, one-step open and join, and the incident page's include."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from rouei.core.access import Role, access_incident
from rouei.core.models import AuditEvent
from rouei.incidents import actions as incident_actions
from rouei.incidents.models import Incident
from rouei.intake.choices import SignalStatus
from rouei.intake.models import Signal
from rouei.intake.permissions import INTAKE_GROUP
from tests.intake.conftest import T0

pytestmark = pytest.mark.django_db

WARNING = "類似の苦情が3件あります。漏えいの可能性があります。社内調査の開始を検討してください。"


def _pages(pk: int) -> list[tuple[str, str]]:
    return [("get", "/signals/"), ("get", "/signals/new/"), ("post", "/signals/new/"),
            ("get", f"/signals/{pk}/"), ("post", f"/signals/{pk}/reveal/"),
            ("get", f"/signals/{pk}/edit/"), ("post", f"/signals/{pk}/status/"),
            ("post", f"/signals/{pk}/link/"), ("post", f"/signals/{pk}/open-incident/"),
            ("post", f"/signals/{pk}/join-incident/"), ("get", f"/signals/{pk}/open-incident/")]


@pytest.fixture
def intake_client(client, intake):
    client.force_login(intake)
    return client


def test_intake_group_from_migration_has_the_three_permissions(django_user_model):
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=INTAKE_GROUP)
    assert set(group.permissions.values_list("codename", flat=True)) == {
        "view_signal", "add_signal", "change_signal"}


def test_every_signal_page_without_view_permission_is_404(record, client, make_user):
    signal = record()
    client.force_login(make_user("sales"))
    for method, url in _pages(signal.pk):
        assert getattr(client, method)(url).status_code == 404, url
    assert client.get("/signals/999999/").status_code == 404
    signal.refresh_from_db()
    assert signal.incident_id is None
    assert not AuditEvent.objects.filter(action__in=["signal.view", "signal.reveal"]).exists()


def test_view_only_user_sees_but_cannot_change(record, client, make_user):
    from django.contrib.auth.models import Permission

    signal = record()
    viewer = make_user("auditor")
    viewer.user_permissions.add(Permission.objects.get(codename="view_signal"))
    client.force_login(viewer)
    assert client.get(f"/signals/{signal.pk}/").status_code == 200
    assert client.get("/signals/new/").status_code == 403
    assert client.post(f"/signals/{signal.pk}/open-incident/").status_code == 403
    assert not Incident.objects.exists()


def test_nav_link_only_for_view_permission(intake_client, client, make_user):
    assert "苦情・シグナル" in intake_client.get("/incidents/").content.decode()
    client.force_login(make_user("sales"))
    assert "苦情・シグナル" not in client.get("/incidents/").content.decode()


def test_record_through_the_form_encrypts_and_redirects(intake_client):
    response = intake_client.post("/signals/new/", {
        "kind": "complaint", "received_at": "2026-11-20T10:00", "channel": "phone",
        "subject": "見知らぬ会社からのDM", "complainant_name": "佐藤 花子",
        "complainant_contact": "090-1111-2222", "sender_name": "株式会社〇〇",
        "items": ["person_name", "address"], "suspicion_reason": "DMが届いた"})
    signal = Signal.objects.get()
    assert response.status_code == 302 and response.url == f"/signals/{signal.pk}/"
    assert signal.received_at == T0 and signal.items == ["person_name", "address"]
    assert signal.complainant_name == "佐藤 花子"


def test_record_form_errors_in_japanese(intake_client):
    response = intake_client.post("/signals/new/", {"kind": "complaint", "channel": "phone",
                                                    "received_at": "", "subject": " "})
    assert response.status_code == 200
    assert "このフィールドは必須です" in response.content.decode()
    assert not Signal.objects.exists()


def test_detail_masks_personal_data_and_audits_the_view(record, intake_client):
    signal = record()
    page = intake_client.get(f"/signals/{signal.pk}/").content.decode()
    assert "佐藤 花子" not in page and "090-1111-2222" not in page and "佐籐" not in page
    assert "090-****-2222" in page and "表示する" in page
    event = AuditEvent.objects.get(action="signal.view")
    assert event.object_id == str(signal.pk) and event.details == {"signal_id": signal.pk}


def test_reveal_shows_personal_data_and_is_audited(record, intake_client):
    signal = record()
    response = intake_client.post(f"/signals/{signal.pk}/reveal/")
    page = response.content.decode()
    assert "佐藤 花子" in page and "090-1111-2222" in page and "佐籐" in page
    assert response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(action="signal.reveal").count() == 1
    assert intake_client.get(f"/signals/{signal.pk}/reveal/").status_code == 405


def test_list_filters_by_status(record, intake_client, intake):
    from rouei.intake import actions

    open_one = record(subject="未対応のDM")
    done = record(subject="対応不要のDM", sender_name="株式会社△△")
    actions.do_change_signal_status(done, SignalStatus.DISMISSED, reason="無関係", actor=intake)
    page = intake_client.get("/signals/", {"status": "dismissed"}).content.decode()
    assert "対応不要のDM" in page and "未対応のDM" not in page
    page = intake_client.get("/signals/", {"status": "open"}).content.decode()
    assert open_one.subject in page and "対応不要のDM" not in page
    assert intake_client.get("/signals/", {"status": "bogus"}).status_code == 200


def test_warning_on_list_and_each_signal_page(record, intake_client):
    signals = [record(received_at=T0 + dt.timedelta(days=d)) for d in range(3)]
    assert WARNING in intake_client.get("/signals/").content.decode()
    for signal in signals:
        assert WARNING in intake_client.get(f"/signals/{signal.pk}/").content.decode()


def test_warning_absent_with_two(record, intake_client):
    record(), record()
    assert "類似の苦情が" not in intake_client.get("/signals/").content.decode()


def test_open_incident_from_warning_links_all_and_lands_on_incident(record, intake_client,
                                                                    intake):
    signals = [record(received_at=T0 + dt.timedelta(days=d)) for d in range(3)]
    response = intake_client.post(f"/signals/{signals[0].pk}/open-incident/",
                                  {"signals": [s.pk for s in signals[1:]]})
    incident = Incident.objects.get()
    assert response.status_code == 302 and response.url == f"/incidents/{incident.pk}/"
    assert access_incident(intake, incident.pk).member_role == Role.LEAD
    assert set(incident.signals.values_list("pk", flat=True)) == {s.pk for s in signals}
    assert incident.timeline.count() == 3
    page = intake_client.get(response.url).content.decode()
    assert "シグナルから事案を開始しました" in page


def test_link_from_suggestion(record, intake_client):
    a, b = record(), record(sender_name="(株)〇〇")
    page = intake_client.get(f"/signals/{a.pk}/").content.decode()
    assert f'data-signal="{b.pk}"' in page and "同じ送り主" in page
    intake_client.post(f"/signals/{a.pk}/link/", {"signals": [b.pk, "x", "99999999999999999999"]})
    a.refresh_from_db(), b.refresh_from_db()
    assert a.group_id is not None and a.group_id == b.group_id


def test_join_incident_non_member_gets_404(record, intake_client, make_user):
    signal = record()
    theirs = incident_actions.do_create_incident(title="他部署の事案", actor=make_user("other"))
    response = intake_client.post(f"/signals/{signal.pk}/join-incident/",
                                  {"incident": theirs.pk})
    assert response.status_code == 404
    assert intake_client.post(f"/signals/{signal.pk}/join-incident/",
                              {"incident": "nope"}).status_code == 404
    signal.refresh_from_db()
    assert signal.incident_id is None


def test_join_incident_viewer_gets_403(record, intake_client, intake, make_user):
    lead = make_user("other")
    theirs = incident_actions.do_create_incident(title="他部署の事案", actor=lead)
    incident_actions.do_add_member(theirs, intake, Role.VIEWER, actor=lead)
    response = intake_client.post(f"/signals/{record().pk}/join-incident/",
                                  {"incident": theirs.pk})
    assert response.status_code == 403


def test_join_incident_as_editor_links_and_lists_only_editable_incidents(record, intake_client,
                                                                        intake, make_user):
    lead = make_user("other")
    mine = incident_actions.do_create_incident(title="編集できる事案", actor=lead)
    incident_actions.do_add_member(mine, intake, Role.LEGAL, actor=lead)
    watched = incident_actions.do_create_incident(title="閲覧だけの事案", actor=lead)
    incident_actions.do_add_member(watched, intake, Role.VIEWER, actor=lead)
    signal = record()
    page = intake_client.get(f"/signals/{signal.pk}/").content.decode()
    assert "編集できる事案" in page and "閲覧だけの事案" not in page
    response = intake_client.post(f"/signals/{signal.pk}/join-incident/", {"incident": mine.pk})
    assert response.status_code == 302 and response.url == f"/incidents/{mine.pk}/"
    signal.refresh_from_db()
    assert signal.incident == mine and signal.status == SignalStatus.INCIDENT


def test_status_form_dismissed_without_reason_shows_error(record, intake_client):
    signal = record()
    response = intake_client.post(f"/signals/{signal.pk}/status/", {"status": "dismissed"},
                                  follow=True)
    assert "対応不要とする理由を入力してください" in response.content.decode()
    signal.refresh_from_db()
    assert signal.status == SignalStatus.RECEIVED


def test_edit_shows_personal_data_as_a_reveal_and_saves(record, intake_client):
    signal = record()
    page = intake_client.get(f"/signals/{signal.pk}/edit/").content.decode()
    assert "佐藤 花子" in page
    assert AuditEvent.objects.filter(action="signal.reveal").count() == 1
    data = {"kind": "complaint", "received_at": "2026-11-20T10:00", "channel": "phone",
            "subject": "見知らぬ会社からのDM（訂正）", "items": ["person_name"],
            "complainant_name": "佐藤 花子"}
    assert intake_client.post(f"/signals/{signal.pk}/edit/", data).status_code == 302
    signal.refresh_from_db()
    assert signal.subject.endswith("（訂正）") and signal.complainant_contact == ""
    assert AuditEvent.objects.filter(action="signal.update").count() == 1


def test_incident_include_lists_linked_signals_for_members_only(record, intake, rf):
    from rouei.intake import actions

    signal = record()
    incident = actions.do_open_incident([signal], actor=intake)
    template = Template('{% include "signals/_incident_signals.html" %}')
    seen = access_incident(intake, incident.pk)
    html = template.render(Context({"incident": seen, "user": intake}))
    assert signal.subject in html and f"/signals/{signal.pk}/" in html and "佐藤" not in html
    assert signal.subject not in template.render(Context({"incident": incident,
                                                          "user": intake}))


# --- dates in the future (issue 11, guard rail 2) ------------------------------------------------

def _complaint(received_at: str) -> dict:
    return {"kind": "complaint", "received_at": received_at, "channel": "phone",
            "subject": "見知らぬ会社からのDM"}


def _local_in(**delta) -> str:
    return f"{timezone.localtime() + dt.timedelta(**delta):%Y-%m-%dT%H:%M}"


def test_record_received_in_the_future_names_the_field(intake_client):
    page = intake_client.post(reverse("signals:create"),
                              _complaint(_local_in(days=2))).content.decode()
    assert '<div class="error field-error" role="alert">受付日時は未来の日時にできません</div>' in page


def test_record_received_in_the_future_records_nothing(intake_client):
    intake_client.post(reverse("signals:create"), _complaint(_local_in(days=2)))
    assert not Signal.objects.exists()


def test_record_received_a_minute_ago_is_recorded(intake_client):
    response = intake_client.post(reverse("signals:create"), _complaint(_local_in(minutes=-1)))
    assert response.status_code == 302 and Signal.objects.count() == 1


def test_edit_received_in_the_future_is_refused(record, intake_client):
    signal = record()
    intake_client.post(reverse("signals:edit", args=[signal.pk]), _complaint(_local_in(days=2)))
    signal.refresh_from_db()
    assert signal.received_at == T0
