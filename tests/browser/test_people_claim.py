"""Issue 12 in a real browser: the public claim form (no sign-in) refuses a person who was not
affected and accepts one who was."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rouei.incidents import actions as incident_actions
from rouei.people import actions
from rouei.people.models import Person
from tests.people.conftest import FACTS, HEADER, ROWS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFUSED = "/tmp/people_claim_refused.png"


@pytest.fixture
def claim_url(user, tmp_path):
    incident = incident_actions.do_create_incident(title="顧客情報の漏えい", facts=FACTS,
                                                   actor=user)
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    actions.do_import_people(user, incident, path)
    policy = actions.do_save_compensation_policy(
        user, incident, mode="claim", amount_confirmed=500, amount_possible=0, item_amounts={},
        form="voucher", non_monetary="", claim_deadline=None)
    return reverse("people:claim", args=[policy.public_token])


def _fill(page, ref, birth, name):
    page.fill("#id_ref", ref)
    page.fill("#id_birth_date", birth)
    page.fill("#id_name", name)
    page.click("#claim-form button[type=submit]")


def test_a_claim_from_a_person_not_affected_is_refused(page, live_server, claim_url):
    page.goto(f"{live_server.url}{claim_url}")
    _fill(page, "ACEF-GHJK-MNPQ", "1980-01-01", "無関係 太郎")
    assert "登録にありません" in page.locator("#claim-reason").inner_text()
    page.screenshot(path=REFUSED, full_page=True)


def test_a_claim_from_an_affected_person_is_accepted(page, live_server, claim_url):
    ref = next(p.record().ref for p in Person.objects.all() if p.record().name == "佐藤 花子")
    page.goto(f"{live_server.url}{claim_url}")
    _fill(page, ref.lower(), "平成2年12月24日", "佐藤　花子")
    assert "確認しました" in page.locator("#claim-reason").inner_text()
