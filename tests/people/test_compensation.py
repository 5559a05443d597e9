"""The compensation policy, the claims decided under it, and the public claim form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rouei.people import actions
from rouei.people.compensation import amount_for
from rouei.people.models import Claim, Person

pytestmark = pytest.mark.django_db

POLICY = {"mode": "claim", "amount_confirmed": 500, "amount_possible": 0,
          "item_amounts": {"credit_card": 1000}, "form": "voucher", "non_monetary": "",
          "claim_deadline": None}


@pytest.fixture
def registry(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv())
    return {p.record().name: p for p in Person.objects.all()}


@pytest.fixture
def policy(incident, user):
    return actions.do_save_compensation_policy(user, incident, **POLICY)


def _claim(person, birth):
    return {"ref": person.record().ref, "birth_date": birth, "name": person.record().name}


def test_a_card_holder_gets_the_card_amount():
    assert amount_for(confirmed=True, items=["person_name", "credit_card"], amount_confirmed=500,
                      amount_possible=0, item_amounts={"credit_card": 1000}) == 1000


def test_a_possibly_affected_person_is_not_eligible_when_the_policy_says_so():
    assert amount_for(confirmed=False, items=["credit_card"], amount_confirmed=500,
                      amount_possible=0, item_amounts={"credit_card": 1000}) == 0


def test_an_accepted_claim_is_a_payout_of_the_policy_s_amount(incident, user, registry, policy):
    [result] = actions.do_check_claims(user, incident,
                                       [_claim(registry["山田 太郎"], "1985-04-01")])
    assert result["amount"] == 1000


def test_a_payout_is_recorded(incident, user, registry, policy):
    actions.do_check_claims(user, incident, [_claim(registry["佐藤 花子"], "1990-12-24")])
    assert Claim.objects.get(accepted=True).amount == 500


def test_a_claim_after_the_deadline_is_refused(incident, user, registry):
    actions.do_save_compensation_policy(user, incident, **{
        **POLICY, "claim_deadline": dt.date(2020, 1, 1)})
    [result] = actions.do_check_claims(user, incident,
                                       [_claim(registry["佐藤 花子"], "1990-12-24")])
    assert result["code"] == "deadline_passed"


def test_no_compensation_refuses_every_claim(incident, user, registry):
    actions.do_save_compensation_policy(user, incident, **{**POLICY, "mode": "none"})
    [result] = actions.do_check_claims(user, incident,
                                       [_claim(registry["佐藤 花子"], "1990-12-24")])
    assert result["code"] == "no_compensation"


def test_the_totals_compare_the_policy_with_the_estimate(logged_in_client, incident, registry,
                                                         policy):
    response = logged_in_client.get(reverse("people:compensation", args=[incident.pk]))
    assert response.context["totals"]["planned"] == 1000 + 500 + 500


def test_a_stale_policy_form_is_refused(logged_in_client, incident, policy):
    response = logged_in_client.post(reverse("people:compensation", args=[incident.pk]), {
        "mode": "none", "amount_confirmed": 0, "amount_possible": 0, "item_amounts": "",
        "form": "voucher", "non_monetary": "", "claim_deadline": "", "expected_version": 0})
    assert response.status_code == 409


def test_a_viewer_cannot_change_the_policy(client, incident, member, policy):
    client.force_login(member("viewer"))
    response = client.post(reverse("people:compensation", args=[incident.pk]), {"mode": "none"})
    assert response.status_code == 403


def test_item_amounts_are_typed_with_the_catalogue_s_labels(logged_in_client, incident):
    logged_in_client.post(reverse("people:compensation", args=[incident.pk]), {
        "mode": "claim", "amount_confirmed": 500, "amount_possible": 0,
        "item_amounts": "クレジットカード番号=1,000円", "form": "voucher", "non_monetary": "",
        "claim_deadline": "", "expected_version": 0})
    assert incident.compensation_policy.item_amounts == {"credit_card": 1000}


def test_the_public_form_accepts_an_affected_person_without_sign_in(client, registry, policy):
    person = registry["佐藤 花子"]
    response = client.post(reverse("people:claim", args=[policy.public_token]),
                           _claim(person, "平成2年12月24日"))
    assert response.context["decision"].accepted is True


def test_the_public_form_refuses_someone_not_affected(client, registry, policy):
    response = client.post(reverse("people:claim", args=[policy.public_token]),
                           {"ref": "AAAA-AAAA-AAAA", "birth_date": "1990-12-24", "name": "某"})
    assert response.context["decision"].accepted is False


def test_the_public_form_answers_a_wrong_birth_date_as_an_unknown_number(client, registry,
                                                                         policy):
    url = reverse("people:claim", args=[policy.public_token])
    wrong = client.post(url, _claim(registry["佐藤 花子"], "1990-12-25"))
    unknown = client.post(url, {"ref": "CCCC-CCCC-CCCC", "birth_date": "1990-12-25",
                                "name": "佐藤 花子"})
    assert wrong.context["decision"].reason == unknown.context["decision"].reason


def test_the_public_form_is_rate_limited_per_address(client, registry, policy):
    url = reverse("people:claim", args=[policy.public_token])
    codes = [client.post(url, {"ref": "AAAA-AAAA-AAAA", "birth_date": "1990-12-24",
                               "name": "某"}).status_code for _ in range(25)]
    assert codes[-1] == 429


def test_an_unknown_token_is_404(client, policy):
    assert client.get(reverse("people:claim", args=["nothing-here"])).status_code == 404


def test_a_person_is_paid_once_across_channels(client, incident, user, registry, policy):
    person = registry["佐藤 花子"]
    client.post(reverse("people:claim", args=[policy.public_token]), _claim(person, "1990-12-24"))
    [again] = actions.do_check_claims(user, incident, [_claim(person, "1990-12-24")])
    assert again["code"] == "already_claimed"
