"""A sixth development set for people in prose: how a shop's support staff name themselves in
their answers, memos and chats, and how the customers' replies quote them, labelled with every
name, whose side it is on (the shop's staff, another organisation's, a data subject) and the
true number of data subjects.

    uv run --group bench python bench/corpus_prose6.py [OUT] [--seed N] [--score [--show]]

writes (OUT defaults to $ROUEI_BENCH_DIR/prose6; never into the repository)

    OUT/data/      answers, customers' replies, call memos and chat logs exported as text (.txt)
    OUT/truth/spans.jsonl       {"file", "line", "start", "end", "category", "case"}
    OUT/truth/prose_people.json {"people": the data subjects (customers and their family)}

Written for session 15 (issue 14) from how Japanese support mail, call-centre memos and chat
exports name the staff, with this file's own tables (16 staff, 36 customers, other
organisations' people and shops of its own; not the other sets', not Faker's; the held-out
corpus is never read):

- **the staff naming themselves**: a closing 以上、〇〇でした, 〇〇が承りました, 担当の〇〇より,
  〇〇（カスタマーサポート）, サポート 〇〇 / CS 〇〇 on a line of its own, 弊社担当者・〇〇,
  [オペレーター 〇〇], スタッフ〇〇, a signature box of several labelled lines (部署： / 氏名： or
  担当者名： / 電話：) between rules;
- **a clerk in a memo in kana or romaji**: 担当: sano, 対応：Sano, 受付 さの, 担当 さの;
- **a reply's quoted header**: the shop's answer quoting the customer's mail (〇〇 様からのメール,
  Gmail's date, name and address, 〇〇 さんは書きました:, On …, 〇〇 wrote:) — the customer, the
  same person as the salutation — and the customer's reply quoting the shop's answer — the
  clerk, staff;
- **a chat log**: オペレーター（〇〇）: / お客様（〇〇 〇〇）: speakers, the clerk named by the
  operator label, the customer by theirs, the customer's surname with 様 again later;
- **other organisations' people**: a visiting nurse, a care helper, a building's management
  company, a clinic's doctor (〇〇医師), a bank's clerk;
- the customers (several times in one file: full name, surname with 様, signature) and their
  relatives (a few plain forms: the set is about staff, set 5 about relatives).

Every name is labelled ``person_name`` (staff too: an employee's name is personal information);
only customers and their relatives are counted as people.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_prose
from corpus import Line, quoted_line
from corpus_prose import SetWriter

# --- this set's own tables ------------------------------------------------------------------

# the shops' staff: family name, in hiragana, in romaji (as a memo or a chat handle writes it)
STAFF = (("植松", "うえまつ", "uematsu"), ("岡部", "おかべ", "okabe"), ("笠井", "かさい", "kasai"),
         ("金井", "かない", "kanai"), ("岸田", "きしだ", "kishida"), ("小森", "こもり", "komori"),
         ("佐竹", "さたけ", "satake"), ("沢井", "さわい", "sawai"), ("杉田", "すぎた", "sugita"),
         ("須田", "すだ", "suda"), ("園田", "そのだ", "sonoda"), ("竹田", "たけだ", "takeda"),
         ("田島", "たじま", "tajima"), ("丹羽", "にわ", "niwa"), ("手塚", "てづか", "tezuka"),
         ("永田", "ながた", "nagata"))
STAFF_GIVEN = ("直樹", "美香", "拓也", "恵美", "健二", "由美", "浩二", "裕子")
CUSTOMERS = ("沼田", "野中", "畑中", "浜野", "比嘉", "日野", "広田", "深井", "藤本", "船橋", "牧野",
             "松浦", "宮内", "本木", "森岡", "八代", "矢口", "山岸", "横田", "吉永", "渡瀬", "宮下",
             "石田", "五味", "大森", "小宮", "倉持", "菊田", "高杉", "戸塚", "仲村", "岸本", "植村",
             "金田", "水島", "西岡")
ADULT = ("裕子", "美香", "直樹", "雅人", "恵美", "健二", "由美", "拓也", "真由美", "浩二")
CHILD = ("里奈", "翔太", "陽菜", "大和", "結衣", "颯太", "凛", "葵")
ELDER = ("澄子", "登美子", "ちよ", "ヨネ")
OTHERS = ("加賀", "笹川", "清野", "島袋", "大平", "小田切", "田丸", "梶川")
SHOPS = (("はなみずき通販", "カスタマーサポート", "hanamizuki.example.jp"),
         ("こはる堂", "お客様窓口", "koharudo.example.jp"),
         ("みどり野ストア", "サポートセンター", "midorino.example.jp"),
         ("ふくら屋", "お客様係", "fukuraya.example.jp"))
DEPTS = ("カスタマーサポート部", "お客様サービス課", "通販事業部 サポート課", "EC運営部")
MAILS = ("gmail.com", "yahoo.co.jp", "docomo.ne.jp", "icloud.com")
ROMAJI = {"沼田": "numata", "野中": "nonaka", "畑中": "hatanaka", "浜野": "hamano", "比嘉": "higa",
          "日野": "hino", "広田": "hirota", "深井": "fukai", "藤本": "fujimoto", "船橋": "funabashi",
          "牧野": "makino", "松浦": "matsuura"}


def _n(line: Line, text: str, case: str) -> Line:
    return line.add(text, "person_name", case)


def _phone(rng: random.Random) -> str:
    return f"0{rng.choice((70, 80, 90))}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"


def _office(rng: random.Random) -> str:
    return f"0120-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"


def _date(rng: random.Random) -> tuple[str, str]:
    day = rng.randint(1, 28)
    return f"2026年11月{day}日 {rng.randint(9, 18)}:{rng.randint(10, 59)}", f"2026/11/{day:02d}"


class Cast:
    """The people of the set, each drawn once: a customer's family name is one family's."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.customers = list(CUSTOMERS)
        rng.shuffle(self.customers)
        self.others = list(OTHERS)
        rng.shuffle(self.others)

    def customer(self) -> str:
        return self.customers.pop()

    def other(self) -> str:
        return self.others.pop() if self.others else self.rng.choice(OTHERS)


