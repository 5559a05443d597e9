"""Health-check results (健康診断等の結果, GL 2-3): what a check found, not having taken one."""

from __future__ import annotations

import pytest

from rouei.scanning.detectors import health_checkup_result as checkup

from ._helpers import categories, found


@pytest.mark.parametrize("text", [
    "健康診断で脂肪肝を指摘された",
    "健診で血圧が高いと言われた",
    "人間ドックで要精密検査と言われました",
    "ストレスチェックで高ストレス者と判定された",
])
def test_detect_check_and_finding_in_one_phrase_found(text):
    assert categories(text) == ["health_checkup_result"]


@pytest.mark.parametrize("text, value", [
    ("尿酸値が高めと健康診断の結果に出た", "尿酸値が高め"),
    ("会社の健診結果はD判定でした", "D判定"),
    ("健康診断の結果、要再検査", "要再検査"),
])
def test_detect_measurement_or_grade_with_context_found(text, value):
    assert found(text, "health_checkup_result") == [value]


@pytest.mark.parametrize("text", [
    "健康診断を受けました",  # the fact of a check is not its result (GL 2-3)
    "健康診断で異常を指摘された方は早めに受診してください",
    "血圧が高い方におすすめのレシピ",
    "Ｄ判定の模試の結果",  # an exam, no check
])
def test_detect_attendance_notice_or_exam_not_found(text):
    assert found(text, "health_checkup_result") == []


def test_validate_and_normalise():
    assert checkup.validate("要精密検査")
    assert not checkup.validate("受診済み")
    assert checkup.normalise_value("Ｄ判定") == "d判定"
