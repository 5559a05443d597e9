"""A second development set for people in prose: the forms in which Japanese business mail,
call memos, internal notes and chat name people, labelled by whose name it is.

    uv run --group bench python bench/corpus_prose2.py [OUT] [--seed N] [--score]

writes (OUT defaults to $ROUEI_BENCH_DIR/prose2; never into the repository)

    OUT/data/      .eml support and business mails, .txt call memos, chat logs, meeting notes
    OUT/truth/spans.jsonl       {"file", "line", "start", "end", "category", "case"}
    OUT/truth/prose_people.json {"people": the data subjects (customers and their family)}

With ``--score`` it then scans OUT/data and prints person_name precision/recall by case and the
people count against the truth (the same scoring as bench/accuracy.py: ``common.evaluate``).

Written from what such texts look like, not from any corpus (the held-out corpus is not read):

- **the company's own staff**: self-introductions (〇〇と申します, 〇〇でございます, 担当の〇〇です,
  お電話ありがとうございます、〇〇商会の〇〇でございます), signatures with 部署 / 役職 / 電話
  (a box, a name line with its title before or after, 「担当：〇〇」), labels in memos (受付：,
  対応者：, 記入者：, 作成者：, 応対, 【担当】), initials after a line 「（〇〇）」, From / CC lines,
  敬称略 lists of attendees, chat speakers 「[10:02] 〇〇: …」;
- **other companies' people**: 株式会社〇〇 営業部 〇〇様, 〇〇社の〇〇様, 委託先（〇〇運輸・〇〇様）,
  a 御中 line with the person on the next line, 〇〇さん of the courier;
- **the data subjects**: 〇〇様 / 〇〇さん, お客様（〇〇様）, 会員の〇〇さん, 〇〇様より電話あり,
  a family member (奥様の〇〇様, ご主人（〇〇さん）, 娘さんの〇〇さん).

Every name is labelled ``person_name`` (staff and other companies' people too: an employee's
name is personal data); only customers and their family are data subjects. Name tables are
this file's own (not Faker's, not the held-out corpus's).
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_prose
from corpus import Line, _eml
from corpus_prose import SetWriter, scan_set

# --- this set's own tables ------------------------------------------------------------------

SURNAMES = (
    "安藤", "飯田", "五十嵐", "石原", "市川", "岩崎", "上野", "内田", "榎本", "大塚", "大野", "岡本",
    "小川", "荻野", "奥村", "片山", "川口", "菊地", "北村", "工藤", "久保", "桑原", "小島", "小松",
    "今野", "斉藤", "坂口", "佐野", "柴田", "島田", "白石", "杉本", "須藤", "関口", "高木", "竹内",
    "田村", "千葉", "辻本", "土屋", "寺田", "永井", "中野", "西川", "野口", "萩原", "長谷川", "服部",
    "浜田", "平野", "広瀬", "福田", "藤井", "星野", "本田", "前川", "松尾", "丸山", "三浦", "宮崎",
    "武藤", "村井", "望月", "森下", "矢野", "山内", "横山", "吉川", "和田", "渡部", "小野寺", "東",
    "堀", "辻", "原", "南", "西", "菅", "岸", "関", "相沢", "青柳", "秋山", "浅野", "天野", "荒木",
    "有馬", "池上", "石黒", "泉谷", "稲葉", "今井", "宇野", "江口", "遠藤", "大石", "大西", "岡崎",
    "尾崎", "押田", "金子", "鎌田", "河合", "北島", "木下", "栗原", "黒田", "小泉", "小林", "近藤",
    "笹本", "沢村", "塩田", "篠原", "新井", "菅原", "鈴村", "瀬戸", "高野", "滝本", "玉城", "津田",
    "徳永", "豊田", "内藤", "成田", "西尾", "野村", "橋本", "早川", "樋口", "平井", "古川", "細川",
    "松岡", "水野", "宮本", "村田", "八木", "山根", "吉岡", "米田", "若林", "勅使河原")
GIVEN = (
    "彩乃", "あかり", "明美", "晃", "敦子", "綾", "勇気", "一輝", "栄治", "恵理", "和也", "克己",
    "佳奈", "清", "健司", "恭平", "幸代", "早苗", "悟", "沙織", "静香", "俊介", "順子", "翔太",
    "聡子", "大輔", "隆之", "匠", "千尋", "力", "剛", "智美", "直樹", "菜々子", "信子", "遥",
    "英明", "秀樹", "瞳", "博之", "文子", "将太", "真由美", "みゆき", "美穂", "稔", "恵", "康弘",
    "祐介", "由紀", "洋平", "良子", "涼", "玲奈", "若菜", "さくら", "ひとみ", "まゆみ")
SHOPS = ("ミナト商会", "さくら堂", "北斗ストア", "あおば屋", "シンセイ通販", "ひかり薬局",
         "マルヨシ商店", "コスモ電機")
COMPANIES = ("東邦運輸", "ミライ物流", "日新システム", "青山印刷", "大和データサービス", "富士コール",
             "平成警備", "協和ソリューションズ")
DEPARTMENTS = ("お客様相談室", "カスタマーサポート課", "営業部", "総務部", "情報システム部",
               "品質管理課", "通販事業部", "コールセンター")
TITLES = ("課長", "主任", "部長", "係長", "室長", "マネージャー", "リーダー")
KIN = (("妻", "奥様"), ("夫", "ご主人"), ("娘", "娘さん"), ("息子", "息子さん"), ("母", "お母様"),
       ("父", "お父様"))


@dataclass
class P:
    last: str
    first: str

    def full(self, space: str = " ") -> str:
        return f"{self.last}{space}{self.first}"

    def mail(self, domain: str) -> str:
        return f"{SURNAMES.index(self.last)}.{GIVEN.index(self.first)}@{domain}"


class Names:
    """Distinct people from the tables: no two share a full name (namesakes are the people
    counter's business, not this set's)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[tuple[str, str]] = set()
        self.used_last: set[str] = set()

    def person(self) -> P:
        """A new person whose surname no one had before while there are such surnames left (a
        surname alone then names one person of the set)."""
        fresh = [s for s in SURNAMES if s not in self.used_last] or list(SURNAMES)
        while True:
            p = P(self.rng.choice(fresh), self.rng.choice(GIVEN))
            if (p.last, p.first) not in self.used:
                self.used.add((p.last, p.first))
                self.used_last.add(p.last)
                return p


