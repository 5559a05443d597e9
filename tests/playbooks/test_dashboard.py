"""The deadline dashboard: the user's incidents only, the next deadline, days left, overdue
marked, the most urgent first."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from rouei.incidents import actions as incident_actions
from rouei.playbooks import actions
from rouei.playbooks.services import dashboard
from tests.filing import close_over_open_duties, file_report
from tests.playbooks.conftest import FACTS_ACCESS, FACTS_MISSENT

pytestmark = pytest.mark.django_db

URL = reverse("playbooks:dashboard")


def _ago(days: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days)).isoformat()


def _rows(html: str) -> dict[str, str]:
    return {m.group(1): m.group(0) for m in re.finditer(
        r'<tr class="[^"]*" data-incident="(\d+)">.*?</tr>', html, re.DOTALL)}


@pytest.fixture
def three(open_incident, user, make_user):
    """Someone else's incident, one of ours overdue on its 速報, one far from any deadline."""
    other_lead = make_user("suzuki")
    foreign = incident_actions.do_create_incident(title="他部署の事案", facts=FACTS_ACCESS,
                                                  actor=other_lead)
    overdue = open_incident({**FACTS_MISSENT, "knew_at": _ago(8)}, title="誤送信（超過）")
    calm = open_incident({"cause": "other", "people_confirmed": 10, "items": ["person_name"],
                          "malicious": False}, title="調査中の事案")
    return foreign, overdue, calm


def test_dashboard_shows_only_the_users_incidents(client, user, three):
    foreign, overdue, calm = three
    client.force_login(user)
    html = client.get(URL).content.decode()
    rows = _rows(html)
    assert set(rows) == {str(overdue.pk), str(calm.pk)} and str(foreign.pk) not in rows
    assert "他部署の事案" not in html


def test_dashboard_marks_the_overdue_in_red_and_puts_it_first(client, user, three):
    _foreign, overdue, calm = three
    client.force_login(user)
    html = client.get(URL).content.decode()
    rows = _rows(html)
    assert list(rows) == [str(overdue.pk), str(calm.pk)]
    assert rows[str(overdue.pk)].startswith('<tr class="overdue"')
    # The earliest deadline: the tasks due on the day of knowing, 8 days ago.
    assert "8日超過" in rows[str(overdue.pk)] and 'data-kind="task"' in rows[str(overdue.pk)]
    assert "件が期限超過" in rows[str(overdue.pk)]
    assert 'class="overdue"' not in rows[str(calm.pk)]


def test_dashboard_next_deadline_is_the_report_when_it_comes_first(user, open_incident):
    incident = open_incident(FACTS_ACCESS)
    for task in incident.tasks.filter(due_date__lte=dt.date(2026, 11, 28)):
        actions.do_complete_task(task, actor=user)
    [row] = dashboard(user, "ja", today=dt.date(2026, 11, 24))
    assert row.next_kind == "preliminary" and row.deadline.day == dt.date(2026, 11, 28)
    assert row.deadline.days_left == 4 and not row.overdue


def test_dashboard_after_the_preliminary_report_filed_the_final_report_is_next(user,
                                                                              open_incident):
    incident = open_incident(FACTS_ACCESS)
    file_report(incident, "preliminary", user)
    for task in incident.tasks.all():
        actions.do_update_task(task, status="not_needed", actor=user)
    [row] = dashboard(user, "ja", today=dt.date(2026, 11, 24))
    assert row.next_kind == "final" and row.deadline.day == dt.date(2027, 1, 22)
    assert row.open_count == 0


def test_dashboard_status_preliminary_reported_alone_keeps_the_preliminary(user,
                                                                           open_incident):
    incident = open_incident(FACTS_ACCESS)
    incident_actions.do_change_status(incident, "preliminary_reported", actor=user)
    [row] = dashboard(user, "ja", today=dt.date(2026, 11, 24))
    assert row.report.kind == "preliminary"


def test_dashboard_closed_incidents_come_last(user, open_incident):
    closed = open_incident(FACTS_ACCESS, title="終わった事案")
    close_over_open_duties(closed, user)
    live = open_incident({"cause": "other"}, title="原因調査中")
    rows = dashboard(user, "ja")
    assert [r.incident.pk for r in rows] == [live.pk, closed.pk]


def test_dashboard_closed_over_an_unfiled_report_keeps_its_deadline(user, open_incident):
    closed = open_incident(FACTS_ACCESS, title="終わった事案")
    close_over_open_duties(closed, user)
    [row] = dashboard(user, "ja")
    assert row.report.kind == "preliminary"


def test_dashboard_closed_with_reports_filed_and_no_tasks_has_no_deadline(user, open_incident):
    closed = open_incident(FACTS_ACCESS, title="終わった事案")
    file_report(closed, "preliminary", user)
    file_report(closed, "final", user)
    for task in closed.tasks.all():
        actions.do_update_task(task, status="not_needed", actor=user)
    close_over_open_duties(closed, user)
    [row] = dashboard(user, "ja")
    assert row.deadline is None


def test_dashboard_needs_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_dashboard_is_in_the_top_navigation(client, user):
    client.force_login(user)
    html = client.get(reverse("incidents:list")).content.decode()
    assert f'<a href="{URL}">期限一覧</a>' in html


def test_dashboard_page_closed_over_an_unfiled_report_says_so(client, user, open_incident):
    closed = open_incident(FACTS_ACCESS, title="終わった事案")
    close_over_open_duties(closed, user)
    client.force_login(user)
    assert "未了のまま完了済み" in client.get(URL).content.decode()


def test_dashboard_page_open_incident_does_not_say_closed(client, user, open_incident):
    open_incident(FACTS_ACCESS)
    client.force_login(user)
    assert "未了のまま完了済み" not in client.get(URL).content.decode()
