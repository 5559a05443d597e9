"""A fifth development set for people in prose: how Japanese customers, their families and a
call centre's staff write about family members and about the company's staff, labelled with
every name and the true number of data subjects.

    uv run --group bench python bench/corpus_prose5.py [OUT] [--seed N] [--score [--show]]

writes (OUT defaults to $ROUEI_BENCH_DIR/prose5; never into the repository)

    OUT/data/      inquiry forms, call memos and mail threads exported as text (.txt)
    OUT/truth/spans.jsonl       {"file", "line", "start", "end", "category", "case"}
    OUT/truth/prose_people.json {"people": the data subjects (customers and their family)}

Written for session 14 (issue 14) from how these texts are written in Japanese business mail,
call-centre memos and web inquiry forms, with this file's own tables (not the other sets', not
Faker's; the held-out corpus is never read):

- **relatives**: a grammar of relation words (母, 父, 妻, 夫, 主人, 家内, 息子, 娘, 長男, 次女, 祖母,
  孫, 兄, 姉, 義母 …, and the words of speech: 旦那, 女房, 嫁さん, おばあちゃん, お義母さん, 上の子 …)
  with the name after them or before them, joined by の, ・, ：, a space, 「」, 【】, brackets, 宛,
  with 様/さん/ちゃん/くん, ages and school years (（82歳）, 小3), the name in kanji, in kana or a
  given name alone; as 名義人, 契約者, the one a customer writes 代理で for; in a call memo's
  相談者 / 対象者 lines and in a form's 続柄 field; in the body, the salutation and a quoted mail;
- **the company's staff**: 担当, 対応者, 受付, 折り返し担当, 店長の, 責任者, a clerk's full name with
  a department in a signature, a CC line, the shop's clerk the customer writes to (カスタマー
  サポート 〇〇様) and mentions (先日お電話いただいた〇〇様, ご対応いただいた〇〇さん, 担当の〇〇さん);
- **other companies' people**: a courier's driver, an insurer's or a care manager's person;
- (prose2) **officers and clerks by their post** (店長の, 支配人の, 代表取締役, 〇〇商会の〇〇です,
  担当：タカギ, 担当オペレーター：, 店員の〇〇さん), a doctor (主治医の〇〇先生) and **relatives in romaji** (妻 Hanako が, 娘のYuiが) or before a
  particle or a place word (娘のひなが, 妹 明美 宅), with brand decoys (妻のAmazon, 母のiPhone),
  in one more mail per shop (``mail/shop_N.txt``) written last from its own random stream.

Several customers a memo file; the relatives of one customer are distinct people. Every name is
labelled ``person_name`` (staff too: an employee's name is personal information); only customers
and their relatives are counted as people.
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

SURNAMES = ("稲垣", "今村", "柏木", "片岡", "岸本", "小西", "沢田", "関根", "滝沢", "塚本", "戸田",
            "富田", "中西", "林田", "原口", "日高", "松下", "森本", "柳田", "羽田", "門脇", "春日",
            "室井", "井口", "梶原", "芦田", "今泉", "相川", "朝倉", "有村", "井川", "池内", "磯部",
            "市原", "犬飼", "今西", "入江", "植田", "上原", "臼井", "浦野", "江川", "大川", "大島",
            "大谷", "荻原", "奥田", "織田", "笠原", "勝又", "加納", "亀井", "唐沢", "川端", "北野",
            "倉田", "黒川", "児玉", "後藤", "駒井", "榊原", "坂井", "篠田", "島崎", "下村", "白井",
            "赤坂", "綾部", "粟田", "伊東", "小笠原", "長田", "甲斐", "君島", "河内", "権藤", "西條",
            "庄司", "新藤", "住吉", "瀬川", "曽根", "高岡", "高畑", "武井", "立花", "玉木", "千田",
            "塚田", "土井", "堂本", "時田", "徳田", "長尾")
# given names of adults, of children, and of the elderly as they are often written (in kana)
GIVEN_ADULT = ("春香", "正人", "弘美", "昌子", "光男", "節子", "和夫", "静江", "康介", "綾乃", "瑞穂",
               "千秋", "良平", "敏子", "和枝", "英樹", "典子", "克也", "誠司", "宏美", "富子", "孝")
GIVEN_CHILD = ("七海", "芽衣", "琴音", "陽翔", "結菜", "朝陽", "陽葵", "咲良", "心春", "蒼", "湊", "茜",
               "椿")
GIVEN_KANA = ("はるな", "みのり", "ゆうと", "そうた", "ちはる", "かおり", "ハツ", "ミヨ", "ヨシエ", "タケ",
              "ふみ子", "きよ江")
SHOPS = (("こもれび通販", "カスタマーサポート"), ("ミズホ生活館", "お客様センター"),
         ("あさひ寝具", "通販事業部"), ("ルミナ化粧品", "お客様相談室"))
DEPTS = ("カスタマーサポート部", "お客様相談室", "物流管理課", "通販事業部")
COURIERS = ("ナミキ運輸", "はやて急便", "ミツワ配送")
# relations as customers write them of their own family (the word, adult or child or elder)
KIN_ADULT = ("妻", "夫", "主人", "家内", "兄", "姉", "弟", "妹", "義母", "義父", "母", "父")
KIN_CHILD = ("息子", "娘", "長男", "長女", "次男", "次女", "孫")
KIN_ELDER = ("母", "父", "祖母", "祖父", "義母")
# relations of everyday speech (not a register's words)
KIN_SPOKEN = ("旦那", "女房", "かみさん", "嫁さん", "お義母さん", "おばあちゃん", "おじいちゃん",
              "上の子", "下の子", "末っ子", "姪っ子", "甥っ子")
SCHOOL = ("小3", "小5", "中1", "高2", "年長", "大学1年")


class Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.fresh = list(SURNAMES)
        rng.shuffle(self.fresh)

    def last(self) -> str:
        return self.fresh.pop() if self.fresh else self.rng.choice(SURNAMES)


def _n(line: Line, text: str, case: str) -> Line:
    return line.add(text, "person_name", case)


def _phone(rng: random.Random) -> str:
    return f"0{rng.choice((70, 80, 90))}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"


# --- relatives: one line each, the grammar of relation, name and joiner -----------------------


def _given(rng: random.Random, pool: tuple[str, ...], used: set[str]) -> str:
    """A given name no one else of the document has (two 静江 in one family are two people)."""
    name = rng.choice([g for g in pool if g not in used])
    used.add(name)
    return name


def _relative(rng: random.Random, form: int, surname: str, used: set[str]) -> list[Line]:
    """One relative named in one of the forms; the line(s) as a customer or a clerk writes them."""
    adult, child = _given(rng, GIVEN_ADULT, used), _given(rng, GIVEN_CHILD, used)
    kana, elder = _given(rng, GIVEN_KANA, used), rng.choice(KIN_ELDER)
    age, school = rng.randint(72, 91), rng.choice(SCHOOL)
    kin_a, kin_c = rng.choice(KIN_ADULT), rng.choice(KIN_CHILD)
    case = "family"
    forms = [
        lambda: [_n(Line().add(f"{kin_a}の"), adult, case).add("が代わりに受け取ります。")],
        lambda: [_n(Line().add(f"{elder}・"), kana, case).add(f"（{age}歳）も同じ会員です。")],
        lambda: [_n(Line().add(f"同居家族　{kin_a}："), adult, case)],
        lambda: [_n(Line().add(f"{kin_c}「"), child, case).add("」のアカウントで注文しました。")],
        lambda: [_n(Line().add(f"【{kin_a}】"), f"{surname} {adult}", case)],
        lambda: [_n(Line(), adult, case).add(f"さん（{kin_a}）が来店予定とのこと。")],
        lambda: [_n(Line().add(f"{kin_c}の"), kana, case).add(f"ちゃん（{school}）の分です。")],
        lambda: [_n(Line().add(f"{rng.choice(KIN_SPOKEN)}の"), adult, case)
                 .add("が先に電話したと思います。")],
        lambda: [_n(Line().add("名義人："), f"{surname} {adult}", case).add(f"（{kin_a}）")],
        lambda: [_n(Line().add(f"契約者である{elder}の"), f"{surname} {kana}", case)
                 .add("の代理で連絡しています。")],
        lambda: [_n(Line().add(f"{kin_a}（"), f"{surname} {adult}", case).add("）名義のカードです。")],
        lambda: [_n(Line().add(f"{kin_c}の名前は"), child, case).add("です。")],
        lambda: [_n(Line().add("ご家族のお名前："), f"{surname} {adult}", case)
                 .add(f"（続柄：{kin_a}）")],
        lambda: [_n(Line(), child, case).add(f"（{kin_c}・{school}）の体操服を追加で。")],
        lambda: [_n(Line().add(f"{elder} "), f"{surname} {kana}", case).add(" 様の件で再度ご連絡。")],
        lambda: [_n(Line().add(f"うちの{kin_c}の"), child, case).add("くんが使う分です。")],
        lambda: [_n(Line().add(f"{kin_a}の"), adult, case).add("宛に届いた荷物が破損していました。")],
        lambda: [_n(Line().add(f"{kin_c}である"), child, case).add("が受取人です。")],
        lambda: [_n(Line().add(f"{kin_a}　"), f"{surname}{adult}", case).add("　が代わりに伺います。")],
        lambda: [_n(Line().add("氏名："), f"{surname} {adult}", case).add(f"　続柄：{kin_a}")],
        lambda: [_n(Line(), kana, case).add(f"ちゃん（{kin_c}）の分も一緒にお願いします。")],
        lambda: [_n(Line().add(f"{kin_a}・"), adult, case).add("と一緒に伺います。")],
        lambda: [_n(Line().add("被保険者の子 "), child, case).add(f"（{school}）")],
        lambda: [_n(Line().add(f"{elder}・"), f"{surname}{_given(rng, GIVEN_KANA[6:], used)}", case)
                 .add("の介護用品です。")],
        lambda: [_n(Line().add(kin_c), child, case).add(f"（{rng.randint(4, 15)}歳）も同乗していました。")],
        lambda: [_n(Line().add(f"宛名は{kin_a}の"), adult, case).add("でお願いします。")],
        lambda: [_n(Line(), f"{surname} {adult}", case).add(f"（契約者の{kin_a}）も同席しました。")],
        lambda: [_n(Line().add(f"{kin_a}は"), adult, case).add("、息子は来週伺います。")],
        lambda: [_n(Line().add(rng.choice(("親父", "おふくろ", "曾祖母")) + "の"), kana, case)
                 .add("の分も含みます。")],
    ]
    return forms[form % len(forms)]()


# --- the company's staff and other companies' people ----------------------------------------


def _staff_label(rng: random.Random, form: int, clerk: tuple[str, str], dept: str) -> Line:
    s, full = clerk[0], f"{clerk[0]} {clerk[1]}"
    forms = [
        lambda: _n(Line().add("担当："), s, "staff_label"),
        lambda: _n(Line().add("対応者："), full, "staff_label"),
        lambda: _n(Line().add("受付："), s, "staff_label"),
        lambda: _n(Line().add("折り返し担当："), s, "staff_label").add("（17時以降）"),
        lambda: _n(Line().add("店長の"), s, "staff_label").add("より折り返し予定。"),
        lambda: _n(Line().add("責任者　"), s, "staff_label"),
        lambda: _n(Line().add(f"{dept}　"), full, "staff_label"),
        lambda: _n(Line().add("（文責："), s, "staff_label").add("）"),
    ]
    return forms[form % len(forms)]()


def _staff_mention(form: int, clerk: tuple[str, str]) -> Line:
    """The shop's clerk as a customer mentions them."""
    s = clerk[0]
    forms = [
        lambda: _n(Line().add("先日お電話いただいた"), s, "staff_mentioned").add("様からご案内のあった件です。"),
        lambda: _n(Line().add("前回ご対応いただいた"), s, "staff_mentioned").add("さんにもお伝えください。"),
        lambda: _n(Line().add("担当の"), s, "staff_mentioned").add("さんから折り返しをお願いします。"),
        lambda: _n(Line().add("電話で"), s, "staff_mentioned").add("様にお話しした内容の確認です。"),
    ]
    return forms[form % len(forms)]()


