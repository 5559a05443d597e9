"""The registry's endpoints: look-up and claim check, with the roles and the rate limit."""

from __future__ import annotations

import pytest

from rouei.incidents import actions as incident_actions
from rouei.people import actions
from rouei.people.models import Person
from tests.people.conftest import HEADER, ROWS


@pytest.fixture
def registry(incident, user, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    actions.do_import_people(user, incident, path)
    return {p.record().name: p.record() for p in Person.objects.all()}


def test_a_look_up_by_a_full_width_phone_finds_the_person(api, incident, registry):
    response = api.post(f"/incidents/{incident.pk}/people/lookup", {"phone": "０９０１２３４５６７８"})
    assert [m["ref"] for m in response.json()] == [registry["山田 太郎"].ref]


def test_a_look_up_returns_masked_contact_data(api, incident, registry):
    response = api.post(f"/incidents/{incident.pk}/people/lookup", {"phone": "09012345678"})
    assert "taro@example.jp" not in response.content.decode()


def test_a_look_up_with_nothing_given_is_a_400(api, incident, registry):
    response = api.post(f"/incidents/{incident.pk}/people/lookup", {})
    assert response.status_code == 400


def test_an_operator_cannot_search_the_registry_by_api(api, incident, registry, make_user,
                                                       user, token_for):
    operator = make_user("operator")
    incident_actions.do_add_member(incident, operator, "call_centre", actor=user)
    response = api.as_(token_for(operator)).post(f"/incidents/{incident.pk}/people/lookup",
                                                 {"phone": "09012345678"})
    assert response.status_code == 403


def test_a_non_member_gets_404(api, incident, registry, make_user, token_for):
    stranger = make_user("stranger")
    response = api.as_(token_for(stranger)).post(f"/incidents/{incident.pk}/people/lookup",
                                                 {"phone": "09012345678"})
    assert response.status_code == 404


def test_a_claim_check_accepts_a_person_in_the_registry(api, incident, registry):
    claim = {"ref": registry["佐藤 花子"].ref, "birth_date": "1990-12-24"}
    response = api.post(f"/incidents/{incident.pk}/people/claims/check", {"claims": [claim]})
    assert response.json()[0]["result"] == "accepted"


def test_a_claim_from_someone_not_affected_is_refused(api, incident, registry):
    claim = {"ref": "AAAA-AAAA-AAAA", "birth_date": "1990-12-24"}
    response = api.post(f"/incidents/{incident.pk}/people/claims/check", {"claims": [claim]})
    assert response.json()[0]["result"] == "refused"


def test_look_ups_beyond_the_rate_are_refused(api, incident, registry):
    """The default rate, 120 a minute per token (a CTI asks once per call)."""
    path = f"/incidents/{incident.pk}/people/lookup"
    codes = [api.post(path, {"phone": "09012345678"}).status_code for _ in range(125)]
    assert 429 in codes


def test_a_look_up_compiles_no_orm_query_for_the_token_or_the_membership(api, incident,
                                                                         registry, monkeypatch):
    """Every API call reads its token and its incident membership: both in SQL written once
    (``rouei.core.rows``), not compiled by the ORM per request (most of a look-up's CPU)."""
    from django.core.cache import caches
    from django.db.models.sql.compiler import SQLCompiler

    from rouei.api.models import ApiToken
    from rouei.incidents.models import Membership

    caches["throttle"].clear()  # the counts of the rate limit test before
    compiled = []
    as_sql = SQLCompiler.as_sql

    def recording(self, *args, **kwargs):
        compiled.append(self.query.model)
        return as_sql(self, *args, **kwargs)

    api.post(f"/incidents/{incident.pk}/people/lookup", {"phone": "09012345678"})  # last used
    monkeypatch.setattr(SQLCompiler, "as_sql", recording)
    response = api.post(f"/incidents/{incident.pk}/people/lookup", {"phone": "09012345678"})
    assert response.status_code == 200
    assert not {ApiToken, Membership} & set(compiled)


# --- stale look-up keys (the registry built under other key rules) ------------------------

STALE = "照会キーが古い規則で作られています"


@pytest.fixture
def stale_registry(incident, registry):
    """Keys built under the first rules, before ``rouei people reindex``."""
    from rouei.people.models import RegistryKeyRules
    from rouei.people.registry import FIRST_LOOKUP_RULES_VERSION

    RegistryKeyRules.objects.filter(incident=incident).update(version=FIRST_LOOKUP_RULES_VERSION)
    return registry


def _look_up(api, incident, **given):
    return api.post(f"/incidents/{incident.pk}/people/lookup", given)


def test_a_match_says_the_keys_are_stale(api, incident, stale_registry):
    assert _look_up(api, incident, phone="09012345678").json()[0]["keys_stale"] is True


def test_a_match_carries_the_warning_in_japanese(api, incident, stale_registry):
    assert STALE in _look_up(api, incident, phone="09012345678").json()[0]["keys_warning"]


def test_a_match_in_a_current_registry_is_not_stale(api, incident, registry):
    match = _look_up(api, incident, phone="09012345678").json()[0]
    assert (match["keys_stale"], match["keys_warning"]) == (False, "")


def test_an_empty_answer_says_the_keys_are_stale_in_its_header(api, incident, stale_registry):
    response = _look_up(api, incident, phone="0311112222")
    assert (response.json(), response["X-Rouei-Keys-Stale"]) == ([], "true")


def test_the_header_says_current_keys(api, incident, registry):
    assert _look_up(api, incident, phone="09012345678")["X-Rouei-Keys-Stale"] == "false"


def test_a_stale_answer_keeps_the_other_keys_meaning(api, incident, stale_registry, registry):
    assert _look_up(api, incident, phone="09012345678").json()[0]["ref"] == registry["山田 太郎"].ref


def test_the_openapi_document_shows_the_stale_keys(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert {"keys_stale", "keys_warning"} <= set(schemas["MatchOut"]["properties"])


def test_the_openapi_document_shows_the_stale_keys_header(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    lookup = paths["/api/v1/incidents/{incident_id}/people/lookup"]["post"]
    assert "X-Rouei-Keys-Stale" in lookup["responses"]["200"]["headers"]


def test_the_stale_check_is_one_more_query_of_one_row(api, incident, registry):
    """The look-up's one added round trip (the registry's key rules, by the incident's unique
    key; the people are counted only when the rules differ): the search itself runs in SQL
    owned by the look-up (services.find), which reads nothing of the registry's rules."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        _look_up(api, incident, phone="09012345678")
    rules = [q["sql"] for q in captured.captured_queries if "people_registrykeyrules" in q["sql"]]
    assert len(rules) == 1