def _name(line: Line, text: str, case: str) -> Line:
    return line.add(text, "person_name", case)


# --- the documents ----------------------------------------------------------------------------


def support_mails(rng: random.Random, names: Names, index: int, shop: str, domain: str,
                  staff: P, subjects: list[int]) -> list[tuple[bytes, list[Line]]]:
    """A customer's mail and the staff's answer: staff introduce themself, sign with 部署 and
    役職; the customer is greeted, named by surname and writes about a family member."""
    customer = names.person()
    family = P(customer.last, rng.choice(GIVEN)) if index % 2 == 0 else None
    subjects.append(1 + (family is not None))
    phone = f"090-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    mail_address = f"user{index:03d}@example.ne.jp"
    root = f"<p2-{index}.q@example.ne.jp>"
    body = [Line().add(f"{shop} ご担当者様"), Line(), _name(Line().add("お世話になっております。"),
                                                        customer.last, "subject_self")
            .add("と申します。"), Line().add("先日注文した商品について確認させてください。")]
    if family is not None:
        kin, _ = rng.choice(KIN)
        body.append(_name(Line().add(f"受け取りは{kin}の"), family.first, "family")
                    .add("が対応します。"))
    body += [Line().add("連絡先：").add(phone, "phone"), Line(), Line().add("よろしくお願いします。"),
             _name(Line(), customer.full(rng.choice((" ", "", "　"))), "subject_signature")]
    question = _eml([("From", f"{customer.full()} <{mail_address}>"),
                     ("To", f"{shop} <info@{domain}>"), ("Subject", f"注文商品の件（{index}）"),
                     ("Message-ID", root)], body,
                    {"From": _name(Line().add("From: "), customer.full(), "subject_header")
                     .add(" <").add(mail_address, "email").add(">")})
    intro = rng.choice((
        lambda: _name(Line().add(f"{shop}の"), staff.last, "staff_self").add("でございます。"),
        lambda: _name(Line().add(f"{shop}、{rng.choice(DEPARTMENTS)}の"), staff.last,
                      "staff_self").add("と申します。"),
        lambda: _name(Line().add("本件を担当いたします"), staff.last, "staff_self")
        .add("です。"),
        lambda: _name(Line().add(f"{shop} "), staff.last, "staff_self").add("でございます。"),
        lambda: _name(Line().add(f"{rng.choice(DEPARTMENTS)}の"), staff.full(), "staff_self")
        .add("と申します。"),
    ))()
    title = rng.choice(TITLES)
    dept = rng.choice(DEPARTMENTS)
    signature = rng.choice((
        [Line().add("━━━━━━━━━━━━━━━━"), Line().add(f"株式会社{shop}"), Line().add(dept),
         _name(Line().add(f"{title}　"), staff.full(), "staff_signature"),
         Line().add("TEL 03-6000-1234（平日10時〜17時）"),
         Line().add("Email: ").add(staff.mail(domain), "email"),
         Line().add("━━━━━━━━━━━━━━━━")],
        [Line().add("--"), _name(Line().add(f"{shop} {dept} "), staff.full("　"),
                                 "staff_signature"),
         Line().add("〒100-0005 東京都千代田区丸の内9-9-9 ミナトビル5F"),
         Line().add("電話：03-6000-1234 / FAX：03-6000-1235")],
        [Line().add("────────"), _name(Line(), staff.full(), "staff_signature")
         .add(f"（{dept} {title}）"), Line().add(f"{shop} 0120-000-111")],
        [Line().add("以上、よろしくお願いいたします。"), Line(),
         _name(Line().add("担当："), staff.full(), "staff_signature"),
         Line().add(f"{shop} {dept}"), Line().add("TEL:03-6000-1234")],
    ))
    answer_body = [_name(Line(), customer.full(), "subject_honorific").add(" 様"), Line(),
                   Line().add(f"この度は{shop}をご利用いただきありがとうございます。"), intro,
                   _name(Line(), customer.last, "subject_honorific")
                   .add("様よりお問い合わせいただいた件、確認いたしました。"), Line(), *signature]
    answer = _eml([("From", f"{shop} {staff.last} <{staff.mail(domain)}>"),
                   ("To", f"{customer.full()} <{mail_address}>"),
                   ("Subject", f"Re: 注文商品の件（{index}）"), ("Message-ID", f"<p2-{index}.a@{domain}>"),
                   ("In-Reply-To", root), ("References", root)], answer_body,
                  {"From": _name(Line().add(f"From: {shop} "), staff.last, "staff_header")
                   .add(" <").add(staff.mail(domain), "email").add(">"),
                   "To": _name(Line().add("To: "), customer.full(), "subject_header")
                   .add(" <").add(mail_address, "email").add(">")})
    return [question, answer]