# --- the staff naming themselves and being named -----------------------------------------------


def _staff_line(form: int, clerk: tuple[str, str, str], shop: tuple[str, str, str],
                customer: str) -> Line:
    """A clerk in the shop's answer, in one of the ways an answer names its writer or a colleague."""
    s = clerk[0]
    forms = [
        lambda: _n(Line().add("ご注文内容の変更につきましては、"), s, "staff_accepted")
        .add("が承りました。"),
        lambda: _n(Line().add("発送日が確定しましたら、担当の"), s, "staff_from")
        .add("よりあらためてご連絡いたします。"),
        lambda: _n(_n(Line(), customer, "customer_again").add("様のご要望は、"), s, "staff_accepted")
        .add("が確かに承りました。"),
        lambda: _n(Line().add("ご不明な点は担当の"), s, "staff_from").add("よりご説明いたします。"),
    ]
    return forms[form % len(forms)]()


def _closing(form: int, clerk: tuple[str, str, str], shop: tuple[str, str, str]) -> Line:
    s = clerk[0]
    forms = [
        lambda: _n(Line().add("以上、"), s, "staff_closing").add("でした。"),
        lambda: _n(Line().add(f"以上、{shop[1]}の"), s, "staff_closing").add("でした。"),
        lambda: _n(Line().add("以上、"), s, "staff_closing").add("がご案内いたしました。"),
        lambda: _n(Line().add(f"以上、{shop[0]}　"), s, "staff_closing").add("でした。"),
    ]
    return forms[form % len(forms)]()


def _signature_box(rng: random.Random, form: int, clerk: tuple[str, str, str], given: str,
                   shop: tuple[str, str, str]) -> list[Line]:
    """A signature of labelled lines between rules, as a company's mail template sets it."""
    full = f"{clerk[0]} {given}"
    rule = Line().add("━━━━━━━━━━━━━━━━")
    forms = [
        lambda: [rule, Line().add(shop[0]), Line().add(f"部署：{rng.choice(DEPTS)}"),
                 _n(Line().add("氏名："), full, "staff_box"),
                 Line().add("電話：").add(_office(rng)), rule],
        lambda: [rule, Line().add(f"{shop[0]}　{shop[1]}"),
                 _n(Line().add("担当者名："), full, "staff_box"),
                 Line().add("TEL：").add(_office(rng)),
                 Line().add("受付時間：平日10:00〜17:00"), rule],
        lambda: [rule, Line().add(f"所属：{shop[0]} {rng.choice(DEPTS)}"),
                 _n(Line().add("氏名　"), full, "staff_box"),
                 Line().add("電話番号　").add(_office(rng)), rule],
        lambda: [Line().add("----------------------------------"), Line().add(f"【会社名】{shop[0]}"),
                 Line().add(f"【部署】{rng.choice(DEPTS)}"), _n(Line().add("【氏名】"), full, "staff_box"),
                 Line().add("【電話】").add(_office(rng)),
                 Line().add("----------------------------------")],
    ]
    return forms[form % len(forms)]()


