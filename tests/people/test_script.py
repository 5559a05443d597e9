"""The contact window's talk script (issue 12: "the FAQ and talk script for this incident
(generated from its facts, editable, versioned — it covers the question list in the domain
reference)")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from rouei.core.errors import ActionError, Conflict
from rouei.core.models import AuditEvent
from rouei.incidents import actions as incident_actions
from rouei.people import actions
from rouei.people.models import CompensationMode, ScriptVersion
from rouei.people.window import digest, generated_script

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def japanese():
    with translation.override("ja"):
        yield


def _text(entries) -> str:
    return "\n".join(f"{e['q']}\n{e['a']}" for e in entries)


def _facts(user, incident, **changes):
    facts = dict(incident.latest_facts().facts) | changes
    incident.refresh_from_db()
    incident_actions.do_update_facts(incident, facts, actor=user,
                                     expected_version=incident.version)


# The questions callers ask (notices-and-victims.md §4), each answered by the draft.
@pytest.mark.parametrize("words", [
    "含まれて",  # is my (family's) data included?
    "届いていません",  # why did I get no letter?
    "住所",  # what exactly leaked — my address too?
    "不審",  # suspicious calls, mail, SMS
    "回収",  # was the data recovered or deleted?
    "遅",  # why so late?
    "補償",  # is there compensation?
    "削除",  # withdraw / delete my data
    "家族",  # a relative calling
])
def test_the_draft_answers_the_questions_callers_ask(incident, words):
    questions = " ".join(e["q"] for e in generated_script(incident))
    assert words in questions


def test_the_draft_names_the_number_of_people(incident):
    assert "5" in _text(generated_script(incident))  # people_confirmed of the fixture


def test_the_draft_names_the_day_the_company_knew(incident):
    assert "2026年11月24日" in _text(generated_script(incident))


def test_card_questions_only_when_card_data_leaked(incident):
    assert "カード" not in " ".join(e["q"] for e in generated_script(incident))


def test_card_questions_when_card_data_leaked(user, incident):
    _facts(user, incident, items=["person_name", "credit_card"])
    assert "カード" in " ".join(e["q"] for e in generated_script(incident))


def test_skimming_explained_after_an_attack_on_a_card_shop(user, incident):
    _facts(user, incident, items=["credit_card"], cause="unauthorized_access")
    assert "保存" in " ".join(e["q"] for e in generated_script(incident))


def test_the_draft_follows_the_compensation_policy(user, incident):
    actions.do_save_compensation_policy(user, incident, mode=CompensationMode.CLAIM,
                                        claim_deadline=dt.date(2027, 3, 31))
    assert "2027年3月31日" in _text(generated_script(incident))


def test_no_policy_means_no_promise(incident):
    answer = next(e["a"] for e in generated_script(incident) if "補償" in e["q"])
    assert "約束" in answer


def test_the_window_shows_the_draft_while_nothing_is_saved(incident):
    _entries, version = actions.current_script(incident)
    assert version is None


def test_saving_makes_version_1(user, incident):
    version = actions.do_save_script(user, incident, generated_script(incident),
                                     expected_number=0)
    assert version.number == 1


def test_the_window_shows_the_newest_version(user, incident):
    actions.do_save_script(user, incident, [{"q": "Q1", "a": "A1"}], expected_number=0)
    actions.do_save_script(user, incident, [{"q": "Q2", "a": "A2"}], expected_number=1)
    assert actions.current_script(incident)[0] == [{"q": "Q2", "a": "A2"}]


def test_old_versions_are_kept(user, incident):
    actions.do_save_script(user, incident, [{"q": "Q1", "a": "A1"}], expected_number=0)
    actions.do_save_script(user, incident, [{"q": "Q2", "a": "A2"}], expected_number=1)
    assert ScriptVersion.objects.get(incident=incident, number=1).entries[0]["q"] == "Q1"


def test_a_stale_form_is_refused(user, incident):
    actions.do_save_script(user, incident, [{"q": "Q1", "a": "A1"}], expected_number=0)
    with pytest.raises(Conflict):
        actions.do_save_script(user, incident, [{"q": "Q2", "a": "A2"}], expected_number=0)


def test_blank_rows_are_dropped(user, incident):
    version = actions.do_save_script(user, incident, [{"q": "Q1", "a": "A1"}, {"q": "", "a": ""}],
                                     expected_number=0)
    assert len(version.entries) == 1


def test_a_question_without_an_answer_is_refused(user, incident):
    with pytest.raises(ActionError):
        actions.do_save_script(user, incident, [{"q": "Q1", "a": ""}], expected_number=0)


def test_the_audit_event_records_the_hash(user, incident):
    entries = [{"q": "Q1", "a": "A1"}]
    actions.do_save_script(user, incident, entries, expected_number=0)
    assert AuditEvent.objects.get(action="people.script").details["sha256"] == digest(entries)


def test_an_unchanged_script_makes_no_new_version(user, incident):
    actions.do_save_script(user, incident, [{"q": "Q1", "a": "A1"}], expected_number=0)
    actions.do_save_script(user, incident, [{"q": "Q1", "a": "A1"}], expected_number=1)
    assert ScriptVersion.objects.filter(incident=incident).count() == 1


def test_an_operator_may_not_save_the_script(incident, member):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.do_save_script(member("call_centre"), incident, [{"q": "Q", "a": "A"}],
                               expected_number=0)


def test_the_script_is_not_stored_in_clear(user, incident):
    from django.db import connection

    actions.do_save_script(user, incident, [{"q": "山田様の件", "a": "折り返し"}],
                           expected_number=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT entries FROM people_scriptversion")
        stored = cursor.fetchone()[0]
    assert "山田" not in stored


def _post(client, incident, entries, expected_number, note=""):
    data = {"entry-TOTAL_FORMS": str(len(entries)), "entry-INITIAL_FORMS": "0",
            "expected_number": str(expected_number), "note": note}
    for n, entry in enumerate(entries):
        data[f"entry-{n}-q"], data[f"entry-{n}-a"] = entry["q"], entry["a"]
    return client.post(reverse("people:script", args=[incident.pk]), data)


def test_the_page_saves_a_version(logged_in_client, incident):
    _post(logged_in_client, incident, [{"q": "Q1", "a": "A1"}], 0, note="初版")
    assert ScriptVersion.objects.get(incident=incident).note == "初版"


def test_the_page_refuses_a_stale_form_with_409(logged_in_client, user, incident):
    actions.do_save_script(user, incident, [{"q": "Q1", "a": "A1"}], expected_number=0)
    response = _post(logged_in_client, incident, [{"q": "Q2", "a": "A2"}], 0)
    assert response.status_code == 409


def test_an_operator_sees_the_script_without_the_form(client, incident, member):
    client.force_login(member("call_centre"))
    response = client.get(reverse("people:script", args=[incident.pk]))
    assert 'id="script-form"' not in response.content.decode()


def test_the_window_shows_the_saved_version(client, user, incident, member):
    actions.do_save_script(user, incident, [{"q": "独自の質問", "a": "独自の回答"}],
                           expected_number=0)
    client.force_login(member("call_centre"))
    response = client.get(reverse("people:window", args=[incident.pk]))
    assert "独自の質問" in response.content.decode()
