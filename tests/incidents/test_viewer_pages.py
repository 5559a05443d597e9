"""A viewer sees no button it cannot use: on every incident-scoped page (incident, evidence,
notes, tasks, scan) a viewer gets no form that posts (but the header's language switch and log
out) and no link to a page its role is refused (403)."""

from __future__ import annotations

import datetime as dt
import io
from html.parser import HTMLParser

import pytest
from django.urls import Resolver404, resolve, reverse

from rouei.core.access import Role
from rouei.evidence import actions as evidence_actions
from rouei.incidents import actions
from rouei.scans.models import EvidenceScan

pytestmark = pytest.mark.django_db

FACTS = {"items": ["person_name", "email"], "people_confirmed": 2000, "knew_at": "2026-11-24",
         "cause": "unauthorized_access"}
HEADER_FORMS = {reverse("set_language"), reverse("logout")}
INCIDENT_APPS = {"incidents", "evidence", "playbooks", "scans"}


class _Page(HTMLParser):
    """The forms that post (their actions) and the links (their addresses) of a page."""

    def __init__(self):
        super().__init__()
        self.post_actions: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self.post_actions.append(attrs.get("action") or "")
        elif tag == "a" and attrs.get("href", "").startswith("/"):
            self.links.append(attrs["href"].split("#")[0].split("?")[0])


@pytest.fixture
def case(user, settings, tmp_path, client):
    """An incident with something on every page: facts, a manual timeline entry, an evidence
    item, a note, tasks, a finished scan not yet taken into the facts (it found phone numbers)."""
    settings.ROUEI_EVIDENCE_DIR = tmp_path / "evidence"
    incident = actions.do_create_incident(title="顧客管理システムへの不正アクセス", facts=FACTS,
                                          actor=user)
    actions.do_add_timeline_event(incident, kind="action", text="サーバーを隔離",
                                  at=dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC), actor=user)
    csv = "氏名,電話番号\r\n" + "".join(f"佐藤 太郎{i},090-0000-000{i}\r\n" for i in range(3))
    item = evidence_actions.add_evidence_from_stream(
        incident, io.BytesIO(csv.encode()), original_name="顧客.csv", description="流出ファイル",
        collected_from="攻撃者のサーバ", collected_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
        collected_by_user=user, actor=user)
    note = evidence_actions.do_add_note(incident, body="初動の記録", actor=user)
    client.force_login(user)
    client.post(reverse("scans:start", args=[incident.pk]))  # tests run the scan at once
    client.logout()
    incident.refresh_from_db()
    return {"incident": incident, "item": item, "note": note,
            "scan": EvidenceScan.objects.get(incident=incident),
            "task": incident.tasks.order_by("id").first()}


@pytest.fixture
def as_role(client, case, user, make_user):
    """``as_role("legal")``: the client signed in as a member in that role ("lead": ``user``)."""
    def sign_in(role: str):
        member = user
        if role != Role.LEAD:
            member = make_user(f"{role}-user")
            actions.do_add_member(case["incident"], member, role, actor=user)
        client.force_login(member)
        return client
    return sign_in


PAGES = {
    "incident": lambda c: reverse("incidents:detail", args=[c["incident"].pk]),
    "evidence register": lambda c: reverse("evidence:list", args=[c["incident"].pk]),
    "evidence item": lambda c: reverse("evidence:item", args=[c["incident"].pk, c["item"].pk]),
    "notes": lambda c: reverse("evidence:notes", args=[c["incident"].pk]),
    "tasks": lambda c: reverse("playbooks:tasks", args=[c["incident"].pk]),
    "task": lambda c: reverse("playbooks:task_edit", args=[c["incident"].pk, c["task"].pk]),
    "audit": lambda c: reverse("incidents:audit", args=[c["incident"].pk]),
    "scan": lambda c: reverse("scans:detail", args=[c["scan"].incident_id, c["scan"].pk]),
}


def _page(client, url: str) -> _Page:
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = _Page()
    parsed.feed(response.content.decode())
    return parsed


def _is_refusal(response) -> bool:
    return response.status_code == 403


def _refused(client, page: _Page) -> list[str]:
    """The page's forms and links that the signed-in member's role is refused (403): each
    form posted empty (a refusal comes before any validation), each incident link opened."""
    refused = [f"POST {a}" for a in sorted(set(page.post_actions) - HEADER_FORMS)
               if _is_refusal(client.post(a))]
    for link in sorted(set(page.links)):
        try:
            namespace = resolve(link).namespace
        except Resolver404:
            continue
        if namespace in INCIDENT_APPS and client.get(link).status_code == 403:
            refused.append(f"GET {link}")
    return refused


@pytest.mark.parametrize("name", PAGES)
def test_viewer_page_has_no_form_that_posts_but_the_header(as_role, case, name):
    page = _page(as_role(Role.VIEWER), PAGES[name](case))
    assert sorted(set(page.post_actions) - HEADER_FORMS) == []


@pytest.mark.parametrize("role", [r for r in Role if r != Role.LEAD])
@pytest.mark.parametrize("name", PAGES)
def test_role_page_offers_no_form_or_link_the_role_is_refused(as_role, case, name, role):
    client = as_role(role)
    assert _refused(client, _page(client, PAGES[name](case))) == []


@pytest.mark.parametrize("name", PAGES)
def test_lead_page_offers_what_a_viewer_is_refused(as_role, case, user, make_user, name):
    """The firing side of the checks above: on each page the lead gets forms or links that a
    viewer's role is refused, so a page that leaked them to a viewer would fail."""
    lead_page = _page(as_role(Role.LEAD), PAGES[name](case))
    assert _refused(as_role(Role.VIEWER), lead_page) != []
