"""The task pages: 404 for non-members everywhere, 403 for a viewer who tries to change, the list
by status with overdue tasks marked, one-click completion, editing, the incident page section."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from rouei.playbooks import actions
from rouei.playbooks.models import Task
from rouei.playbooks.urls import incident_urlpatterns
from tests.playbooks.conftest import FACTS_ACCESS

pytestmark = pytest.mark.django_db

TASK_URLS = [p.name for p in incident_urlpatterns]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _url(name: str, incident, task=None) -> str:
    kwargs = {"incident_id": incident.pk}
    if "task_pk" in dict(next(p for p in incident_urlpatterns if p.name == name).pattern.converters):
        kwargs["task_pk"] = task.pk
    return reverse(f"playbooks:{name}", kwargs=kwargs)


def _row(html: str, task: Task) -> str:
    match = re.search(rf'<tr id="task-{task.pk}"[^>]*>.*?</tr>', html, re.DOTALL)
    assert match, f"no row for task {task.pk}"
    return match.group(0)


def test_task_urls_cover_every_incident_page():
    assert set(TASK_URLS) == {"tasks", "tasks_from_playbook", "tasks_add_proposed", "task_edit",
                              "task_complete"}


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", TASK_URLS)
def test_task_url_non_member_gets_404(client, outsider, access_incident, name, method):
    task = access_incident.tasks.get(key="consult_counsel")
    client.force_login(outsider)
    response = getattr(client, method)(_url(name, access_incident, task))
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == "todo"


@pytest.mark.parametrize("name", TASK_URLS)
def test_task_url_missing_incident_looks_like_a_foreign_one(client, outsider, access_incident,
                                                            name):
    task = access_incident.tasks.first()
    client.force_login(outsider)
    url = _url(name, access_incident, task)
    foreign = client.get(url)
    missing_url = url.replace(f"/{access_incident.pk}/", "/999999/", 1)
    missing = client.get(missing_url)
    assert foreign.status_code == missing.status_code == 404
    # The same page, but for the CSRF token and the language switch's return address.
    same = missing.content.decode().replace(missing_url, url)
    assert CSRF.sub("", foreign.content.decode()) == CSRF.sub("", same)


def test_task_of_another_incident_is_404(client, user, access_incident, open_incident):
    other = open_incident({}, title="別の事案")
    client.force_login(user)
    task = other.tasks.first()
    assert client.get(_url("task_edit", access_incident, task)).status_code == 404
    assert client.post(_url("task_complete", access_incident, task)).status_code == 404


def test_task_list_by_status_with_owner_due_date_and_overdue_in_red(client, user,
                                                                     open_incident):
    knew = timezone.localdate() - dt.timedelta(days=10)
    incident = open_incident({**FACTS_ACCESS, "knew_at": knew.isoformat()})
    client.force_login(user)
    html = client.get(_url("tasks", incident)).content.decode()
    for label in ("未着手", "進行中", "完了", "不要"):
        assert f">{label} <span" in html
    isolate = incident.tasks.get(key="isolate_systems")
    row = _row(html, isolate)
    assert 'class="task overdue"' in row and "10日超過" in row
    assert "影響を受けたシステムの隔離" in row and "未割当" in row and "IT・フォレンジック" in row
    final = incident.tasks.get(key="final_report")
    assert "overdue" not in _row(html, final).split(">")[0]
    prevention = _row(html, incident.tasks.get(key="recurrence_prevention"))
    assert "tanaka" in prevention


def test_task_complete_with_one_click_moves_it_to_done(client, user, access_incident):
    task = access_incident.tasks.get(key="preserve_evidence")
    client.force_login(user)
    html = client.get(_url("tasks", access_incident)).content.decode()
    form = re.search(r'<form method="post" action="([^"]+)" class="complete-form">',
                     _row(html, task))
    assert form.group(1) == _url("task_complete", access_incident, task)
    response = client.post(form.group(1))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/tasks/#task-{task.pk}")
    task.refresh_from_db()
    assert task.status == "done" and task.completed_by == user
    html = client.get(response["Location"]).content.decode()
    assert "「ログ・証拠の保全」を完了しました" in html
    assert 'data-status="done"' in _row(html, task)
    assert "complete-form" not in _row(html, task)


def test_task_complete_needs_csrf(user, access_incident):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    task = access_incident.tasks.get(key="preserve_evidence")
    assert client.post(_url("task_complete", access_incident, task)).status_code == 403
    task.refresh_from_db()
    assert task.status == "todo"


def test_task_complete_by_a_viewer_is_403_and_no_button(client, access_incident, member):
    viewer = member(access_incident, "viewer")
    task = access_incident.tasks.get(key="preserve_evidence")
    client.force_login(viewer)
    html = client.get(_url("tasks", access_incident)).content.decode()
    assert "complete-form" not in html
    response = client.post(_url("task_complete", access_incident, task))
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == "todo"
    assert client.post(_url("task_edit", access_incident, task),
                       {"status": "done"}).status_code == 403
    assert client.get(_url("task_edit", access_incident, task)).status_code == 200


def test_task_edit_assigns_an_owner_and_overrides_the_due_date_with_a_reason(
        client, user, access_incident, member):
    legal = member(access_incident, "legal")
    task = access_incident.tasks.get(key="final_report")
    client.force_login(user)
    page = client.get(_url("task_edit", access_incident, task)).content.decode()
    assert "確報の期限（当日） → 2027-01-22" in page
    refused = client.post(_url("task_edit", access_incident, task), {
        "status": "in_progress", "owner": legal.pk, "due_date": "2027-01-15"})
    assert refused.status_code == 200
    assert "期限を変更する理由を入力してください" in refused.content.decode()
    response = client.post(_url("task_edit", access_incident, task), {
        "status": "in_progress", "owner": legal.pk, "due_date": "2027-01-15",
        "due_reason": "取締役会の承認日程に合わせる"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.owner, task.due_date) == ("in_progress", legal,
                                                        dt.date(2027, 1, 15))
    assert task.due_overridden and task.due_override_reason == "取締役会の承認日程に合わせる"
    html = client.get(_url("tasks", access_incident)).content.decode()
    assert "手動で設定した期限" in _row(html, task) and "legal-user" in _row(html, task)


def test_task_edit_owner_must_be_a_member(client, user, access_incident, outsider):
    task = access_incident.tasks.get(key="final_report")
    client.force_login(user)
    response = client.post(_url("task_edit", access_incident, task),
                           {"status": "todo", "owner": outsider.pk, "due_date": "2027-01-22"})
    assert response.status_code == 200  # not a choice
    task.refresh_from_db()
    assert task.owner is None


def test_incident_page_shows_the_open_tasks_with_complete_buttons(client, user,
                                                                   access_incident):
    done = access_incident.tasks.get(key="isolate_systems")
    actions.do_complete_task(done, actor=user)
    client.force_login(user)
    html = client.get(reverse("incidents:detail", args=[access_incident.pk])).content.decode()
    section = re.search(r'<section id="tasks".*?</section>', html, re.DOTALL).group(0)
    assert "未完了のタスク" in section
    assert "ログ・証拠の保全" in section and "影響を受けたシステムの隔離" not in section
    assert 'name="back" value="detail"' in section
    task = access_incident.tasks.get(key="preserve_evidence")
    response = client.post(_url("task_complete", access_incident, task), {"back": "detail"})
    assert response["Location"] == reverse("incidents:detail",
                                           args=[access_incident.pk]) + "#tasks"


def test_incident_nav_links_to_the_tasks(client, user, access_incident):
    client.force_login(user)
    html = client.get(reverse("incidents:detail", args=[access_incident.pk])).content.decode()
    assert f'href="{_url("tasks", access_incident)}"' in html


def test_lead_adds_the_missing_tasks_the_facts_now_point_to(client, user, open_incident):
    from rouei.incidents import actions as incident_actions

    incident = open_incident({})
    incident_actions.do_update_facts(incident, {"cause": "misdelivery", "knew_at": "2026-11-24"},
                                     expected_version=1, actor=user)
    client.force_login(user)
    html = client.get(_url("tasks", incident)).content.decode()
    assert "現在の事実に合うタスクの提案（2件）" in html
    response = client.post(_url("tasks_from_playbook", incident), {"playbook": "misdelivery"})
    assert response.status_code == 302
    assert incident.tasks.filter(key="recipient_delete").exists()
    html = client.get(response["Location"]).content.decode()
    assert "2件のタスクを追加しました" in html
    assert "playbook-suggestion" not in html


def test_adding_playbook_tasks_is_for_the_lead(client, access_incident, member):
    legal = member(access_incident, "legal")
    client.force_login(legal)
    assert "add-playbook" not in client.get(_url("tasks", access_incident)).content.decode()
    assert client.post(_url("tasks_from_playbook", access_incident),
                       {"playbook": "vendor"}).status_code == 403


def test_task_pages_in_english(client, user, access_incident):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    html = client.get(_url("tasks", access_incident)).content.decode()
    assert "Final report (確報) to the PPC" in html and "Not started" in html


def test_task_pages_need_login(client, access_incident):
    response = client.get(_url("tasks", access_incident))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_incident_audit_page_names_the_task_actions(client, user, access_incident):
    actions.do_complete_task(access_incident.tasks.get(key="consult_counsel"), actor=user)
    client.force_login(user)
    html = client.get(reverse("incidents:audit", args=[access_incident.pk])).content.decode()
    assert "タスクを完了" in html and ">task.complete<" not in html


# --- playbooks follow the facts: proposals and tasks set aside ---------------------------------

def _missent_now(incident, user, **changes):
    from rouei.incidents import actions as incident_actions

    incident.refresh_from_db()
    incident_actions.do_update_facts(
        incident, {"cause": "misdelivery", "knew_at": "2026-11-24", **changes},
        expected_version=incident.version, actor=user)


def _proposal(html: str, key: str) -> str:
    match = re.search(rf'<li data-key="{key}">.*?</li>', html, re.DOTALL)
    return match.group(0) if match else ""


def test_tasks_page_proposes_the_misdelivery_tasks_with_an_add_button(client, user,
                                                                      open_incident):
    incident = open_incident({})
    _missent_now(incident, user)
    client.force_login(user)
    item = _proposal(client.get(_url("tasks", incident)).content.decode(), "recipient_delete")
    assert "誤送付先への削除依頼と削除の確認" in item and "add-proposed" in item


def test_incident_page_proposes_the_misdelivery_tasks(client, user, open_incident):
    incident = open_incident({})
    _missent_now(incident, user)
    client.force_login(user)
    html = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "誤送付先への削除依頼と削除の確認" in _proposal(html, "recipient_delete")


def test_incident_page_without_proposals_shows_none(client, user, access_incident):
    client.force_login(user)
    html = client.get(reverse("incidents:detail", args=[access_incident.pk])).content.decode()
    assert "task-proposals" not in html


def test_add_one_proposed_task_adds_only_it(client, user, open_incident):
    incident = open_incident({})
    _missent_now(incident, user)
    client.force_login(user)
    response = client.post(_url("tasks_add_proposed", incident), {"key": "recipient_delete"})
    assert response.status_code == 302
    assert set(incident.tasks.filter(key__in=["recipient_delete", "sending_scope"])
               .values_list("key", flat=True)) == {"recipient_delete"}
    html = client.get(response["Location"]).content.decode()
    assert "提案されたタスクを1件追加しました。" in html


def test_add_all_proposed_tasks_adds_both(client, user, open_incident):
    incident = open_incident({})
    _missent_now(incident, user)
    client.force_login(user)
    client.post(_url("tasks_add_proposed", incident))
    assert incident.tasks.filter(key__in=["recipient_delete", "sending_scope"]).count() == 2


def test_add_proposed_from_the_incident_page_goes_back_there(client, user, open_incident):
    incident = open_incident({})
    _missent_now(incident, user)
    client.force_login(user)
    response = client.post(_url("tasks_add_proposed", incident), {"back": "detail"})
    assert response["Location"] == reverse("incidents:detail", args=[incident.pk]) + "#tasks"


def test_proposed_tasks_are_added_by_the_lead_only(client, user, open_incident, member):
    incident = open_incident({})
    _missent_now(incident, user)
    legal = member(incident, "legal")
    client.force_login(legal)
    item = _proposal(client.get(_url("tasks", incident)).content.decode(), "recipient_delete")
    assert item and "add-proposed" not in item
    assert client.post(_url("tasks_add_proposed", incident)).status_code == 403
    assert not incident.tasks.filter(key="recipient_delete").exists()


def test_task_set_aside_by_new_facts_shows_why(client, user, missent_incident):
    _missent_now(missent_incident, user, cause="unauthorized_access")
    task = missent_incident.tasks.get(key="recipient_delete")
    client.force_login(user)
    row = _row(client.get(_url("tasks", missent_incident)).content.decode(), task)
    assert "自動で不要にしました" in row and "不正アクセス" in row


def test_task_page_of_a_set_aside_task_says_why_and_how_to_reopen(client, user,
                                                                   missent_incident):
    _missent_now(missent_incident, user, cause="unauthorized_access")
    task = missent_incident.tasks.get(key="recipient_delete")
    client.force_login(user)
    html = client.get(_url("task_edit", missent_incident, task)).content.decode()
    assert "不要とした理由" in html and "状態を戻すと再開できます。" in html


def test_proposals_in_english(client, user, open_incident):
    incident = open_incident({})
    _missent_now(incident, user)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    html = client.get(_url("tasks", incident)).content.decode()
    assert "2 tasks proposed for the current facts" in html
    assert "Ask the recipient to delete it and confirm" in _proposal(html, "recipient_delete")