def _company_person(rng: random.Random, form: int, surname: str) -> Line:
    courier = rng.choice(COURIERS)
    forms = [
        lambda: _n(Line().add(f"配送業者（{courier}）の"), surname, "company_person")
        .add("さんから不在票が入っていました。"),
        lambda: _n(Line().add(f"{courier}のドライバーの"), surname, "company_person")
        .add("さんに再配達を頼みました。"),
        lambda: _n(Line().add("ケアマネージャーの"), surname, "company_person")
        .add("さんにも相談済みです。"),
        lambda: _n(Line().add("保険会社の"), surname, "company_person").add("様から書類が届きました。"),
    ]
    return forms[form % len(forms)]()


# --- the documents ----------------------------------------------------------------------------


def inquiry_form(rng: random.Random, names: Names, shop: tuple[str, str], staff, k: int,
                 subjects: list[int]) -> list[Line]:
    """A web form's inquiry as the shop's system mails it, with the clerk's note at the end."""
    surname = names.last()
    used: set[str] = set()
    customer = f"{surname} {_given(rng, GIVEN_ADULT, used)}"
    relatives = [_relative(rng, k * 2 + i, surname, used) for i in range(2)]
    subjects.append(1 + len(relatives))
    clerk = rng.choice(staff)
    lines = [Line().add(f"【{shop[0]}】お問い合わせフォームより受信"), Line(),
             _n(Line().add("■お名前："), customer, "form_name"),
             Line().add("■電話番号：").add(_phone(rng), "phone"),
             Line().add("■お問い合わせ種別：注文内容の変更"), Line().add("■お問い合わせ内容："),
             Line().add("いつもお世話になっております。")]
    for rel in relatives:
        lines.extend(rel)
    lines += [Line().add("よろしくお願いいたします。"), Line(), Line().add("――――――――――"),
              Line().add("【社内メモ】"), _staff_label(rng, k, clerk, rng.choice(DEPTS)),
              Line().add("12/4 折り返し済み")]
    return lines


