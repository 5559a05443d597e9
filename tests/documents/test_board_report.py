"""The board report (取締役会報告) of the demo incident and of incidents built here: status,
deadlines met and coming, people affected (facts and registry), the cost estimate beside a spend
that is missing (never invented), and the open risks — in JSON, Word and the PDF's text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from rouei.documents import services
from rouei.documents.kinds import get_kind
from rouei.documents.kinds.board_report.context import BOARD_KEYS
from rouei.domain.jdates import format_date, wareki
from rouei.estimates.services import incident_estimate
from rouei.incidents import actions
from rouei.people.services import registry_counts
from tests.documents.readback import READERS, flat

pytestmark = pytest.mark.django_db
KIND = get_kind("board-report")
HEADINGS = ("現在の状況", "期限", "影響を受けた本人", "費用", "未解決のリスク", "再発防止策")


def expected_pieces(incident) -> list[str]:
    """What the board must read, as the incident's own records give it."""
    snapshot = incident.latest_snapshot()
    estimate = incident_estimate(incident, "ja")["estimate"]
    overdue = incident.measures.filter(status__in=("planned", "in_progress"),
                                       due_date__lt=timezone.localdate())
    return [
        *HEADINGS,
        f"報告日{wareki(timezone.localdate())}",
        "対応の段階速報済",
        "速報の提出（期限",
        "受付番号DEMO-0001",
        f"確報の提出（期限{format_date(snapshot.final_report_due)}）",
        "3,100人（確認済み）",
        f"{registry_counts(incident)['total']:,}人",
        f"{estimate['total']:,}円",
        "実際の支出記録なし",
        *(f"{m.title}（期日{format_date(m.due_date)}" for m in overdue),
    ]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_every_required_item_of_the_demo_is_in_the_file(demo, fmt):
    text = flat(READERS[fmt](services.render(KIND, demo, stage=None, fmt=fmt).content))
    assert [p for p in map(flat, expected_pieces(demo)) if p not in text] == []


def test_json_export_has_the_board_keys(demo):
    assert set(KIND.build(demo)) == set(BOARD_KEYS)


def test_json_of_the_demo(demo):
    report = KIND.build(demo)
    met = report["deadlines"]["met"][0]
    facts = {
        "spend": report["cost"]["spend"],
        "spend_recorded": report["cost"]["spend_recorded"],
        "spend listed as missing": "cost.spend" in {m["field"] for m in report["missing"]},
        "registry": report["people"]["registry"]["total"],
        "first deadline met": (met["what"], met["receipt_number"], met["on_time"]),
        "overdue measures": sorted(m["title"] for m in report["risks"]["overdue_measures"]),
    }
    assert facts == {
        "spend": None, "spend_recorded": False, "spend listed as missing": True,
        "registry": registry_counts(demo)["total"],
        "first deadline met": ("速報の提出", "DEMO-0001", True),
        "overdue measures": sorted(demo.measures.filter(
            status__in=("planned", "in_progress"),
            due_date__lt=timezone.localdate()).values_list("title", flat=True)),
    }


def test_without_a_registry_the_report_says_so(incident):
    text = KIND.layout(KIND.build(incident)).text()
    assert "対象者名簿の登録数: 名簿は未作成" in text


def test_without_measures_the_report_says_there_is_no_plan(incident):
    text = KIND.layout(KIND.build(incident)).text()
    assert "再発防止策は未策定" in text


@pytest.fixture
def reportable(user):
    """More than 1,000 people (規則7条4号): a report is due."""
    return actions.do_create_incident(
        title="件名", facts={"items": ["person_name"], "people_confirmed": 1500,
                            "knew_at": "2026-11-24"}, actor=user)


def test_a_report_filed_after_its_deadline_is_a_deadline_missed(reportable, user):
    incident = reportable
    due = incident.latest_snapshot().preliminary_report_due
    late = timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=2), dt.time(10)))
    actions.do_record_filed_report(incident, kind="preliminary", filed_at=late,
                                   channel="ppc_form", receipt_number="L-1", filed_by=user,
                                   actor=user)
    missed = KIND.build(incident)["deadlines"]["missed"]
    assert [(d["what"], d["receipt_number"]) for d in missed] == [("速報の提出", "L-1")]


def test_an_unfiled_report_past_its_deadline_is_missed_not_coming(reportable):
    deadlines = KIND.build(reportable, now=timezone.now() + dt.timedelta(days=400))["deadlines"]
    assert "速報の提出" in {d["what"] for d in deadlines["missed"]}


def test_missing_report_items_are_open_risks(incident):
    risks = KIND.build(incident)["risks"]["missing_report_items"]
    assert "原因の詳細（経緯）" in {m["label"] for m in risks}


def test_an_overdue_task_is_an_open_risk(incident):
    task = incident.tasks.exclude(due_date=None).first()
    later = timezone.make_aware(dt.datetime.combine(task.due_date + dt.timedelta(days=3),
                                                    dt.time(12)))
    risks = KIND.build(incident, now=later)["risks"]["overdue_tasks"]
    assert task.title in {t["title"] for t in risks}


# --- the spend, once recorded (rouei.estimates Spend) -------------------------------------------

@pytest.fixture
def spent(incident, user):
    """1,200,000 yen of forensics (estimate 3,000,000) and 450,000 yen of goodwill vouchers."""
    from rouei.estimates.actions import do_add_spend

    day = timezone.localdate()
    do_add_spend(incident, spent_on=day, category="forensic_investigation", amount=1_200_000,
                 note="調査会社 着手金", actor=user)
    do_add_spend(incident, spent_on=day, category="goodwill", amount=450_000, actor=user)
    return incident


def by_category(report) -> dict:
    return {line["key"]: (line["spent"], line["difference"])
            for line in report["cost"]["by_category"]}


def test_json_gives_the_total_spent(spent):
    assert KIND.build(spent)["cost"]["spend"] == 1_650_000


def test_json_sets_each_category_beside_its_estimate(spent):
    lines = by_category(KIND.build(spent))
    assert (lines["forensic_investigation"], lines["goodwill"]) == \
        ((1_200_000, -1_800_000), (450_000, None))


def test_json_total_compares_with_the_response_costs(spent):
    report = KIND.build(spent)
    assert report["cost"]["total"]["difference"] == \
        1_650_000 - report["cost"]["estimate"]["response_costs"]


def test_recorded_spend_is_no_longer_missing(spent):
    assert "cost.spend" not in {m["field"] for m in KIND.build(spent)["missing"]}


def test_without_spend_the_categories_are_empty(incident):
    assert KIND.build(incident)["cost"]["by_category"] == []


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_file_gives_the_spend_per_category(spent, fmt):
    text = flat(READERS[fmt](services.render(KIND, spent, stage=None, fmt=fmt).content))
    expected = ["実際の支出1,650,000円（2件の記録）",
                "フォレンジック調査:試算3,000,000円、支出1,200,000円（差-1,800,000円）",
                "見舞金・お詫びの品:試算—、支出450,000円"]
    assert [p for p in map(flat, expected) if p not in text] == []


def test_the_note_stays_out_of_the_report(spent):
    assert "調査会社" not in KIND.layout(KIND.build(spent)).text()