def business_mail(rng: random.Random, names: Names, index: int, shop: str, domain: str,
                  staff: P, colleagues: list[P], subjects: list[int]) -> tuple[bytes, list[Line]]:
    """A mail to a contractor (委託先) about a customer: 御中 and the person on the next line,
    CC of colleagues, the contractor's people by company, the customer as お客様（〇〇様）."""
    company = rng.choice(COMPANIES)
    partner, partner2 = names.person(), names.person()
    customer = names.person()
    subjects.append(1)
    cc = rng.sample(colleagues, 2)
    body = [Line().add(f"株式会社{company} 御中"),
            _name(Line().add(f"{rng.choice(DEPARTMENTS)} "), partner.full(), "company_person")
            .add(" 様"), Line(),
            Line().add("いつもお世話になっております。"),
            _name(Line().add(f"{shop}の"), staff.last, "staff_self").add("です。"), Line(),
            _name(Line().add("お客様（"), customer.full(), "subject_paren").add("様）より、配送の遅れについて"
                                                                          "ご連絡がありました。"),
            _name(_name(Line().add("御社の"), partner2.last, "company_person")
                  .add("様にも共有済みです。出荷記録のご確認をお願いできますでしょうか。")
                  .add("（弊社"), cc[0].last, "staff_mention").add("も同席します）"),
            _name(Line().add(f"{company}の"), partner.last, "company_person")
            .add("様からのご回答をお待ちしております。"), Line(),
            Line().add("よろしくお願いいたします。"), Line(),
            Line().add("----- 転送元 -----"),
            _name(Line().add(f"株式会社{company} {rng.choice(DEPARTMENTS)} "), partner2.full(),
                  "company_person"),
            _name(Line().add(f"{company}の"), partner2.last, "company_person")
            .add("が出荷記録を確認済みです。"), Line().add("--"),
            Line().add(f"{shop} {rng.choice(DEPARTMENTS)}"), _name(Line(), staff.full(),
                                                                  "staff_signature")]
    cc_line = Line().add("Cc: ")
    _name(cc_line, cc[0].full(), "staff_cc").add(" <").add(cc[0].mail(domain), "email")
    _name(cc_line.add(">, "), cc[1].full(), "staff_cc").add(" <").add(cc[1].mail(domain), "email")
    cc_line.add(">")
    mail_to = partner.mail(f"p{COMPANIES.index(company)}.example.co.jp")
    return _eml([("From", f"{staff.full()} <{staff.mail(domain)}>"),
                 ("To", f"{partner.full()} <{mail_to}>"),
                 ("Cc", f"{cc[0].full()} <{cc[0].mail(domain)}>, "
                        f"{cc[1].full()} <{cc[1].mail(domain)}>"),
                 ("Subject", f"出荷状況のご確認（案件{index}）"),
                 ("Message-ID", f"<p2-b{index}@{domain}>")], body,
                {"From": _name(Line().add("From: "), staff.full(), "staff_header")
                 .add(" <").add(staff.mail(domain), "email").add(">"),
                 "To": _name(Line().add("To: "), partner.full(), "company_person")
                 .add(" <").add(mail_to, "email").add(">"), "Cc": cc_line})