def call_memo(rng: random.Random, names: Names, staff, k: int, subjects: list[int]) -> list[Line]:
    """A call centre's memo file: three calls, each a 相談者 (the caller) and a 対象者 (the family
    member the call is about), the clerk by a label, a relative or another company's person."""
    lines: list[Line] = []
    for call in range(3):
        surname = names.last()
        used: set[str] = set()
        caller = f"{surname} {_given(rng, GIVEN_ADULT, used)}"
        target = f"{surname} {_given(rng, GIVEN_KANA + GIVEN_ADULT, used)}"
        subjects.append(2)
        clerk = rng.choice(staff)
        kin = rng.choice(KIN_ELDER)
        lines += [Line().add(f"◆ 12/{rng.randint(1, 28)} {rng.randint(9, 17)}:{rng.randint(10, 59)} 入電"),
                  _staff_label(rng, k * 3 + call, clerk, rng.choice(DEPTS)),
                  _n(Line().add("相談者："), caller, "memo_caller").add(f" 様（対象者の{rng.choice(('長女', '長男', '次女', '息子', '娘'))}）"),
                  _n(Line().add("対象者："), target, "family").add(f" 様（{kin}、{rng.randint(75, 94)}歳）"),
                  Line().add("連絡先：").add(_phone(rng), "phone"),
                  Line().add("内容：定期便の届け先を施設に変更したいとのこと。")]
        if call == 1:
            rel = _relative(rng, k * 5 + call, surname, used)
            subjects[-1] += 1
            lines.extend(rel)
        else:
            lines.append(_company_person(rng, k + call, names.last()))
        lines.append(Line())
    return lines


