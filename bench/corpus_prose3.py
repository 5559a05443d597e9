"""A third development set for people in prose: mail threads, web-form inquiries, call notes
and letters, labelled with whose each name and item is and the true number of data subjects.

    uv run --group bench python bench/corpus_prose3.py [OUT] [--seed N] [--score [--show]]

writes (OUT defaults to $ROUEI_BENCH_DIR/prose3; never into the repository)

    OUT/data/      .eml threads (a customer's mail, the shop's answer quoting it, the customer's
                   reply quoting that), .txt inquiries, call notes and letters
    OUT/truth/spans.jsonl       {"file", "line", "start", "end", "category", "case"}
    OUT/truth/prose_people.json {"people": the data subjects (customers and their family)}

Written for session 11 from how such texts are laid out, with this file's own tables (not
Faker's, not the other sets', not the held-out corpus's, which is never read):

- **one customer in many forms** within a thread: the From display name, 〇〇 様 with and
  without a space, the surname alone (〇〇様より, 〇〇と申します), a signature with or without
  the given name, the same in quoted lines (「> 」);
- **customers introduced by a role word**: お客様：〇〇 様, ご本人（〇〇様）, ご家族（長女・〇〇様）,
  ご本人様 〇〇 より入電, 契約者 〇〇 様;
- **a customer's own signature with their employer** (株式会社〇〇 経理部, its address and a work
  phone after 「--」, no 様 and no label): their items are theirs, they are a data subject;
- **three- and four-kanji family names** (五十嵐, 佐々木, 長谷川, 勅使河原, 小野寺 …);
- **the shop's staff**: self-introductions, signatures and letterheads in different orders
  (name first, address above the company line, a shop name without any company word), labels in
  call notes (受付：, 対応：, 記録者：);
- **relatives by a given name in kana alone** (session 11, issue 14): 祖母のハルが, 母・ヨシ子も,
  長女 さくら（8歳）, ミツ（祖母）, among decoys of the same frame (母のポイントを, 妻のカードで);
- **other companies' people**: a courier or a call-centre contractor named by a company name
  without a company word (〇〇急便の〇〇さん, 〇〇コールの〇〇), 株式会社〇〇 〇〇 様.

Every name is labelled ``person_name`` (staff and other companies' people too); the customers'
and their family's phones, e-mail addresses, postal codes and addresses are labelled; the shop's
own phone, address and role address (info@) are not (they are an office's).
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_prose
from corpus import Line, _eml, quoted_line
from corpus_prose import SetWriter, scan_set

# --- this set's own tables ------------------------------------------------------------------

LONG_SURNAMES = ("五十嵐", "佐々木", "長谷川", "勅使河原", "小野寺", "久保田", "宇佐美", "大和田",
                 "佐久間", "東海林", "伊集院", "御手洗", "阿久津", "長谷部", "小早川", "日比野",
                 "曽我部", "喜多川", "西園寺", "我孫子", "五十川", "野々村", "百瀬", "二階堂")
SURNAMES = (*LONG_SURNAMES,
            "青木", "石井", "上田", "梅田", "大橋", "岡田", "加藤", "川上", "菊池", "木村", "熊谷",
            "小山", "酒井", "桜井", "清水", "杉山", "高田", "田中", "谷口", "中島", "西村", "野田",
            "林", "藤田", "松本", "宮田", "森", "安田", "山口", "吉田", "渡辺", "増田", "川島",
            "松井", "福島", "三上", "水谷", "秋元", "荒井", "新田")
GIVEN = ("真由美", "菜々子", "一輝", "恵理", "大輔", "健司", "さくら", "康弘", "美咲", "翔",
         "裕子", "浩二", "陽菜", "拓也", "奈緒", "誠", "和子", "隆", "千里", "修", "由香", "亮",
         "美和", "悠斗", "香織", "正樹", "ゆかり", "俊彦", "麻衣", "徹")
# shops whose name holds no company word (堂, 本舗, a katakana name)
SHOPS = (("ことり堂", "kotori"), ("はなまる本舗", "hanamaru"), ("ルミエール", "lumiere"),
         ("つばめ工房", "tsubame"))
UNITS = ("お客様窓口", "カスタマーサポート", "お客様相談室", "通販担当")
COURIERS = ("ヤマブキ急便", "ひまわり便", "スワロー配送")
CONTRACTORS = ("みなみコール", "アルファ警備", "ソレイユ印刷")
EMPLOYERS = ("株式会社東和工機", "有限会社みどり設計", "株式会社北辰フーズ", "合同会社ナギ")
# relatives named by a given name in kana alone (祖母のハル, 母・ヨシ子, ミツ（祖母）), as elderly
# people's names and children's are often written
KANA_RELATIVES = (("祖母", "ハル", False), ("祖母", "トメ", False), ("祖母", "ミツ", False),
                  ("祖父", "ケンジ", False), ("母", "ヨシ子", False), ("母", "キヨ", False),
                  ("父", "タロウ", False), ("妻", "ミドリ", False), ("長女", "サクラ", True),
                  ("長男", "ユウキ", True), ("孫", "はるか", True), ("次女", "ひなた", True))
# what follows a relation word and is not a name: the relative's card, points, mail …
KANA_DECOYS = ("母のポイントを使いたいとのこと。", "妻のカードで支払い済み。", "はい、ありがとうございます。",
               "父のメールにも同じ案内を送付。", "祖母のスマホが壊れたため電話で。", "娘のアカウントは削除不要。")
KIN = (("妻", "奥様"), ("夫", "ご主人"), ("長女", "娘さん"), ("長男", "息子さん"),
       ("母", "お母様"), ("父", "お父様"))
PLACES = (("150-0002", "東京都渋谷区渋谷3-14-7"), ("530-0001", "大阪府大阪市北区梅田2-6-20"),
          ("460-0008", "愛知県名古屋市中区栄4-1-8"), ("812-0011", "福岡県福岡市博多区博多駅前1-9-3"),
          ("980-0021", "宮城県仙台市青葉区中央2-2-10"), ("060-0005", "北海道札幌市中央区北五条西6-1-2"),
          ("220-0011", "神奈川県横浜市西区高島1-5-12"), ("730-0011", "広島県広島市中区基町6-27"))
SHOP_PLACE = ("101-0041", "東京都千代田区神田須田町1-16-3")
FREE_MAIL = ("example.ne.jp", "mail.example.jp", "example.jp")


@dataclass
class P:
    last: str
    first: str

    def full(self, space: str = " ") -> str:
        return f"{self.last}{space}{self.first}"


class Names:
    """Distinct people; every surname names one person of the set while there are fresh ones
    (three-kanji surnames first: they are what this set is about)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[tuple[str, str]] = set()
        self.used_last: set[str] = set()

    def person(self, long: bool = False, rng: random.Random | None = None) -> P:
        rng = rng or self.rng
        pool = LONG_SURNAMES if long else SURNAMES
        fresh = [s for s in pool if s not in self.used_last] or [
            s for s in SURNAMES if s not in self.used_last] or list(SURNAMES)
        while True:
            p = P(rng.choice(fresh), rng.choice(GIVEN))
            if (p.last, p.first) not in self.used:
                self.used.add((p.last, p.first))
                self.used_last.add(p.last)
                return p


