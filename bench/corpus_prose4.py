"""A fourth development set for people in prose: how customers and call notes mention their
relatives and how a shop's notes name its staff and other companies' people, labelled with
every name and the true number of data subjects.

    uv run --group bench python bench/corpus_prose4.py [OUT] [--seed N] [--score [--show]]

writes (OUT defaults to $ROUEI_BENCH_DIR/prose4; never into the repository)

    OUT/data/      call notes (.txt), mails between the shop's staff about a customer (.eml),
                   a call log exported from a CRM (.csv)
    OUT/truth/spans.jsonl       {"file", "line", "start", "end", "category", "case"}
    OUT/truth/cells.jsonl       {"file", "row", "column", "category", "case"}  (the call log)
    OUT/truth/prose_people.json {"people": the data subjects (customers and their family)}

Written for session 12 (issue 14) from the everyday ways these texts are written, with this
file's own tables (not Faker's, not the other sets', not the held-out corpus's, which is never
read):

- **relatives in everyday words**: 家内の〇〇, 主人の〇〇, 息子の嫁の〇〇, 長男の嫁 〇〇さん, 娘婿の〇〇,
  孫の〇〇, 姑の〇〇, 義理の母の〇〇, a relation right before the name (息子〇〇が), among decoys of the
  same words naming no one (家内が申すには, 息子夫婦が, 主人のスマホ);
- **the shop's staff by label** as a call log writes them: 担当 〇〇 (no colon), 担当者名：, 受電者：,
  対応スタッフ：, 文責：, 応対：〇〇、引継ぎ：〇〇 (two labels on a line), 〇〇（担当）, 弊社 〇〇より,
  営業部 〇〇課長, a CC line of colleagues with their units;
- **other companies' people**: 〇〇さん（ミドリ物流）, ミドリ物流 〇〇様 (no の, no company word
  before the name), ABC商事 〇〇様, 〇〇 〇〇（〇〇株式会社 営業部）, 代理店 〇〇様;
- **a call log table** whose 担当者名 column names the clerk beside the customer's name.

Every name is labelled ``person_name`` (staff and other companies' people too: an employee's
name is personal information); only customers and their relatives are counted as people.
"""

from __future__ import annotations

import csv
import functools
import io
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_prose
from corpus import Line, Truth, _eml
from corpus_prose import SetWriter

# --- this set's own tables ------------------------------------------------------------------

SURNAMES = ("今井", "江口", "大野", "小川", "片山", "金子", "北川", "工藤", "黒田", "近藤", "坂本",
            "島田", "菅原", "関口", "高野", "武田", "千葉", "土屋", "内藤", "永井", "中野", "西田",
            "野口", "服部", "平野", "古川", "堀内", "前田", "松尾", "丸山", "三浦", "村上", "望月",
            "矢野", "山崎", "横山", "若林", "市川", "岩田", "上野", "大塚", "河野", "桑原", "小池",
            "佐野", "白石", "杉本", "田村", "筒井", "徳永", "中川", "成田", "根本", "橋本", "浜田")
GIVEN = ("和子", "健一", "美咲", "大輔", "翔太", "陽子", "直樹", "恵子", "達也", "由美", "博", "京子",
         "雅人", "久美子", "聡", "明美", "剛", "紀子", "浩", "幸子", "智子", "哲也", "真理", "勝",
         "さとみ", "あゆみ", "健太", "結衣", "颯太", "花子")
SHOPS = (("ミナモ通販", "minamo"), ("はるかぜ屋", "harukaze"), ("アオバ家具", "aoba"))
UNITS = ("営業部", "総務部", "カスタマー課", "物流課")
TITLES = ("課長", "部長", "主任", "係長")
OTHER_ORGS = ("ミドリ物流", "ABC商事", "サクラ運輸", "東光システム", "北星サービス")
OTHER_FULL_ORGS = ("ヒカリ電機株式会社", "株式会社ミツバ工業", "有限会社コスモ印刷")
# relations of everyday speech, as a customer or a clerk writes them before the name
KIN_FORMS = (("家内の", "が受け取ります。"), ("主人の", "が電話に出ました。"),
             ("息子の嫁の", "が代わりに問い合わせ。"), ("長男の嫁 ", "さんが来店予定。"),
             ("娘婿の", "が車で取りに来るとのこと。"), ("孫の", "が使う分です。"),
             ("姑の", "の名義で届いています。"), ("義理の母の", "も同居。"),
             ("息子", "が申込者です。"), ("娘", "から先に連絡がありました。"))