def mail_thread(rng: random.Random, names: Names, shop: tuple[str, str], staff, k: int,
                subjects: list[int]) -> list[Line]:
    """A mail thread exported as text: the clerk's answer, then the customer's mail quoted (the
    salutation to the clerk, the clerk mentioned, relatives, the customer's signature)."""
    surname = names.last()
    used: set[str] = set()
    customer = f"{surname} {_given(rng, GIVEN_ADULT, used)}"
    clerk, other = rng.sample(staff, 2)
    dept = rng.choice(DEPTS)
    relatives = _relative(rng, k * 3 + 1, surname, used)
    subjects.append(2)
    answer = [
        _n(Line(), customer, "salutation").add(" 様"), Line(),
        Line().add("いつもご利用いただきありがとうございます。"),
        _n(Line().add(f"{shop[0]} {shop[1]}の"), clerk[0], "staff_self").add("でございます。"),
        Line().add("お問い合わせの件、承知いたしました。"),
        _n(_n(Line().add("CC："), other[0], "staff_cc").add("、"), rng.choice(staff)[0], "staff_cc"),
        Line(), Line().add("--"), Line().add(f"{shop[0]} {dept}"),
        _n(Line(), f"{clerk[0]} {clerk[1]}", "staff_signature"),
        Line().add("TEL 0120-55-" + f"{rng.randint(1000, 9999)}"), Line(),
        Line().add("-----Original Message-----"),
    ]
    asked = [
        _n(Line().add(f"{shop[0]} {shop[1]} "), clerk[0], "staff_addressed").add(" 様"), Line(),
        _n(Line().add("お世話になっております。"), surname, "writer_self").add("です。"),
        _staff_mention(k, clerk),
        *relatives,
        _company_person(rng, k, names.last()),
        Line().add("お手数ですがよろしくお願いします。"), Line().add("--"),
        _n(Line(), customer, "customer_signature"),
        Line().add("携帯 ").add(_phone(rng), "phone"),
    ]
    return [*answer, *(quoted_line(line) for line in asked)]