def _memo_clerk(form: int, clerk: tuple[str, str, str], shop: tuple[str, str, str]) -> Line:
    """The clerk of a call memo: a label and the family name in kana or romaji, or a unit's or a
    post's word before it."""
    s, kana, romaji = clerk
    forms = [
        lambda: _n(Line().add("担当: "), romaji, "staff_romaji"),
        lambda: _n(Line().add("担当 "), kana, "staff_kana"),
        lambda: _n(Line().add("対応："), romaji.capitalize(), "staff_romaji"),
        lambda: _n(Line().add("受付　"), kana, "staff_kana"),
        lambda: _n(Line().add("[オペレーター "), s, "staff_label").add("]"),
        lambda: _n(Line().add("CS "), s, "staff_unit"),
        lambda: _n(Line(), s, "staff_unit").add(f"（{shop[1]}）"),
        lambda: _n(Line().add("弊社担当者・"), s, "staff_label").add(" にて対応"),
        lambda: _n(Line().add("スタッフ"), s, "staff_label").add("が受電。"),
        lambda: _n(Line().add("担当:"), romaji.upper(), "staff_romaji"),
    ]
    return forms[form % len(forms)]()


def _other_person(form: int, surname: str) -> Line:
    """Another organisation's person, as a customer or a clerk mentions them."""
    forms = [
        lambda: _n(Line().add("訪問看護師の"), surname, "company_person").add("さんが受け取る予定です。"),
        lambda: _n(Line().add("ヘルパーの"), surname, "company_person").add("さんに開封をお願いしました。"),
        lambda: _n(Line().add("マンション管理会社の"), surname, "company_person")
        .add("さんに宅配ボックスを確認してもらいました。"),
        lambda: _n(Line().add("かかりつけの"), surname, "company_person").add("医師から使用の許可は出ています。"),
        lambda: _n(Line().add("銀行の窓口で"), surname, "company_person").add("さんに振込の控えをもらいました。"),
        lambda: _n(Line().add("ケアマネの"), surname, "company_person").add("さんにも共有済みです。"),
    ]
    return forms[form % len(forms)]()


def _relative(rng: random.Random, form: int, surname: str, used: set[str]) -> Line:
    """A relative in a few plain forms (set 5 is the one about relatives)."""
    def given(pool: tuple[str, ...]) -> str:
        name = rng.choice([g for g in pool if g not in used])
        used.add(name)
        return name
    forms = [
        lambda: _n(Line().add("妻の"), given(ADULT), "family").add("が受け取ります。"),
        lambda: _n(Line().add("母 "), f"{surname} {given(ELDER)}", "family")
        .add(f"（{rng.randint(76, 92)}歳）の分です。"),
        lambda: _n(Line().add("長男の"), given(CHILD), "family").add("が使うものです。"),
        lambda: _n(Line().add("娘・"), given(CHILD), "family").add("の名前で登録しています。"),
        lambda: _n(Line().add("主人（"), f"{surname} {given(ADULT)}", "family").add("）名義のカードです。"),
        lambda: _n(Line().add("義母の"), given(ELDER), "family").add("宛にお願いします。"),
    ]
    return forms[form % len(forms)]()


# --- the documents ----------------------------------------------------------------------------


def _quote_header(rng: random.Random, form: int, name: str, address: str, staff: bool) -> Line:
    """The line a mailer writes above the message it quotes: its writer, as the mailer shows
    them."""
    when, day = _date(rng)
    case = "quote_header_staff" if staff else "quote_header"
    forms = [
        # a shop's role address (support@) is an office's, no one's: not labelled
        lambda: _n(Line().add(f"{when} "), name, case).add(" <")
        .add(address, None if staff else "email").add(">:"),
        lambda: _n(Line(), name, case).add(f" 様からのメール（{day}）:"),
        lambda: _n(Line(), name, case).add(" さんは書きました:"),
        lambda: _n(Line().add(f"On {day} {when[-5:]}, "), name, case).add(" wrote:"),
    ]
    return forms[form % len(forms)]()


