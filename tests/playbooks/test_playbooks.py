"""The playbooks as data: everyone signed in reads them, an administrator edits them (audited),
and new incidents get the edited tasks while existing tasks keep their copy."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from rouei.core.audit import verify_chain
from rouei.core.errors import ActionError
from rouei.core.models import AuditEvent
from rouei.playbooks import actions
from rouei.playbooks.models import Playbook

pytestmark = pytest.mark.django_db

LIST = reverse("playbooks:list")
EDIT = reverse("playbooks:edit", args=["misdelivery"])


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser(username="admin", password="x" * 16)


@pytest.fixture
def editor(make_user):
    """A user given the change_playbook permission (not a superuser)."""
    user = make_user("editor")
    user.user_permissions.add(Permission.objects.get(codename="change_playbook"))
    return type(user).objects.get(pk=user.pk)


def _post_data(playbook: Playbook, **overrides) -> dict:
    """The editor form as the page sends it, with ``overrides`` for row fields
    (``{"0-title": …}``) or the playbook's."""
    templates = list(playbook.templates.order_by("order", "id"))
    data = {"name": playbook.name, "name_en": playbook.name_en,
            "description": playbook.description, "description_en": playbook.description_en,
            "t-TOTAL_FORMS": str(len(templates) + 1), "t-INITIAL_FORMS": str(len(templates)),
            "t-MIN_NUM_FORMS": "0", "t-MAX_NUM_FORMS": "1000"}
    for i, t in enumerate(templates):
        for name in ("key", "order", "title", "title_en", "description", "description_en",
                     "role", "due_rule", "due_offset_days"):
            data[f"t-{i}-{name}"] = getattr(t, name)
        data[f"t-{i}-id"] = t.pk
    data[f"t-{len(templates)}-due_offset_days"] = "0"
    for key, value in overrides.items():
        data[key if key in data and not key[0].isdigit() else f"t-{key}"] = value
    return data


def test_playbook_list_shows_every_playbook_with_its_tasks(client, user):
    client.force_login(user)
    html = client.get(LIST).content.decode()
    for name in ("誤送信・誤送付", "不正アクセス", "紛失・盗難", "ランサムウェア", "内部不正",
                 "委託先起因", "共通（原因未確認・その他）"):
        assert name in html
    assert "誤送付先への削除依頼と削除の確認" in html and "確報の期限の5日前" in html
    assert EDIT not in html  # not an administrator


def test_playbook_edit_is_for_administrators(client, user):
    client.force_login(user)
    assert client.get(EDIT).status_code == 403
    assert client.post(EDIT, _post_data(Playbook.objects.get(kind="misdelivery"))
                       ).status_code == 403


def test_playbook_edit_by_an_editor_adds_a_task_new_incidents_get(client, editor, user,
                                                                 open_incident):
    before = open_incident({"cause": "misdelivery", "knew_at": "2026-11-24"}, title="前の事案")
    playbook = Playbook.objects.get(kind="misdelivery")
    n = playbook.templates.count()
    client.force_login(editor)
    assert EDIT in client.get(LIST).content.decode()
    response = client.post(EDIT, _post_data(playbook, **{
        f"{n}-key": "fax_number_check", f"{n}-order": "7", f"{n}-title": "FAX番号の登録確認",
        f"{n}-title_en": "Check the stored fax numbers", f"{n}-role": "forensics",
        f"{n}-due_rule": "knew", f"{n}-due_offset_days": "2"}))
    assert response.status_code == 302
    assert playbook.templates.filter(key="fax_number_check").exists()
    after = open_incident({"cause": "misdelivery", "knew_at": "2026-11-24"}, title="後の事案")
    assert after.tasks.get(key="fax_number_check").title == "FAX番号の登録確認"
    assert not before.tasks.filter(key="fax_number_check").exists()
    event = AuditEvent.objects.filter(action="playbook.update").get()
    assert event.actor == editor and event.details == {
        "playbook": "misdelivery", "added": 1, "changed": 0, "removed": 0}
    assert verify_chain() is None


def test_playbook_edit_changes_a_title_and_removes_a_task(client, admin, open_incident):
    playbook = Playbook.objects.get(kind="misdelivery")
    templates = list(playbook.templates.order_by("order", "id"))
    assert templates[0].key == "recipient_delete"
    client.force_login(admin)
    response = client.post(EDIT, _post_data(playbook, **{
        "0-title": "誤送付先への削除依頼（書面で確認）", "1-DELETE": "on"}))
    assert response.status_code == 302
    keys = list(playbook.templates.values_list("key", flat=True))
    assert templates[1].key not in keys
    assert playbook.templates.get(key="recipient_delete").title == "誤送付先への削除依頼（書面で確認）"
    event = AuditEvent.objects.get(action="playbook.update")
    assert (event.details["changed"], event.details["removed"]) == (1, 1)


def test_playbook_edit_duplicate_key_is_refused(client, admin):
    playbook = Playbook.objects.get(kind="misdelivery")
    client.force_login(admin)
    response = client.post(EDIT, _post_data(playbook, **{"1-key": "recipient_delete"}))
    assert response.status_code == 200
    assert "「recipient_delete」が重複しています" in response.content.decode()
    assert not AuditEvent.objects.filter(action="playbook.update").exists()


def test_playbook_edit_without_changes_records_nothing(client, admin):
    client.force_login(admin)
    response = client.post(EDIT, _post_data(Playbook.objects.get(kind="misdelivery")))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="playbook.update").exists()


def test_do_save_playbook_refuses_a_template_of_another_playbook(admin):
    other = Playbook.objects.get(kind="vendor").templates.first()
    with pytest.raises(ActionError) as refused:
        actions.do_save_playbook(Playbook.objects.get(kind="misdelivery"), fields={},
                                 templates=[{"id": other.pk, "key": "x", "delete": False}],
                                 actor=admin)
    assert refused.value.code == "unknown_template"