KIN_DECOYS = ("家内が申しますには、前回も同じ不具合があったとのこと。", "息子夫婦が週末に来店予定。",
              "主人のスマホに案内が届いていない。", "娘の学校の行事で平日は不在。",
              "孫の代わりに問い合わせとのこと。", "姑の介護のため午前中は不在。")


class Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.fresh = list(SURNAMES)
        rng.shuffle(self.fresh)

    def last(self) -> str:
        return self.fresh.pop() if self.fresh else self.rng.choice(SURNAMES)

    def given(self) -> str:
        return self.rng.choice(GIVEN)


def _name(line: Line, text: str, case: str) -> Line:
    return line.add(text, "person_name", case)


def _phone(rng: random.Random) -> str:
    return f"0{rng.choice((70, 80, 90))}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"


# --- the documents ----------------------------------------------------------------------------


def call_note(rng: random.Random, names: Names, staff: list[tuple[str, str]],
              subjects: list[int]) -> list[Line]:
    """One shop's call notes: a customer each, the clerk by a label of a call log, a relative
    in everyday words with a decoy of the same words, other companies' people."""
    lines: list[Line] = []
    label_forms = (
        lambda s: _name(Line().add("担当 "), s[0], "staff_label"),
        lambda s: _name(Line().add("担当者名："), f"{s[0]} {s[1]}", "staff_label"),
        lambda s: _name(Line().add("受電者："), s[0], "staff_label"),
        lambda s: _name(Line().add("対応スタッフ："), s[0], "staff_label"),
        lambda s: _name(Line().add("文責："), s[0], "staff_label"),
        lambda s: _name(Line().add("16:20 "), s[0], "staff_label").add("（担当）"),
    )
    for n, kin in enumerate(rng.sample(KIN_FORMS, 4)):
        customer = (names.last(), names.given())
        subjects.append(2)
        clerk, other = rng.sample(staff, 2)
        lines.append(Line().add(f"■ 12月{rng.randint(1, 28)}日 {rng.randint(9, 17)}:{rng.randint(10, 59)} 入電"))
        lines.append(label_forms[(n + rng.randint(0, 5)) % len(label_forms)](clerk))
        lines.append(_name(Line().add("お客様："), f"{customer[0]} {customer[1]}", "subject_role")
                     .add(" 様"))
        lines.append(Line().add("折返し先 ").add(_phone(rng), "phone"))
        before, after = kin
        relative = names.given()
        lines.append(_name(Line().add(before), relative, "family_member").add(after))
        lines.append(Line().add(rng.choice(KIN_DECOYS)))
        form = rng.randrange(6)
        person = names.last()
        org = rng.choice(OTHER_ORGS)
        if form == 0:
            lines.append(_name(Line(), person, "company_person").add(f"さん（{org}）から配送遅延の連絡あり。"))
        elif form == 1:
            lines.append(_name(Line().add(f"{org} "), person, "company_person").add("様に再配達を依頼。"))
        elif form == 2:
            lines.append(_name(Line().add(f"{rng.choice(OTHER_FULL_ORGS)}の"), person,
                               "company_person").add("様より部品の入荷予定の回答。"))
        elif form == 3:
            lines.append(_name(Line(), f"{person} {names.given()}", "company_person")
                         .add(f"（{rng.choice(OTHER_FULL_ORGS)} 営業部）より見積書受領。"))
        elif form == 4:
            lines.append(_name(Line().add("代理店 "), person, "company_person").add("様経由のご注文。"))
        else:
            lines.append(_name(Line().add(f"{rng.choice(UNITS)} "), other[0], "staff_company")
                         .add(f"{rng.choice(TITLES)}に確認済み。"))
        lines.append(_name(Line().add("弊社 "), other[0], "staff_company").add("より折り返します。"))
        if n == 1:
            first, second = rng.sample(staff, 2)
            lines.append(_name(_name(Line().add("応対："), first[0], "staff_label")
                               .add("、引継ぎ："), second[0], "staff_label"))
        lines.append(Line())
    return lines