def shop_reply(rng: random.Random, cast: Cast, shop: tuple[str, str, str], staff, k: int,
               subjects: list[int]) -> list[Line]:
    """The shop's answer, the customer's mail quoted under the mailer's header line."""
    surname = cast.customer()
    used: set[str] = set()
    given = rng.choice(ADULT)
    used.add(given)
    customer = f"{surname} {given}"
    clerk, other = rng.sample(staff, 2)
    address = f"{ROMAJI.get(surname, 'k.user')}{rng.randint(10, 99)}@{rng.choice(MAILS)}"
    relatives = [_relative(rng, k + i * 3, surname, used) for i in range(2)]
    subjects.append(1 + len(relatives))
    answer = [
        _n(Line(), customer, "salutation").add(" 様"), Line(),
        Line().add(f"いつも{shop[0]}をご利用いただき、誠にありがとうございます。"),
        Line().add("お問い合わせの件、確認いたしました。"),
        _staff_line(k, other, shop, surname),
        _staff_line(k + 1, clerk, shop, surname),
        Line().add("今後ともよろしくお願い申し上げます。"),
        _closing(k, clerk, shop), Line(),
        *_signature_box(rng, k, clerk, STAFF_GIVEN[k % len(STAFF_GIVEN)], shop), Line(),
        _quote_header(rng, k, customer, address, staff=False),
    ]
    asked = [
        Line().add(f"{shop[0]} ご担当者様"), Line(),
        _n(Line().add("お世話になっております。"), surname, "writer_self").add("です。"),
        Line().add("先日注文した商品の届け先について相談です。"),
        *relatives,
        _other_person(k, cast.other()),
        Line().add("よろしくお願いします。"), Line(),
        _n(Line(), customer, "customer_signature"),
        Line().add("携帯：").add(_phone(rng), "phone"),
    ]
    return [*answer, *(quoted_line(line) for line in asked)]


def customer_reply(rng: random.Random, cast: Cast, shop: tuple[str, str, str], staff, k: int,
                   subjects: list[int]) -> list[Line]:
    """The customer's reply, the shop's answer quoted under the header the customer's mailer
    wrote: the clerk who signed it, staff."""
    surname = cast.customer()
    used: set[str] = set()
    given = rng.choice(ADULT)
    used.add(given)
    customer = f"{surname} {given}"
    clerk = rng.choice(staff)
    full = f"{clerk[0]} {STAFF_GIVEN[(k + 3) % len(STAFF_GIVEN)]}"
    relative = _relative(rng, k + 1, surname, used)
    subjects.append(2)
    own = [
        _n(Line().add(f"{shop[0]} "), clerk[0], "staff_addressed").add(" 様"), Line(),
        _n(Line().add("ご返信ありがとうございます。"), surname, "writer_self").add("です。"),
        Line().add("内容、承知しました。"),
        relative,
        Line().add("引き続きよろしくお願いいたします。"), Line(),
        _n(Line(), customer, "customer_signature"), Line(),
        _quote_header(rng, k + 1, full, f"support@{shop[2]}", staff=True),
    ]
    quoted = [
        _n(Line(), customer, "salutation").add(" 様"), Line(),
        Line().add("お問い合わせいただきありがとうございます。"),
        Line().add("ご指定の日時で再配達を手配いたしました。"),
        _closing(k + 1, clerk, shop), Line(),
        Line().add(f"{shop[0]} {shop[1]}"),
        Line().add("TEL ").add(_office(rng)),
    ]
    return [*own, *(quoted_line(line) for line in quoted)]