def call_memo(rng: random.Random, names: Names, staff: list[P], subjects: list[int]
              ) -> list[Line]:
    """A call memo: the staff on duty by label, callers by 様 / お客様（…）/ 会員の…さん, a family
    member, the courier's person, initials after a line."""
    lines: list[Line] = []
    for n in range(3):
        customer = names.person()
        subjects.append(1)
        on_duty = rng.choice(staff)
        writer = rng.choice(staff)
        label = rng.choice(("受付：", "対応者：", "応対者 ", "【担当】", "担当者: ", "受付担当：", "対応：",
                            "オペレーター：", "担当者名 "))
        phone = f"0{rng.choice((80, 90, 70))}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
        lines.append(Line().add(f"■ 12/{n + 3} 10:{rng.randint(10, 59)} 着信"))
        lines.append(_name(Line().add(label), on_duty.last, "staff_label"))
        before, case, after = rng.choice((("", "subject_honorific", "様より電話あり。"),
                                          ("お客様（", "subject_paren", "）より入電。"),
                                          ("会員の", "subject_honorific", "さんから問い合わせ。")))
        lines.append(_name(Line().add(before), customer.full(), case).add(after))
        lines.append(Line().add(f"{phone[:3]}に折り返し希望 → ").add(phone, "phone")
                     .add(" に折り返し済み"))
        if n == 1:
            family = P(customer.last, rng.choice(GIVEN))
            subjects[-1] += 1
            kin, honour = rng.choice(KIN)
            if rng.random() < 0.5:
                lines.append(_name(Line().add(f"{honour}の"), family.first, "family")
                             .add("様が代わりに受け取り予定とのこと。"))
            else:
                lines.append(_name(Line().add(f"同居のご家族（{kin}・"), family.first, "family")
                             .add("）も同じ注文履歴あり。"))
        if n == 2:
            courier = names.person()
            lines.append(_name(Line().add(f"{rng.choice(COMPANIES)}のドライバー"), courier.last,
                               "company_person").add("さんに再配達を依頼。"))
        if rng.random() < 0.5:
            lines.append(_name(Line().add("内容確認のうえ、翌日再度連絡する。（"), writer.last,
                               "staff_initials").add("）"))
        else:
            lines.append(_name(Line().add("内容確認のうえ、翌日再度連絡する。（担当："), writer.last,
                               "staff_label").add("）"))
        lines.append(_name(Line().add("記入者："), writer.full(), "staff_label"))
        lines.append(Line())
    return lines