def family_letter(rng: random.Random, names: Names, shop: tuple[str, str], staff, k: int,
                  subjects: list[int]) -> list[Line]:
    """A relative writing for the customer (the account holder): 名義人, 代理で, both named."""
    surname = names.last()
    used: set[str] = set()
    holder = f"{surname} {_given(rng, GIVEN_KANA, used)}"
    writer = _given(rng, GIVEN_ADULT, used)
    clerk = rng.choice(staff)
    subjects.append(3)
    return [
        Line().add(f"{shop[0]} ご担当者様"), Line(),
        _n(Line().add("はじめまして。会員の"), holder, "holder").add("の娘です。"),
        Line().add("母が").add("入院中", "health").add("のため、代理でご連絡いたします。"),
        _n(Line().add("私は"), f"{surname} {writer}", "writer_family").add("と申します。"),
        *_relative(rng, k * 7 + 2, surname, used),
        _staff_mention(k + 1, clerk),
        Line().add("よろしくお願いいたします。"),
    ]


# --- session 14 (prose2): officers and clerks by their post, relatives in romaji -------------
# A shop's answer and the customer's mail quoted, one a shop, written after the other documents
# from their own random stream and tables so that those stay byte for byte the same.

SHOPS6 = ("ひだまり商会", "こだま商店", "みなと商会", "つばめ商店")
STAFF6 = ("鬼頭", "汐見", "蜂谷", "椎名", "灰谷", "桐生", "真柴", "都築", "葛西", "嵯峨", "雨宮",
          "香坂", "鷲尾", "保坂", "宍戸", "小暮")
STAFF6_KANA = ("タカギ", "ミヤケ", "ノグチ", "ヒラタ")
CUSTOMERS6 = ("氷室", "舘野", "辻本", "柘植")
ROMAJI6 = ("Hanako", "Yui", "Ren", "Mio", "Sora", "Haruto", "Kenta", "Emi")
KANA6 = ("ひな", "みお", "さき", "りこ")
SIBLING6 = ("明美", "里美", "直美", "智子")
DOCTORS6 = ("井筒", "木暮", "国分", "鶴見")


