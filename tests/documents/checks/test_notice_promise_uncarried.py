from __future__ import annotations

import pytest

from rouei.documents.checks import Carrier, Compensation, PromiseText
from rouei.documents.checks import notice_promise_uncarried as rule
from rouei.documents.checks._promises import PROMISES, promised
from tests.documents.checks.conftest import make

WINDOW = PromiseText("公表文（第一報）", "public notice (第一報)",
                     "本件に関する専用窓口を設置いたしました。")
VOUCHER = PromiseText("本人への通知", "letter to each person",
                      "対象のお客様には、お詫びの品として500円分のQUOカードをお送りいたします。")


def test_fires_for_a_dedicated_window_no_task_carries():
    assert "「専用窓口」" in rule.check(make(promise_texts=(WINDOW,)))[0].message


def test_names_the_text_that_promised_it():
    assert "公表文（第一報）" in rule.check(make(promise_texts=(WINDOW,)))[0].message


def test_quiet_when_the_contact_window_task_carries_it():
    data = make(promise_texts=(WINDOW,),
                carriers=(Carrier("task", "contact_window", "専用問合せ窓口の開設"),))
    assert rule.check(data) == []


def test_a_task_added_by_hand_carries_it_by_its_title():
    data = make(promise_texts=(WINDOW,), carriers=(Carrier("task", "", "コールセンター委託"),))
    assert rule.check(data) == []


def test_fires_for_a_voucher_without_a_compensation_policy():
    finding = rule.check(make(promise_texts=(VOUCHER,)))[0]
    assert finding.details["promises"][0]["promise"] == "compensation"


def test_a_policy_of_no_compensation_does_not_carry_a_voucher():
    data = make(promise_texts=(VOUCHER,), compensation=Compensation("none", False, None))
    assert rule.check(data)[0].code == rule.CODE


def test_quiet_when_a_compensation_policy_pays():
    data = make(promise_texts=(VOUCHER,), compensation=Compensation("automatic", True, None))
    assert rule.check(data) == []


def test_any_measure_carries_recurrence_prevention():
    text = PromiseText("公表文（次の版の案）", "public notice (draft)",
                       "調査結果を踏まえた再発防止策を講じてまいります。")
    data = make(promise_texts=(text,), carriers=(Carrier("measure", "", "多要素認証の導入"),))
    assert rule.check(data) == []


def test_fires_for_recurrence_prevention_with_no_measure_or_task():
    text = PromiseText("公表文（次の版の案）", "public notice (draft)",
                       "調査結果を踏まえた再発防止策を講じてまいります。")
    assert rule.check(make(promise_texts=(text,)))[0].details["promises"][0]["label"] == \
        "再発防止策"


def test_quiet_when_nothing_is_promised():
    text = PromiseText("公表文（第一報）", "public notice", "深くお詫び申し上げます。")
    assert rule.check(make(promise_texts=(text,))) == []


def test_a_sentence_saying_no_voucher_promises_nothing():
    assert promised("お詫びの品の送付は予定しておりません。") == {}


@pytest.mark.parametrize(("text", "kind"), [
    ("専用ダイヤルを開設しました", "contact_window"),
    ("見舞金として1,000円をお支払いします", "compensation"),
    ("判明しましたら改めてお知らせいたします", "follow_up"),
    ("不正アクセスの監視を強化いたしました", "monitoring"),
    ("弊社サービスのパスワードを初期化いたしました", "password_reset"),
    ("カードの再発行手数料は弊社が負担いたします", "card_reissue"),
    ("対象となるお客様には、順次、個別にご連絡いたします", "individual_notice"),
    ("誤送付先に削除を依頼しました", "deletion"),
])
def test_the_table_knows_the_reference_vocabulary(text, kind):
    assert kind in promised(text)


def test_asking_to_change_another_services_password_is_no_reset_promise():
    assert "password_reset" not in promised(
        "同じパスワードを他のサービスでもお使いの場合は、そのサービスのパスワードの変更を"
        "お願いいたします。")


def test_every_promise_has_a_carrier():
    assert all(k.task_keys or k.carrier_words or k.any_measure or k.compensation
               for k in PROMISES)