def meeting_note(rng: random.Random, names: Names, staff: list[P], subjects: list[int]
                 ) -> list[Line]:
    """Internal notes of a meeting on a leak: 作成者 / 承認者 labels, a 敬称略 list of
    attendees, a contractor's person, the customer whose data it was."""
    a, b, c = rng.sample(staff, 3)
    partner = names.person()
    customer = names.person()
    subjects.append(1)
    attendees = Line().add("出席者：")
    _name(attendees, a.last, "staff_list").add("、")
    _name(attendees, b.last, "staff_list").add("、")
    _name(attendees, c.full(), "staff_list").add("（敬称略）")
    return [
        Line().add("議事録：誤送信の件"), Line().add("日時：12月5日 14:00〜15:00"), attendees,
        _name(Line().add(f"{rng.choice(COMPANIES)}："), partner.full(), "company_person")
        .add("様（委託先）"), Line(),
        _name(Line().add("1. 経緯 会員の"), customer.full(), "subject_honorific")
        .add("様宛のメールを別の会員に誤送信した。"),
        _name(Line().add("2. "), a.last, "staff_mention").add("部長より、本人への謝罪を優先するよう指示。"),
        Line(),
        _name(Line().add("作成者："), b.full(), "staff_label"),
        _name(Line().add("承認者："), a.full(), "staff_label"),
    ]


def chat_log(rng: random.Random, names: Names, staff: list[P], subjects: list[int]
             ) -> list[Line]:
    """A team chat: each line a speaker (staff) and a message about customers."""
    customer, other = names.person(), names.person()
    subjects.append(2)
    a, b = rng.sample(staff, 2)
    return [
        _name(Line().add("[09:58] "), a.full(), "staff_chat").add(": おはようございます"),
        _name(_name(Line().add("[10:02] "), a.full(), "staff_chat").add(": "), customer.last,
              "subject_honorific").add("様から再度お電話ありました"),
        _name(_name(Line().add("[10:03] "), b.full(), "staff_chat").add(": 了解です、"),
              customer.full(), "subject_honorific").add("様の件は私が引き継ぎます"),
        _name(_name(Line().add("[10:05] "), a.full(), "staff_chat").add(": 会員の"), other.full(),
              "subject_honorific").add("さんの返品もお願いします"),
        _name(Line().add("[10:06] "), b.full(), "staff_chat").add(": 承知しました"),
    ]


# --- main -------------------------------------------------------------------------------------


def generate(out: Path, seed: int = 1410) -> dict:
    files = SetWriter(out)
    rng = random.Random(seed)
    names = Names(rng)
    subjects: list[int] = []
    for s, shop in enumerate(SHOPS[:4]):
        domain = f"shop{s}.example.co.jp"
        staff = [names.person() for _ in range(5)]
        for i in range(4):
            index = s * 10 + i
            for j, (raw, lines) in enumerate(support_mails(rng, names, index, shop, domain,
                                                           rng.choice(staff), subjects)):
                files.mail(f"mail/support_{index:02d}_{'qa'[j]}.eml", raw, lines)
        for i in range(2):
            raw, lines = business_mail(rng, names, s * 10 + i, shop, domain, staff[0],
                                       staff[1:], subjects)
            files.mail(f"mail/partner_{s}{i}.eml", raw, lines)
        for kind, make in (("memo", call_memo), ("minutes", meeting_note), ("chat", chat_log)):
            files.text(f"notes/{kind}_{s}.txt", make(rng, names, staff, subjects))
    people = {"people": sum(subjects), "folder": "data",
              "note": "customers and the family members named; not the staff (5 a shop), "
                      "nor the contractors' people"}
    files.finish(people)
    return {"seed": seed, "spans": len(files.truth.spans), "people": people["people"]}


def score(out: Path) -> dict:
    scored = scan_set(out)
    ev = scored.evaluation
    missed = Counter(m["case"] for m in ev.missed if m["category"] == "person_name")
    labelled = Counter(s["case"] for s in scored.labelled if s["category"] == "person_name")
    return {"scores": {cat: s.to_dict() for cat, s in ev.by_category().items()},
            "person_name_recall_by_case": {c: f"{labelled[c] - missed[c]}/{labelled[c]}"
                                           for c in sorted(labelled)},
            "false_person_names": len([f for f in ev.false if f["category"] == "person_name"]),
            "people": scored.people(),
            "missed": [(m["file"], m["line"], m["case"]) for m in ev.missed],
            "false": [(f["file"], f["line"], f["category"], f.get("value")) for f in ev.false]}


def main(argv: list[str] | None = None) -> int:
    return corpus_prose.main(argv, doc=__doc__, out=corpus_prose.default_out("prose2"), seed=1410,
                             generate=generate, score=score)


if __name__ == "__main__":
    sys.exit(main())