def call_memos(rng: random.Random, cast: Cast, shop: tuple[str, str, str], staff, k: int,
               subjects: list[int]) -> list[Line]:
    """A call centre's memo file: three calls, the clerk in kana, romaji or by a unit's word,
    the caller named as お客様 and again later, a relative or another organisation's person."""
    lines: list[Line] = []
    for call in range(3):
        surname = cast.customer()
        used: set[str] = set()
        given = rng.choice(ADULT)
        used.add(given)
        clerk, back = rng.sample(staff, 2)
        subjects.append(1)
        lines += [Line().add(f"■ 11/{rng.randint(1, 28)} {rng.randint(9, 17)}:{rng.randint(10, 59)} 受電"),
                  _memo_clerk(k * 3 + call, clerk, shop),
                  _n(Line().add("お客様："), f"{surname} {given}", "memo_customer").add(" 様"),
                  Line().add("TEL：").add(_phone(rng), "phone"),
                  Line().add("内容：定期便の次回お届け日を変更したいとのこと。")]
        if call == 1:
            lines.append(_relative(rng, k + call + 2, surname, used))
            subjects[-1] += 1
        else:
            lines.append(_other_person(k + call + 1, cast.other()))
        lines += [_n(Line().add("→ "), surname, "memo_customer").add("様へ明日折り返し。"),
                  _n(Line().add("折り返しは担当の"), back[0], "staff_from").add("より。"),
                  Line()]
    return lines


def chat_log(rng: random.Random, cast: Cast, shop: tuple[str, str, str], staff, k: int,
             subjects: list[int]) -> list[Line]:
    """A support chat exported as text: time, speaker in brackets after their side, message."""
    surname = cast.customer()
    used: set[str] = set()
    given = rng.choice(ADULT)
    used.add(given)
    clerk = rng.choice(staff)
    subjects.append(2)
    h = rng.randint(10, 17)
    day = rng.randint(1, 28)
    t = [f"2026-11-{day:02d} {h}:{m:02d}" for m in (2, 3, 5, 6, 8, 9)]
    return [
        Line().add(f"チャット履歴（{shop[0]} サポートチャット）"), Line(),
        _n(Line().add(f"{t[0]} オペレーター（"), clerk[0], "staff_chat")
        .add("）: お問い合わせありがとうございます。"),
        _n(_n(Line().add(f"{t[1]} お客様（"), f"{surname} {given}", "chat_customer")
           .add("）: "), surname, "chat_customer").add("と申します。注文番号を伝えます。"),
        _n(_n(Line().add(f"{t[2]} オペレーター（"), clerk[0], "staff_chat").add("）: "),
           surname, "chat_customer").add("様、ご注文を確認いたしました。"),
        _chat_relative(rng, t[3], surname, given, k, used),
        _n(Line().add(f"{t[4]} オペレーター（"), clerk[0], "staff_chat")
        .add("）: 承知いたしました。手配いたします。"),
        _n(Line().add(f"{t[5]} オペレーター（"), clerk[0], "staff_chat")
        .add("）: 本日の担当は").add(clerk[0], "person_name", "staff_chat").add("でした。"),
    ]


def _chat_relative(rng: random.Random, when: str, surname: str, given: str, k: int,
                   used: set[str]) -> Line:
    relative = _relative(rng, k + 4, surname, used)
    line = _n(Line().add(f"{when} お客様（"), f"{surname} {given}", "chat_customer").add("）: ")
    at = 0
    for start, end, category, case in relative.labels:
        line.add(relative.text[at:start]).add(relative.text[start:end], category, case)
        at = end
    return line.add(relative.text[at:])


# --- main -------------------------------------------------------------------------------------


def generate(out: Path, seed: int = 1515) -> dict:
    files = SetWriter(out)
    rng = random.Random(seed)
    cast = Cast(rng)
    subjects: list[int] = []
    for s, shop in enumerate(SHOPS):
        staff = STAFF[s * 4:s * 4 + 4]
        for i in range(2):
            k = s * 2 + i
            files.text(f"mail/reply_{k:02d}.txt", shop_reply(rng, cast, shop, staff, k, subjects))
            files.text(f"mail/answer_{k:02d}.txt", customer_reply(rng, cast, shop, staff, k,
                                                                  subjects))
        files.text(f"memos/calls_{s}.txt", call_memos(rng, cast, shop, staff, s, subjects))
        files.text(f"chat/chat_{s}.txt", chat_log(rng, cast, shop, staff, s, subjects))
    people = {"people": sum(subjects), "prose": sum(subjects), "tables": 0, "folder": "data",
              "note": "customers and the relatives named; not the staff (4 a shop) nor other "
                      "organisations' people"}
    files.finish(people)
    return {"seed": seed, "spans": len(files.truth.spans), **people}


def main(argv: list[str] | None = None) -> int:
    return corpus_prose.main(argv, doc=__doc__, out=corpus_prose.default_out("prose6"), seed=1515,
                             generate=generate, score=corpus_prose.score)


if __name__ == "__main__":
    sys.exit(main())
