"""The My Number Act report (特定個人情報の漏えい等に関する報告, 番号法29条の4第1項): its items filled
from the incident in JSON, Word and the PDF's text layer; what is missing with the My Number
deadlines; offered only where the duty engine says the report is owed, the page saying why not
elsewhere; and the points the law or the form leaves open."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from rouei.core.errors import ActionError
from rouei.documents import actions as document_actions
from rouei.documents import services
from rouei.documents.kinds import get_kind
from rouei.documents.kinds.my_number_report.context import REPORT_KEYS
from rouei.incidents import actions
from tests.documents.readback import READERS, flat

pytestmark = pytest.mark.django_db
KIND = get_kind("my-number-report")
# Payroll data of 150 employees with their My Numbers: more than 100 (規則2条4号).
PAYROLL = {"items": ["person_name", "address", "my_number"], "people_confirmed": 150,
           "knew_at": "2026-11-24", "cause": "misdelivery", "malicious": False}


@pytest.fixture
def payroll(user):
    return actions.do_create_incident(title="源泉徴収票の誤送付", summary="給与担当が誤って送付",
                                      organisation="人事部", facts=PAYROLL, actor=user)


def create(user, **facts):
    return actions.do_create_incident(title="件名", facts={**PAYROLL, **facts}, actor=user)


def test_the_kind_is_no_longer_planned():
    from rouei.documents.kinds import PLANNED

    assert "my-number-report" not in PLANNED


def test_the_json_has_the_nine_items_and_the_my_number_keys(payroll):
    assert tuple(KIND.build(payroll)) == REPORT_KEYS


def test_the_triggers_are_those_of_the_my_number_rules(payroll):
    ids = [t["id"] for t in KIND.build(payroll)["overview"]["triggers"]]
    assert ids == ["mn_over_100"]


def test_the_people_are_the_facts_count(payroll):
    assert KIND.build(payroll)["people"]["confirmed"] == 150


def test_the_items_say_the_my_number_is_among_them(payroll):
    assert KIND.build(payroll)["items"]["my_number_included"] is True


def test_the_report_is_dated_in_wareki(payroll):
    now = dt.datetime(2026, 12, 6, 3, 0, tzinfo=dt.UTC)
    assert KIND.build(payroll, None, now)["overview"]["report"]["drafted_on_text"] \
        == "令和8年12月6日"


def test_the_final_due_is_the_my_number_assessments(payroll):
    engine = payroll.latest_snapshot().assessment.my_number_act.final_report_due
    assert KIND.build(payroll)["overview"]["report"]["final_due"] == engine.isoformat()


def test_the_final_report_has_30_days(payroll):
    assert KIND.build(payroll)["overview"]["report"]["final_report_days"] == 30


def test_the_final_report_has_60_days_for_an_unlawful_purpose(user):
    incident = create(user, malicious=True, cause="unauthorized_access")
    assert KIND.build(incident)["overview"]["report"]["final_report_days"] == 60


def test_missing_items_carry_the_my_number_deadline(payroll):
    engine = payroll.latest_snapshot().assessment.my_number_act.final_report_due
    missing = {m["field"]: m for m in KIND.build(payroll, "final")["missing"]}
    assert missing["secondary_damage.status"]["deadline"] == engine.isoformat()


def test_missing_items_speak_of_specific_personal_information(payroll):
    labels = [m["label"] for m in KIND.build(payroll)["missing"]]
    assert not any("個人データ" in label for label in labels)


def test_the_unclear_points_are_in_the_json(payroll):
    codes = {u["code"] for u in KIND.build(payroll)["unclear"]}
    assert {"one_filing", "people_scope"} <= codes


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("expected", [
    "特定個人情報の漏えい等に関する報告", "番号法", "特定個人情報に係る本人の数", "150人（確認済み）",
    "本人の数が100人超", "個人番号", "誤送付・誤送信", "特定個人情報漏えい等報告規則3条1項",
])
def test_word_and_pdf_carry_the_items(payroll, fmt, expected):
    rendered = services.render(KIND, payroll, stage="preliminary", fmt=fmt)
    assert flat(expected) in flat(READERS[fmt](rendered.content))


def test_a_my_number_filing_makes_the_next_one_the_final(payroll, user):
    actions.do_record_filed_report(payroll, kind="my_number",
                                   filed_at=timezone.now() - dt.timedelta(hours=1),
                                   channel="ppc_form", receipt_number="MN-1", filed_by=user,
                                   actor=user)
    assert KIND.default_stage(payroll) == "final"


def test_a_my_number_filing_is_listed_with_its_receipt(payroll, user):
    actions.do_record_filed_report(payroll, kind="my_number",
                                   filed_at=timezone.now() - dt.timedelta(hours=1),
                                   channel="ppc_form", receipt_number="MN-1", filed_by=user,
                                   actor=user)
    layout = KIND.layout(KIND.build(payroll))
    assert "受付番号 MN-1" in layout.fields()["other.filed_reports"].value


# --- offered only where the report is owed ------------------------------------------------------

def test_offered_where_the_report_is_owed(payroll):
    assert KIND.offered_for(payroll) is None


def test_not_offered_without_my_numbers(incident):
    assert KIND.offered_for(incident).status == "no_my_number"


SETTLED_100 = {"people_confirmed": 100, "people_is_upper_bound": True, "network_system": False,
               "encryption": "none"}


def test_not_offered_for_100_people_or_fewer(user):
    incident = create(user, **SETTLED_100)
    assert KIND.offered_for(incident).status == "not_applicable"


def test_not_applicable_mentions_the_duty_to_endeavour(user):
    incident = create(user, **SETTLED_100)
    assert "努力義務" in KIND.offered_for(incident).why


def test_not_offered_while_undecided(user):
    incident = create(user, people_confirmed=None, people_estimated=80)
    assert KIND.offered_for(incident).status == "undecided"


def test_the_page_explains_why_not(logged_in_client, incident):
    page = logged_in_client.get(reverse("documents:my-number-report", args=[incident.pk]))
    assert 'data-status="no_my_number"' in page.content.decode()


def test_the_page_shows_the_report_where_owed(logged_in_client, payroll):
    page = logged_in_client.get(reverse("documents:my-number-report", args=[payroll.pk]))
    assert 'id="my-number-report"' in page.content.decode()


def test_the_page_says_what_is_unclear(logged_in_client, payroll):
    page = logged_in_client.get(reverse("documents:my-number-report", args=[payroll.pk]))
    assert 'data-code="one_filing"' in page.content.decode()


def test_the_index_marks_it_not_owed(logged_in_client, incident):
    page = logged_in_client.get(reverse("documents:index", args=[incident.pk]))
    assert 'data-not-offered="my-number-report"' in page.content.decode()


def test_rendering_where_not_owed_is_refused(incident, user):
    with pytest.raises(ActionError) as refused:
        document_actions.do_render(incident, "my-number-report", stage=None, fmt="json",
                                   actor=user)
    assert refused.value.code == "kind_not_applicable"


def test_rendering_where_owed_writes_the_json(payroll, user):
    rendered = document_actions.do_render(payroll, "my-number-report", stage=None, fmt="json",
                                          actor=user)
    assert json.loads(rendered.content)["overview"]["report"]["kind"] == "my-number-report"


def test_non_member_gets_404(client, payroll, outsider):
    client.force_login(outsider)
    assert client.get(reverse("documents:my-number-report", args=[payroll.pk])).status_code \
        == 404


def test_the_pdf_page_renders_as_an_image(payroll, tmp_path):
    import shutil
    import subprocess

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed; ./run test installs it")
    source = tmp_path / "report.pdf"
    source.write_bytes(services.render(KIND, payroll, stage="preliminary", fmt="pdf").content)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(source),
                    str(tmp_path / "page")], check=True)
    image = next(tmp_path.glob("page*.png"))
    assert image.stat().st_size > 20_000  # a page of Japanese text, not a blank one