def _name(line: Line, text: str, case: str) -> Line:
    return line.add(text, "person_name", case)


def _phone(rng: random.Random, mobile: bool = True) -> str:
    if mobile:
        return f"0{rng.choice((70, 80, 90))}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    return f"0{rng.choice((3, 6))}-{rng.randint(3000, 6999)}-{rng.randint(1000, 9999)}"


# --- the documents ----------------------------------------------------------------------------


def shop_signature(rng: random.Random, shop: str, unit: str, staff: P, order: int) -> list[Line]:
    """The shop's signature or letterhead in one of four orders; its phone and address are
    the office's (not labelled), the staff's name is labelled."""
    postal, address = SHOP_PLACE
    office = "TEL 03-5298-4410 / FAX 03-5298-4411"
    if order == 0:  # name first, then the shop and its address
        return [Line().add("--"), _name(Line(), staff.full(), "staff_signature"),
                Line().add(f"{shop} {unit}"), Line().add(f"〒{postal} {address}"), Line().add(office)]
    if order == 1:  # the address above the shop's line
        return [Line().add("────────────"), Line().add(f"〒{postal}"), Line().add(address),
                Line().add(f"{shop}　{unit}"), _name(Line().add("担当　"), staff.full(), "staff_signature"),
                Line().add(office), Line().add("────────────")]
    if order == 2:  # a closing, the shop's name without any company word, the staff's name
        return [Line().add("何卒よろしくお願い申し上げます。"), Line(), Line().add(shop),
                _name(Line(), staff.full("　"), "staff_signature"), Line().add(office)]
    return [Line().add("＝＝＝＝＝＝＝＝＝＝"), Line().add(f"{shop}（{unit}）"),
            _name(Line(), staff.last, "staff_signature"), Line().add(f"{address}"),
            Line().add(office), Line().add("＝＝＝＝＝＝＝＝＝＝")]


