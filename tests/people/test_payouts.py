"""Compensation paid with the notice (issue 12: "automatic with the letter or by claim"): under
an automatic policy each eligible person is paid once when a notice reaches them, and the
payout is recorded like an accepted claim."""

from __future__ import annotations

import pytest

from rouei.people import actions, services
from rouei.people.models import Claim, ClaimChannel, CompensationMode, Person
from tests.people.test_notices import HANAKO, _person, _send

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(notice_registry):
    return notice_registry


def _policy(user, incident, **fields):
    values = {"mode": CompensationMode.AUTOMATIC, "amount_confirmed": 500, "form": "voucher"}
    return actions.do_save_compensation_policy(user, incident, **(values | fields))


def _paid(incident) -> dict[str, int]:
    return {claim.person.record().name: claim.amount
            for claim in Claim.objects.filter(incident=incident, accepted=True)}


def test_an_e_mail_notice_pays_the_person(server, registry, user):
    _policy(user, registry)
    _send(user, registry)
    assert _paid(registry) == {"山田 太郎": 500, "佐藤 花子": 500}


def test_the_payout_is_recorded_as_automatic(server, registry, user):
    _policy(user, registry)
    _send(user, registry)
    assert set(Claim.objects.values_list("channel", flat=True)) == {ClaimChannel.AUTOMATIC}


def test_a_class_of_data_raises_the_amount(server, registry, user):
    _policy(user, registry, item_amounts={"credit_card": 3000})
    _send(user, registry)
    assert _paid(registry)["山田 太郎"] == 3000


def test_a_possibly_affected_person_is_not_paid_when_the_policy_says_so(server, registry, user):
    Person.objects.filter(pk=_person(registry, HANAKO).pk).update(confirmed=False)
    _policy(user, registry, amount_possible=0)
    _send(user, registry)
    assert "佐藤 花子" not in _paid(registry)


def test_a_policy_on_claims_pays_nobody_with_the_notice(server, registry, user):
    _policy(user, registry, mode=CompensationMode.CLAIM)
    _send(user, registry)
    assert not Claim.objects.exists()


def test_a_letter_mailed_pays_the_person(registry, user, tmp_path):
    _policy(user, registry)
    out = tmp_path / "print.csv"
    with out.open("wb") as handle:
        actions.do_export_print_data(user, registry, handle)
    result = actions.do_record_letters_sent(user, registry, out)
    assert result["paid"] == 2


def test_a_person_is_paid_once_across_channels(server, registry, user, tmp_path):
    _policy(user, registry)
    _send(user, registry)
    Person.objects.filter(incident=registry).update(notice_status="email_bounced")
    out = tmp_path / "print.csv"
    with out.open("wb") as handle:
        actions.do_export_print_data(user, registry, handle)
    actions.do_record_letters_sent(user, registry, out)
    assert Claim.objects.filter(incident=registry, accepted=True).count() == 2


def test_the_totals_count_what_was_paid_with_the_notice(server, registry, user):
    policy = _policy(user, registry)
    _send(user, registry)
    assert services.compensation_totals(registry, policy)["paid"] == 1000

