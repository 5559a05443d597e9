"""A synthetic registry for the demo incident (`rouei demo`): people who do not exist, written
the way a shop's export writes them, imported through the same audited import as a real list.

Deterministic (seeded), so the demo is the same every time: 3,100 card holders confirmed (the
card company's list) and 8,900 more who only possibly leaked (everyone who paid by card while
the page was tampered with), about 2% of them twice with another spelling (a re-registration),
some without e-mail, some without a postal address.
"""

from __future__ import annotations

import csv
import random
import tempfile
from pathlib import Path

FAMILY = [("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"),
          ("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"),
          ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("山田", "ヤマダ"),
          ("佐々木", "ササキ"), ("山口", "ヤマグチ"), ("松本", "マツモト"), ("井上", "イノウエ"),
          ("木村", "キムラ"), ("林", "ハヤシ"), ("斎藤", "サイトウ"), ("清水", "シミズ")]
GIVEN = [("太郎", "タロウ"), ("花子", "ハナコ"), ("一郎", "イチロウ"), ("美咲", "ミサキ"),
         ("健太", "ケンタ"), ("陽菜", "ヒナ"), ("大輔", "ダイスケ"), ("結衣", "ユイ"),
         ("翔太", "ショウタ"), ("さくら", "サクラ"), ("直樹", "ナオキ"), ("愛", "アイ"),
         ("拓也", "タクヤ"), ("真由美", "マユミ"), ("誠", "マコト"), ("恵子", "ケイコ")]
TOWNS = [("100-0001", "東京都千代田区千代田"), ("530-0001", "大阪府大阪市北区梅田"),
         ("460-0008", "愛知県名古屋市中区栄"), ("812-0011", "福岡県福岡市博多区博多駅前"),
         ("060-0001", "北海道札幌市中央区北一条西"), ("980-0021", "宮城県仙台市青葉区中央"),
         ("730-0011", "広島県広島市中区基町"), ("220-0011", "神奈川県横浜市西区高島")]
HEADER = ["氏名", "フリガナ", "郵便番号", "住所", "電話番号", "メールアドレス", "生年月日", "区分",
          "漏えい項目"]
CARD_ITEMS = "氏名、郵便番号、住所、電話番号、メールアドレス、クレジットカード番号、カード有効期限、セキュリティコード"
CONFIRMED = 3_100
POSSIBLE = 8_900


def write_demo_list(path: Path, seed: int = 2026, scale: float = 1.0) -> int:
    """The demo list as a UTF-8 CSV (``scale``: a share of the 12,000 people, for tests that
    need a registry, not its size); returns the number of rows."""
    rng = random.Random(seed)  # noqa: S311 — synthetic demo data, reproducible on purpose
    rows = []
    confirmed = round(CONFIRMED * scale)
    for number in range(confirmed + round(POSSIBLE * scale)):
        (family, family_kana), (given, given_kana) = rng.choice(FAMILY), rng.choice(GIVEN)
        postal, town = rng.choice(TOWNS)
        person = {
            "氏名": f"{family} {given}", "フリガナ": f"{family_kana} {given_kana}",
            "郵便番号": postal if rng.random() > 0.03 else "",
            "住所": f"{town}{rng.randint(1, 9)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
                  if rng.random() > 0.03 else "",
            "電話番号": f"0{rng.choice('987')}0-{rng.randint(1000, 9999)}-{number % 10000:04d}",
            "メールアドレス": f"demo{number:05d}@example.jp" if rng.random() > 0.1 else "",
            "生年月日": f"{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "区分": "確定" if number < confirmed else "可能性", "漏えい項目": CARD_ITEMS,
        }
        rows.append(person)
        if rng.random() < 0.02:  # registered twice, typed differently
            twin = dict(person)
            twin["氏名"] = person["氏名"].replace(" ", "　")
            twin["電話番号"] = person["電話番号"].replace("-", "")
            twin["メールアドレス"] = ""
            rows.append(twin)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def add_demo_registry(incident, actor) -> None:
    """Import the demo list into ``incident`` (once: an incident with people is left alone)."""
    from django.conf import settings

    from rouei.people.actions import do_import_people
    from rouei.people.models import Person

    if Person.objects.filter(incident=incident).exists():
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo-people.csv"
        write_demo_list(path, scale=getattr(settings, "ROUEI_DEMO_PEOPLE_SCALE", 1.0))
        do_import_people(actor, incident, path, on_error="stop")