def thread(rng: random.Random, names: Names, index: int, shop: str, slug: str, unit: str,
           staff: P, subjects: list[int]) -> list[tuple[bytes, list[Line]]]:
    """A customer's mail, the shop's answer quoting it, the customer's reply quoting that."""
    customer = names.person(long=index % 3 != 2)
    family = P(customer.last, rng.choice(GIVEN)) if index % 2 == 0 else None
    subjects.append(1 + (family is not None))
    phone = _phone(rng)
    address_of = f"c{index:02d}.{slug}@{rng.choice(FREE_MAIL)}"
    shop_domain = f"{slug}.example.co.jp"
    root, answer_id = f"<p3-{index}.q@example.ne.jp>", f"<p3-{index}.a@{shop_domain}>"
    subject = f"ご注文の商品について（受付{index:03d}）"
    intro = rng.choice((
        lambda: _name(Line().add("はじめまして。"), customer.last, "subject_self").add("と申します。"),
        lambda: _name(Line().add("お世話になります。"), customer.full(), "subject_self")
        .add("です。"),
        lambda: _name(Line().add("いつもお世話になっております。"), customer.last, "subject_self")
        .add("です。")))()
    body = [Line().add(f"{shop} ご担当者様"), Line(), intro,
            Line().add("先週注文した商品がまだ届いておりません。"),
            Line().add("お手数ですが、配送状況を確認していただけますでしょうか。")]
    if family is not None:
        kin, _ = rng.choice(KIN)
        body.append(_name(Line().add(f"平日の日中は{kin}の"), family.first, "family")
                    .add("が受け取ります。"))
    employer = index % 4 == 1
    if employer:  # a customer's signature with their employer: their own items
        postal, address = rng.choice(PLACES)
        work = _phone(rng, mobile=False)
        body += [Line(), Line().add("--"), _name(Line(), customer.full(), "subject_signature"),
                 Line().add(f"{rng.choice(EMPLOYERS)} 経理部"),
                 Line().add("〒").add(postal, "postal_code", "subject_work").add(" ")
                 .add(address, "address", "subject_work"),
                 Line().add("TEL ").add(work, "phone", "subject_work"),
                 Line().add("携帯 ").add(phone, "phone", "subject_work")]
    else:
        body += [Line().add("連絡先：").add(phone, "phone"), Line(), Line().add("よろしくお願いします。"),
                 _name(Line(), customer.full(rng.choice((" ", "", "　"))), "subject_signature")]
    question = _eml([("From", f"{customer.full()} <{address_of}>"),
                     ("To", f"{shop} <info@{shop_domain}>"), ("Subject", subject),
                     ("Message-ID", root)], body,
                    {"From": _name(Line().add("From: "), customer.full(), "subject_header")
                     .add(" <").add(address_of, "email").add(">")})
    staff_intro = rng.choice((
        lambda: _name(Line().add(f"{shop}{unit}の"), staff.last, "staff_self").add("でございます。"),
        lambda: _name(Line().add(f"{unit}の"), staff.full(), "staff_self").add("と申します。"),
        lambda: _name(Line().add("ご連絡を承りました"), staff.last, "staff_self").add("です。")))
    answer_body = [
        _name(Line(), customer.full(rng.choice((" ", ""))), "subject_honorific").add(" 様"), Line(),
        Line().add(f"このたびは{shop}をご利用いただき、誠にありがとうございます。"), staff_intro(),
        _name(Line(), customer.last, "subject_honorific")
        .add("様のご注文は本日出荷いたしました。"),
        _name(Line().add(f"配送は{rng.choice(COURIERS)}の"), names.person().last, "company_person")
        .add("が担当いたします。"), Line(),
        *shop_signature(rng, shop, unit, staff, index % 4), Line(),
        Line().add(f"{rng.choice(('-----Original Message-----', '--- 元のメッセージ ---'))}"),
        *map(quoted_line, body)]
    answer = _eml([("From", f"{shop} {staff.last} <support@{shop_domain}>"),
                   ("To", f"{customer.full()} <{address_of}>"), ("Subject", f"Re: {subject}"),
                   ("Message-ID", answer_id), ("In-Reply-To", root), ("References", root)],
                  answer_body,
                  {"From": _name(Line().add(f"From: {shop} "), staff.last, "staff_header")
                   .add(f" <support@{shop_domain}>"),
                   "To": _name(Line().add("To: "), customer.full(), "subject_header")
                   .add(" <").add(address_of, "email").add(">")})
    reply_body = [Line().add(f"{shop}"), _name(Line(), staff.last, "staff_mention")
                  .add(" 様"), Line(), Line().add("ご対応ありがとうございました。無事に受け取りました。"),
                  Line(), _name(Line(), customer.last, "subject_signature"), Line(),
                  Line().add("以下、いただいたメールです。"),
                  *map(quoted_line, answer_body[:6])]
    reply = _eml([("From", f"{customer.full()} <{address_of}>"),
                  ("To", f"{shop} <support@{shop_domain}>"), ("Subject", f"Re: Re: {subject}"),
                  ("Message-ID", f"<p3-{index}.r@example.ne.jp>"), ("In-Reply-To", answer_id),
                  ("References", f"{root} {answer_id}")], reply_body,
                 {"From": _name(Line().add("From: "), customer.full(), "subject_header")
                  .add(" <").add(address_of, "email").add(">")})
    return [question, answer, reply]