def shop_answer(rng: random.Random, s: int, subjects: list[int]) -> list[Line]:
    """The shop's officers and clerks by their post (店長の, 支配人の, 代表取締役, 〇〇商会の〇〇です,
    担当：a name in katakana, 担当オペレーター：, the clerk a customer calls 店員の〇〇さん), a
    doctor (主治医の〇〇先生: another organisation's person), and the customer's
    relatives in romaji (妻 Hanako が), before a particle ending the line (娘のひなが) and before
    whose place it is (妹 明美 宅), with a relative's brand and device as decoys."""
    shop = SHOPS6[s]
    clerks = STAFF6[s * 4:s * 4 + 4]
    customer = f"{CUSTOMERS6[s]} {GIVEN_ADULT[s]}"
    wife, child = ROMAJI6[s * 2], ROMAJI6[s * 2 + 1]
    kin_a, kin_c = rng.choice(("妻", "夫", "主人")), rng.choice(("娘", "息子", "長女", "次男"))
    subjects.append(5)  # the customer and four relatives
    answer = [
        _n(Line(), customer, "salutation").add(" 様"), Line(),
        Line().add("いつもご利用いただきありがとうございます。"),
        _n(Line().add(f"{shop}の"), clerks[0], "staff_self").add("です。"),
        Line().add("お問い合わせの件、確認いたしました。"),
        _n(Line().add("ご注文の件は店長の"), clerks[1], "staff_title").add("にも確認いたしました。"),
        _n(Line().add("明日は支配人の"), clerks[2], "staff_title").add("が伺います。"),
        Line().add("よろしくお願いいたします。"), Line(),
        Line().add(shop), _n(Line().add("代表取締役　"), f"{clerks[3]} {GIVEN_ADULT[s + 4]}",
                             "staff_title"),
        Line(), Line().add("――――――――――"), Line().add("【社内メモ】"),
        _n(Line().add("担当："), STAFF6_KANA[s], "staff_label"),
        _n(Line().add("担当オペレーター："), clerks[1], "staff_label"), Line(),
        Line().add("-----Original Message-----"),
    ]
    asked = [
        Line().add(f"{shop} ご担当者様"), Line(),
        _n(Line().add("先日、店員の"), clerks[0], "staff_mentioned").add("さんに対応していただきました。"),
        _n(Line().add(f"{kin_a} "), wife, "family").add(" が受け取ります。"),
        _n(Line().add(f"{kin_c}の"), child, "family").add("が使う分です。"),
        Line().add("先週の荷物を受け取ったのは"),
        _n(Line().add(f"{rng.choice(('娘', '孫'))}の"), KANA6[s], "family").add("が"),
        _n(Line().add(f"{rng.choice(('妹', '姉'))} "), SIBLING6[s], "family").add(" 宅に送ってください。"),
        _n(Line().add("主治医の"), DOCTORS6[s], "company_person").add("先生にも相談済みです。"),
        Line().add(f"{kin_a}のAmazonのアカウントで注文しました。"),
        Line().add("母のiPhoneから送っています。"),
        Line().add("よろしくお願いします。"), Line().add("--"),
        _n(Line(), customer, "customer_signature"),
    ]
    return [*answer, *(quoted_line(line) for line in asked)]


# --- main -------------------------------------------------------------------------------------


def generate(out: Path, seed: int = 1414) -> dict:
    files = SetWriter(out)
    rng = random.Random(seed)
    names = Names(rng)
    subjects: list[int] = []
    for s, shop in enumerate(SHOPS):
        staff = [(names.last(), rng.choice(GIVEN_ADULT)) for _ in range(4)]
        for i in range(3):
            k = s * 3 + i
            files.text(f"forms/inquiry_{k:02d}.txt", inquiry_form(rng, names, shop, staff, k,
                                                                   subjects))
            files.text(f"mail/thread_{k:02d}.txt", mail_thread(rng, names, shop, staff, k,
                                                                subjects))
        files.text(f"memos/calls_{s}.txt", call_memo(rng, names, staff, s, subjects))
        files.text(f"mail/family_{s}.txt", family_letter(rng, names, shop, staff, s, subjects))
    # written last, from a stream of their own: the documents above stay as they were
    rng6 = random.Random(seed * 10 + 6)
    for s in range(len(SHOPS6)):
        files.text(f"mail/shop_{s}.txt", shop_answer(rng6, s, subjects))
    people = {"people": sum(subjects), "prose": sum(subjects), "tables": 0, "folder": "data",
              "note": "customers and the relatives named; not the staff (4 a shop) nor other "
                      "companies' people"}
    files.finish(people)
    return {"seed": seed, "spans": len(files.truth.spans), **people}


def main(argv: list[str] | None = None) -> int:
    return corpus_prose.main(argv, doc=__doc__, out=corpus_prose.default_out("prose5"), seed=1414,
                             generate=generate, score=corpus_prose.score)


if __name__ == "__main__":
    sys.exit(main())