def internal_mail(rng: random.Random, names: Names, index: int, shop: str, slug: str,
                  staff: list[tuple[str, str]], subjects: list[int]) -> tuple[bytes, list[Line]]:
    """A mail between the shop's staff about one customer: a CC line of colleagues by unit,
    the customer by name, the writer's signature."""
    customer = (names.last(), names.given())
    subjects.append(1)
    writer, to, cc1, cc2 = rng.sample(staff, 4)
    unit1, unit2 = rng.sample(UNITS, 2)
    domain = f"{slug}.example.co.jp"
    body = [
        _name(Line(), to[0], "staff_mention").add("さん"), Line(),
        _name(_name(Line().add(f"CC：{unit1} "), cc1[0], "staff_cc").add(f"、{unit2} "), cc2[0],
              "staff_cc"), Line(),
        Line().add("お疲れさまです。"),
        _name(Line().add("本日お電話のあった"), f"{customer[0]} {customer[1]}", "subject_honorific")
        .add(" 様の件です。"),
        _name(Line(), customer[0], "subject_honorific").add("様は返品をご希望です。"),
        Line().add("ご連絡先は ").add(_phone(rng), "phone").add(" です。"),
        Line(), Line().add("--"), _name(Line(), f"{writer[0]} {writer[1]}", "staff_signature"),
        Line().add(f"{shop} {rng.choice(UNITS)}"),
    ]
    return _eml([("From", f"{writer[0]} {writer[1]} <{slug}{index}@{domain}>"),
                ("To", f"{to[0]} <staff{index}@{domain}>"),
                ("Subject", f"返品のご相談について（社内共有 {index:02d}）"),
                ("Message-ID", f"<p4-{index}@{domain}>")], body,
               {"From": _name(Line().add("From: "), f"{writer[0]} {writer[1]}", "staff_header")
                .add(" <").add(f"{slug}{index}@{domain}", "email", "staff_header").add(">"),
                "To": _name(Line().add("To: "), to[0], "staff_header")
                .add(" <").add(f"staff{index}@{domain}", "email", "staff_header").add(">")})


def call_log(rng: random.Random, names: Names, staff: list[tuple[str, str]],
             subjects: list[int], rel: str, truth: Truth) -> str:
    """A CRM's call log export: one customer a row, the clerk in 担当者名."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["受付日時", "お客様名", "電話番号", "内容", "担当者名"]
    writer.writerow(header)
    for index in range(12):
        customer = f"{names.last()} {names.given()}"
        clerk = rng.choice(staff)
        subjects.append(1)
        row = [f"2026/12/{rng.randint(1, 28):02d} {rng.randint(9, 17)}:{rng.randint(10, 59)}",
               customer, _phone(rng), rng.choice(("配送状況の確認", "返品の相談", "住所変更")),
               f"{clerk[0]} {clerk[1]}"]
        writer.writerow(row)
        truth.cell(rel, index + 2, "お客様名", "person_name", "subject_table")
        truth.cell(rel, index + 2, "電話番号", "phone", "subject_table")
        truth.cell(rel, index + 2, "担当者名", "person_name", "staff_table")
    return out.getvalue()


# --- main -------------------------------------------------------------------------------------


def generate(out: Path, seed: int = 1212) -> dict:
    files = SetWriter(out)
    rng = random.Random(seed)
    names = Names(rng)
    prose_subjects: list[int] = []
    table_subjects: list[int] = []
    for s, (shop, slug) in enumerate(SHOPS):
        staff = [(names.last(), names.given()) for _ in range(5)]
        files.text(f"notes/calls_{s}.txt", call_note(rng, names, staff, prose_subjects))
        for i in range(2):
            index = s * 10 + i
            raw, lines = internal_mail(rng, names, index, shop, slug, staff, prose_subjects)
            files.mail(f"mail/internal_{index:02d}.eml", raw, lines)
        rel = f"log/calls_{s}.csv"
        files.table(rel, call_log(rng, names, staff, table_subjects, rel, files.truth))
    people = {"people": sum(prose_subjects) + sum(table_subjects),
              "prose": sum(prose_subjects), "tables": sum(table_subjects), "folder": "data",
              "note": "customers and the relatives named; not the staff (5 a shop) nor other "
                      "companies' people"}
    files.finish(people)
    return {"seed": seed, "spans": len(files.truth.spans), "cells": len(files.truth.cells),
            **people}


def main(argv: list[str] | None = None) -> int:
    return corpus_prose.main(argv, doc=__doc__, out=corpus_prose.default_out("prose4"), seed=1212,
                             generate=generate,
                             score=functools.partial(corpus_prose.score, tables=True))


if __name__ == "__main__":
    sys.exit(main())