def inquiry(rng: random.Random, names: Names, index: int, shop: str, staff: list[P],
            subjects: list[int]) -> list[Line]:
    """A web form's inquiry as the form system sends it, and the staff's note under it."""
    customer = names.person(long=True)
    family = P(customer.last, rng.choice(GIVEN))
    subjects.append(2)
    postal, address = rng.choice(PLACES)
    kin, _ = rng.choice(KIN)
    on_duty = rng.choice(staff)
    return [
        Line().add(f"【{shop}】お問い合わせフォームより送信されました"), Line(),
        _name(Line().add("お名前："), customer.full(), "subject_label"),
        Line().add("郵便番号：").add(postal, "postal_code"),
        Line().add("ご住所：").add(address, "address"),
        Line().add("電話番号：").add(_phone(rng), "phone"),
        Line().add("お問い合わせ内容："),
        _name(Line().add(f"{kin}の"), family.full(), "family")
        .add("の名義で注文した商品を返品したいです。"),
        Line().add("手続きを教えてください。"), Line(),
        Line().add("――――――――――――"),
        _name(Line().add("対応："), on_duty.last, "staff_label")
        .add(f"（{rng.choice(('12/2', '12/3', '12/4'))} 返信済み）"),
    ]


def call_note(rng: random.Random, names: Names, staff: list[P], subjects: list[int]
              ) -> list[Line]:
    """Call notes: customers introduced by a role word, a family member calling for them, the
    clerk by label, a contractor's operator by a company name without a company word."""
    lines: list[Line] = []
    for n in range(3):
        customer = names.person(long=n != 1)
        subjects.append(1)
        clerk, writer = rng.choice(staff), rng.choice(staff)
        lines.append(Line().add(f"■ 12月{n + 1}日 {rng.randint(9, 17)}:{rng.randint(10, 59)}"))
        lines.append(_name(Line().add(rng.choice(("受付：", "受付者：", "対応者 "))), clerk.last,
                           "staff_label"))
        form = (n + rng.randint(0, 2)) % 3
        if form == 0:
            lines.append(_name(Line().add("お客様："), customer.full(), "subject_role").add(" 様"))
            lines.append(Line().add("ご本人より入電。商品の破損について。"))
        elif form == 1:
            lines.append(_name(Line().add("ご本人（"), customer.full(), "subject_role")
                         .add("様）より、住所変更の依頼。"))
        else:
            lines.append(_name(Line().add("契約者 "), customer.full(), "subject_role")
                         .add(" 様の件。"))
        phone = _phone(rng)
        lines.append(Line().add("折返し先 ").add(phone, "phone"))
        if n == 1:
            family = P(customer.last, rng.choice(GIVEN))
            subjects[-1] += 1
            kin, _ = rng.choice(KIN)
            lines.append(_name(Line().add(f"ご家族（{kin}・"), family.full(), "family")
                         .add("様）から代理でご連絡あり。"))
        if n == 2:
            operator = names.person()
            lines.append(_name(Line().add(f"一次受けは{rng.choice(CONTRACTORS)}の"), operator.last,
                               "company_person").add("さん。"))
        lines.append(_name(Line().add("お客様には"), customer.last, "subject_honorific")
                     .add("様宛に明日返信予定。"))
        lines.append(_name(Line().add("記録者："), writer.full(), "staff_label"))
        lines.append(Line())
    return lines


