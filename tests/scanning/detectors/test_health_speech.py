"""Health and disability (要配慮) as mail, call memos and forms say them of someone, session 15:
a pregnancy by its symptoms or its leave (つわり, 産休), a treatment as what is done to the person
(人工透析を受けている, ペースメーカーを入れている, インスリンを打っている), an illness going on or
left behind (認知症が進んで, 脳梗塞の後遺症), an aid worn (補聴器をつけている), the certificates as
people name them (精神の手帳, 手帳（身体3級）) and a care level of 介護保険法 (要介護2). Notices
about them in general are still not found."""

from __future__ import annotations

import pytest

from ._helpers import found

HEALTH = [
    ("妻がつわりで食事がとれず、定期便を止めてください。", "つわり"),
    ("来月から産休に入るため、配送先を実家に変更します。", "産休"),
    ("父は週3回人工透析を受けているため、午前中は不在です。", "人工透析"),
    ("祖父はペースメーカーを入れているので、電磁調理器は使えません。", "ペースメーカー"),
    ("インスリンを毎日打っています。", "インスリン"),
    ("父は認知症が進んでいます。", "認知症"),
    ("母は脳梗塞の後遺症で右手が不自由です。", "脳梗塞"),
]


@pytest.mark.parametrize(("text", "term"), HEALTH)
def test_health_said_of_someone_is_found(text, term):
    assert found(text, "health") == [term]


DISABILITY = [
    ("祖母は補聴器をつけているので、電話は聞き取りにくいです。", "補聴器"),
    ("私は精神の手帳を持っています。", "精神の手帳"),
    ("手帳（精神2級）を所持しています。", "手帳（精神2級）"),
    ("母は要介護2の認定を受けています。", "要介護2"),
    ("母は要介護２で、デイサービスに通っています。", "要介護２"),
]


@pytest.mark.parametrize(("text", "term"), DISABILITY)
def test_disability_said_of_someone_is_found(text, term):
    assert found(text, "disability") == [term]


@pytest.mark.parametrize(("text", "category"), [
    ("つわりの時期にも食べやすい商品を特集しました。", "health"),
    ("産休・育休の制度についてご案内します。", "health"),
    ("要介護3以上の方はご相談ください。", "disability"),
    ("身体の手帳をお持ちの方は割引になります。", "disability"),
    ("取り付け工事を受けて、入れ替えが完了しました。", "health"),
])
def test_a_notice_about_it_in_general_is_not_found(text, category):
    assert found(text, category) == []
