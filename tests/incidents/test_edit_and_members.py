"""Editing an incident's particulars after creation (with a stale-form check) and managing its
members: change a role, remove someone, never lose the last lead."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from rouei.core.audit import digest, verify_chain
from rouei.core.errors import ActionError
from rouei.core.models import AuditEvent
from rouei.incidents import actions
from rouei.incidents.models import Incident, Membership, TimelineEvent
from rouei.playbooks.models import Task

pytestmark = pytest.mark.django_db


def _events(incident, action):
    return AuditEvent.objects.filter(incident_id=incident.pk, action=action)


def _edit_url(incident):
    return reverse("incidents:edit", args=[incident.pk])


def _membership(incident, user):
    return Membership.objects.get(incident=incident, user=user)


# --- do_update_incident -----------------------------------------------------------------------

def test_update_incident_saves_the_particulars_with_one_audit_event(incident, user):
    etag = actions.incident_etag(incident)
    before = digest(actions.state(incident, actions.INCIDENT_FIELDS))
    result = actions.do_update_incident(incident, expected_etag=etag, actor=user,
                                        title="  委託先経由の漏えい ", organisation="総務部")
    incident.refresh_from_db()
    assert (incident.title, incident.organisation) == ("委託先経由の漏えい", "総務部")
    assert result.changed == ["title", "organisation"] and result.facts is None
    [event] = _events(incident, "incident.update")
    assert event.actor == user and event.details == {"changed": ["title", "organisation"]}
    assert event.before_digest == before and event.after_digest not in ("", before)
    assert incident.version == 1  # the facts' version is untouched
    assert verify_chain() is None


def test_update_incident_from_a_stale_form_is_refused_and_nothing_is_lost(incident, user,
                                                                         member):
    legal = member("legal")
    loaded = actions.incident_etag(incident)
    actions.do_update_incident(incident, expected_etag=loaded, actor=legal, summary="法務の追記")
    with pytest.raises(actions.IncidentEditConflict) as caught:
        actions.do_update_incident(incident, expected_etag=loaded, actor=user, summary="上書き")
    assert caught.value.code == "edit_conflict"
    incident.refresh_from_db()
    assert incident.summary == "法務の追記"
    assert caught.value.current == actions.incident_etag(incident)
    assert _events(incident, "incident.update").count() == 1


def test_update_incident_status_change_does_not_make_the_form_stale(incident, user):
    loaded = actions.incident_etag(incident)
    actions.do_change_status(incident, "investigating", actor=user)
    actions.do_update_incident(incident, expected_etag=loaded, actor=user, title="新しい件名")
    assert Incident.objects.get(pk=incident.pk).title == "新しい件名"


def test_update_incident_nothing_changed_records_nothing(incident, user):
    result = actions.do_update_incident(incident, expected_etag=actions.incident_etag(incident),
                                        actor=user, title=incident.title)
    assert not result.saved and not _events(incident, "incident.update").exists()


def test_update_incident_empty_title_is_refused(incident, user):
    with pytest.raises(ActionError) as caught:
        actions.do_update_incident(incident, expected_etag=actions.incident_etag(incident),
                                   actor=user, title="   ")
    assert caught.value.code == "title_required"


def test_update_incident_viewer_is_refused(incident, member):
    with pytest.raises(PermissionDenied):
        actions.do_update_incident(incident, expected_etag=actions.incident_etag(incident),
                                   actor=member("viewer"), title="x")


def test_update_incident_vendor_involvement_is_a_new_facts_version(incident, user):
    result = actions.do_update_incident(incident, expected_etag=actions.incident_etag(incident),
                                        actor=user, vendor_involved=True)
    incident.refresh_from_db()
    assert incident.vendor_involved is True and incident.version == 2
    latest = incident.latest_facts()
    assert latest.number == 2 and latest.facts["vendor_involved"] is True
    assert latest.facts["people_confirmed"] == 900  # the other facts are kept
    assert result.facts.saved and incident.latest_snapshot().facts_version == latest
    [event] = AuditEvent.objects.filter(incident_id=incident.pk).exclude(
        action="incident.create")
    assert event.action == "incident.update"  # one event for the whole edit
    assert event.details["changed"] == ["vendor_involved"]
    assert event.details["facts_version"] == 2
    assert event.details["facts_changed"] == ["vendor_involved"]


def test_update_incident_vendor_column_caught_up_with_the_facts_moves_updated_at(incident,
                                                                                 user):
    # The facts already say a vendor is involved but the column lags: only the column is set.
    # The page's kept parts read updated_at in their fingerprint, so it must move too.
    actions.do_update_incident(incident, expected_etag=actions.incident_etag(incident),
                               actor=user, vendor_involved=True)
    lagging = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    Incident.objects.filter(pk=incident.pk).update(vendor_involved=False, updated_at=lagging)
    incident.refresh_from_db()
    actions.do_update_incident(incident, expected_etag=actions.incident_etag(incident),
                               actor=user, vendor_involved=True)
    assert Incident.objects.get(pk=incident.pk).updated_at > lagging


# --- the edit page ----------------------------------------------------------------------------

def test_edit_page_is_linked_from_the_incident_and_saves(logged_in_client, incident):
    detail = logged_in_client.get(reverse("incidents:detail", args=[incident.pk]))
    assert _edit_url(incident) in detail.content.decode()
    page = logged_in_client.get(_edit_url(incident)).content.decode()
    assert "事案の基本情報の編集" in page and 'value="誤設定による顧客情報の公開"' in page
    response = logged_in_client.post(_edit_url(incident), {
        "title": "設定ミスによる公開", "summary": "更新", "organisation": "情報システム部",
        "vendor_involved": "", "etag": actions.incident_etag(incident)}, follow=True)
    assert "事案の基本情報を保存しました。" in response.content.decode()
    assert Incident.objects.get(pk=incident.pk).title == "設定ミスによる公開"


def test_edit_page_stale_form_shows_their_values_and_keeps_mine(logged_in_client, incident,
                                                                user, member):
    loaded = actions.incident_etag(incident)
    actions.do_update_incident(incident, expected_etag=loaded, actor=member("legal"),
                               title="法務が付けた件名")
    response = logged_in_client.post(_edit_url(incident), {
        "title": "私の件名", "summary": "テスト用の事案", "organisation": "情報システム部",
        "vendor_involved": "", "etag": loaded})
    page = response.content.decode()
    assert response.status_code == 409
    assert "他の人がこの事案の基本情報を変更しました" in page
    assert "法務が付けた件名" in page and 'value="私の件名"' in page
    # Saving again now (the form carries the current etag) replaces their title knowingly.
    current = actions.incident_etag(Incident.objects.get(pk=incident.pk))
    assert f'value="{current}"' in page
    logged_in_client.post(_edit_url(incident), {
        "title": "私の件名", "summary": "テスト用の事案", "organisation": "情報システム部",
        "vendor_involved": "", "etag": current})
    assert Incident.objects.get(pk=incident.pk).title == "私の件名"


# --- members ----------------------------------------------------------------------------------

def test_change_member_role_is_audited(incident, user, member):
    kato = member("viewer", "kato")
    membership = _membership(incident, kato)
    actions.do_change_member_role(membership, "legal", actor=user)
    assert _membership(incident, kato).role == "legal"
    [event] = _events(incident, "member.role_change")
    assert event.details == {"user_id": kato.pk, "from": "viewer", "to": "legal"}
    assert event.before_digest and event.after_digest != event.before_digest


def test_change_member_role_same_role_records_nothing(incident, user, member):
    membership = _membership(incident, member("pr"))
    actions.do_change_member_role(membership, "pr", actor=user)
    assert not _events(incident, "member.role_change").exists()


def test_last_lead_cannot_step_down_but_can_after_naming_another(incident, user, member):
    mine = _membership(incident, user)
    with pytest.raises(ActionError) as caught:
        actions.do_change_member_role(mine, "viewer", actor=user)
    assert caught.value.code == "last_lead"
    assert _membership(incident, user).role == "lead"
    other = _membership(incident, member("legal"))
    actions.do_change_member_role(other, "lead", actor=user)
    actions.do_change_member_role(mine, "viewer", actor=user)
    assert _membership(incident, user).role == "viewer"


def test_last_lead_cannot_be_removed(incident, user):
    with pytest.raises(ActionError) as caught:
        actions.do_remove_member(_membership(incident, user), actor=user)
    assert caught.value.code == "last_lead"
    assert Membership.objects.filter(incident=incident, user=user).exists()
    assert not _events(incident, "member.remove").exists()


def test_remove_member_is_audited_and_their_open_tasks_lose_the_owner(incident, user, member):
    forensics = member("forensics")
    task = incident.tasks.filter(role="forensics").first()
    from rouei.playbooks.actions import do_update_task

    do_update_task(task, owner=forensics, actor=user)
    reaction = actions.do_remove_member(_membership(incident, forensics), actor=user)
    assert reaction.audit_details["tasks_unassigned"] == [task.pk]
    assert Task.objects.get(pk=task.pk).owner is None
    assert not Membership.objects.filter(incident=incident, user=forensics).exists()
    [event] = _events(incident, "member.remove")
    assert event.details == {"user_id": forensics.pk, "role": "forensics",
                             "tasks_unassigned": [task.pk]}
    assert verify_chain() is None


def test_members_are_managed_by_the_lead_only(incident, member):
    legal = member("legal")
    viewer = member("viewer")
    with pytest.raises(PermissionDenied):
        actions.do_change_member_role(_membership(incident, viewer), "lead", actor=legal)
    with pytest.raises(PermissionDenied):
        actions.do_remove_member(_membership(incident, viewer), actor=legal)


def test_members_section_changes_a_role_and_refuses_the_last_lead(logged_in_client, incident,
                                                                  user, member):
    kato = member("viewer", "kato")
    kato_m = _membership(incident, kato)
    page = logged_in_client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "役割を変更" in page and "この事案から外す" in page
    url = reverse("incidents:member_role", args=[incident.pk, kato_m.pk])
    response = logged_in_client.post(url, {f"m{kato_m.pk}-role": "pr"}, follow=True)
    assert "kato の役割を「広報」にしました。" in response.content.decode()
    mine = _membership(incident, user)
    response = logged_in_client.post(
        reverse("incidents:member_role", args=[incident.pk, mine.pk]),
        {f"m{mine.pk}-role": "viewer"}, follow=True)
    assert "tanaka はこの事案の唯一の対応責任者です" in response.content.decode()
    response = logged_in_client.post(
        reverse("incidents:member_remove", args=[incident.pk, mine.pk]), follow=True)
    assert "唯一の対応責任者のため、外せません" in response.content.decode()
    assert _membership(incident, user).role == "lead"


def test_removed_member_no_longer_sees_the_incident(client, incident, user, member):
    kato = member("legal", "kato")
    client.force_login(user)
    client.post(reverse("incidents:member_remove",
                        args=[incident.pk, _membership(incident, kato).pk]))
    client.force_login(kato)
    assert client.get(reverse("incidents:detail", args=[incident.pk])).status_code == 404


def test_removing_a_member_asks_first_and_says_what_happens(client, incident, user, member):
    kato = member("legal", "kato")
    task = incident.tasks.order_by("order").first()
    task.owner = kato
    task.save()
    kato_m = _membership(incident, kato)
    client.force_login(user)
    url = reverse("incidents:member_remove", args=[incident.pk, kato_m.pk])
    page = client.get(url).content.decode()
    assert "kato をこの事案から外しますか？" in page
    assert "担当中の未完了タスク（1件）は担当者なしになります。" in page
    assert Membership.objects.filter(pk=kato_m.pk).exists()  # asking changes nothing
    client.post(url)
    assert not Membership.objects.filter(pk=kato_m.pk).exists()


def test_member_of_another_incident_cannot_be_changed_through_this_one(logged_in_client, user,
                                                                       incident, make_user):
    other = actions.do_create_incident(title="別件", actor=make_user("sato"))
    theirs = other.memberships.get()
    response = logged_in_client.post(
        reverse("incidents:member_remove", args=[incident.pk, theirs.pk]))
    assert response.status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


# --- timeline --------------------------------------------------------------------------------

def test_corrected_system_worded_entry_shows_the_correction_in_english(incident, user):
    import datetime as dt

    from django.db import transaction

    with transaction.atomic():
        entry = actions.add_timeline_entry(
            incident, kind="action", at=dt.datetime(2026, 11, 24, tzinfo=dt.UTC),
            text="タスク完了", author=user, data={"messages": [{"ja": "タスク完了",
                                                               "en": "Task done"}]})
    actions.do_edit_timeline_event(entry, kind="action", at=entry.at, text="訂正後",
                                   reason="誤記", actor=user)
    assert TimelineEvent.objects.get(pk=entry.pk).text_in("en") == "訂正後"