def letter(rng: random.Random, names: Names, shop: str, unit: str, staff: P,
           subjects: list[int]) -> list[Line]:
    """A letter from the shop: its letterhead (address above the shop's name, no company
    word), the customer's address and name, the body, the staff's name at the end."""
    customer = names.person(long=True)
    subjects.append(1)
    postal, address = rng.choice(PLACES)
    shop_postal, shop_address = SHOP_PLACE
    return [
        Line().add(f"〒{shop_postal} {shop_address}"), Line().add(f"{shop} {unit}"),
        Line().add("TEL 03-5298-4410"), Line(),
        Line().add("〒").add(postal, "postal_code").add(" ").add(address, "address"),
        _name(Line(), customer.full(), "subject_honorific").add(" 様"), Line(),
        Line().add("拝啓　平素は格別のお引き立てを賜り、厚く御礼申し上げます。"),
        _name(Line(), customer.last, "subject_honorific")
        .add("様よりお申し出のありました返金手続きが完了いたしましたので、ご報告いたします。"),
        Line().add("敬具"), Line(),
        Line().add(f"{shop} {unit}"), _name(Line().add("担当："), staff.full(), "staff_signature"),
    ]


def family_note(rng: random.Random, names: Names, staff: list[P], subjects: list[int]
                ) -> list[Line]:
    """A call note where the customer's relatives are named by a given name in kana alone,
    after the relation (祖母のハルが, 母・ヨシ子も, 長女 さくら（8歳）) or before it in brackets
    (ミツ（祖母）), among decoys of the same frame that name no one (母のポイントを, 妻のカードで)."""
    customer = names.person(rng=rng)
    relatives = rng.sample(KANA_RELATIVES, 3)
    subjects.append(1 + len(relatives))
    forms = (lambda k, g, child: (f"{k}の", g, "が代わりに受け取ります。"),
             lambda k, g, child: (f"{k}・", g, "も同居しています。"),
             lambda k, g, child: (f"{k} ", g, f"（{rng.randint(6, 15)}歳）の分の注文もあり。" if child
                                  else "の分の注文もあり。"),
             lambda k, g, child: ("", g, f"（{k}）が電話に出ました。"))
    lines = [Line().add(f"■ 12月{rng.randint(10, 20)}日 家族からの連絡"),
             _name(Line().add("受付："), rng.choice(staff).last, "staff_label"),
             _name(Line().add("お客様："), customer.full(), "subject_role").add(" 様")]
    decoys = rng.sample(KANA_DECOYS, 3)
    for n, (k, g, child) in enumerate(relatives):
        before, name, after = rng.choice(forms)(k, g, child)
        lines.append(_name(Line().add(before), name, "family_kana").add(after))
        lines.append(Line().add(decoys[n]))
    lines.append(Line())
    return lines


# --- main -------------------------------------------------------------------------------------


def generate(out: Path, seed: int = 1111) -> dict:
    files = SetWriter(out)
    rng = random.Random(seed)
    names = Names(rng)
    subjects: list[int] = []
    staffs: list[list[P]] = []
    for s, (shop, slug) in enumerate(SHOPS):
        unit = UNITS[s]
        staff = [names.person() for _ in range(4)]
        for i in range(4):
            index = s * 10 + i
            for j, (raw, lines) in enumerate(thread(rng, names, index, shop, slug, unit,
                                                    rng.choice(staff), subjects)):
                files.mail(f"mail/thread_{index:02d}_{'qar'[j]}.eml", raw, lines)
        files.text(f"notes/inquiry_{s}.txt", inquiry(rng, names, s, shop, staff, subjects))
        files.text(f"notes/calls_{s}.txt", call_note(rng, names, staff, subjects))
        files.text(f"notes/letter_{s}.txt", letter(rng, names, shop, unit, staff[0], subjects))
        staffs.append(staff)
    # after the rest and with generators of their own: the documents above stay what they were
    for s, staff in enumerate(staffs):
        files.text(f"notes/family_{s}.txt",
                   family_note(random.Random(seed * 100 + s), names, staff, subjects))
    people = {"people": sum(subjects), "folder": "data",
              "note": "customers and the family members named; not the staff (4 a shop), the "
                      "couriers' nor the contractors' people"}
    files.finish(people)
    return {"seed": seed, "spans": len(files.truth.spans), "people": people["people"]}


def score(out: Path) -> dict:
    scored = scan_set(out)
    ev = scored.evaluation
    return {"scores": {cat: s.to_dict() for cat, s in ev.by_category().items()},
            "recall_by_case": scored.recall_by_case(),
            "false_findings": dict(Counter(f["category"] for f in ev.false)),
            "people": scored.people(),
            "missed": [(m["file"], m["line"], m["category"], m["case"]) for m in ev.missed],
            "false": [(f["file"], f["line"], f["category"], f.get("value")) for f in ev.false]}


def main(argv: list[str] | None = None) -> int:
    return corpus_prose.main(argv, doc=__doc__, out=corpus_prose.default_out("prose3"), seed=1111,
                             generate=generate, score=score)


if __name__ == "__main__":
    sys.exit(main())
