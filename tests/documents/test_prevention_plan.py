"""The prevention plan (再発防止策実施計画) of the demo incident and of incidents built here: every
measure in every format with its owner, due date, KPI and status; overdue measures and measures
lacking an owner, a due date or a KPI are called out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from rouei.documents import services
from rouei.documents.kinds import get_kind
from rouei.documents.kinds.prevention_plan.context import PLAN_KEYS
from rouei.domain.jdates import format_date, wareki
from rouei.prevention.actions import do_add_measure
from tests.documents.readback import READERS, flat

pytestmark = pytest.mark.django_db
KIND = get_kind("prevention-plan")
GROUP_HEADINGS = ("技術的対策", "組織的・人的対策", "委託先管理", "ガバナンス")


@pytest.fixture
def demo_text(demo):
    def read(fmt):
        return flat(READERS[fmt](services.render(KIND, demo, stage=None, fmt=fmt).content))
    return read


def test_json_export_has_the_plan_keys(demo):
    assert set(KIND.build(demo)) == set(PLAN_KEYS)


def test_json_counts_match_the_measures(demo):
    counts = KIND.build(demo)["counts"]
    assert (counts["total"], counts["done"]) == (demo.measures.count(),
                                                 demo.measures.filter(status="done").count())


def test_json_marks_the_measures_past_their_due_date(demo):
    today = timezone.localdate()
    overdue = {m["title"] for g in KIND.build(demo)["groups"] for m in g["measures"]
               if m["overdue"]}
    assert overdue == {m.title for m in demo.measures.filter(
        status__in=("planned", "in_progress"), due_date__lt=today)}


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_every_group_is_a_heading_of_the_file(demo_text, fmt):
    text = demo_text(fmt)
    assert [h for h in GROUP_HEADINGS if h not in text] == []


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_every_measure_is_in_the_file_with_its_due_date_and_kpi(demo, demo_text, fmt):
    text = demo_text(fmt)
    expected = [flat(f"{m.title}") for m in demo.measures.all()]
    expected += [flat(f"期日:{format_date(m.due_date)}") for m in demo.measures.all()]
    expected += [flat(f"KPI:{m.kpi}") for m in demo.measures.exclude(kpi="")]
    assert [piece for piece in expected if piece not in text] == []


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_file_is_dated_in_wareki(demo_text, fmt):
    assert f"作成日{wareki(timezone.localdate())}" in demo_text(fmt)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_measure_without_kpi_is_called_out(demo, demo_text, fmt):
    vague = demo.measures.filter(kpi="").first()
    assert flat(f"{vague.title}（未設定:KPI）") in demo_text(fmt)


def test_an_incident_without_measures_renders_empty_groups(incident):
    layout = KIND.layout(KIND.build(incident))
    assert [s.fields[0].value for s in layout.sections] == ["なし"] * 4


def test_a_dropped_measure_gives_its_reason(incident, user):
    do_add_measure(incident, group="technical", title="USBメモリの全面禁止", status="dropped",
                   drop_reason="業務に支障があるため暗号化USBに切替", actor=user)
    text = KIND.layout(KIND.build(incident)).text()
    assert "理由: 業務に支障があるため暗号化USBに切替" in text


def test_a_measure_done_gives_its_day(incident, user):
    do_add_measure(incident, group="technical", title="WAF導入", status="done",
                   done_on=dt.date(2026, 11, 30), actor=user)
    text = KIND.layout(KIND.build(incident)).text()
    assert "実施済み（2026年11月30日（月））" in text
