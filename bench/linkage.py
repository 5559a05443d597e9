"""Distinct people in tables that real exports make hard to link: a third development generator.

    uv run --group bench python bench/linkage.py [--seed N] [--households N] [--off CLASS …]

Neither bench/corpus.py nor the held-out corpus: its own name and address tables (below), its
own layouts and typos. A population of households (a family name, an address, often a shared
landline; each member a given name, a birth date, maybe a mobile and an e-mail) is written out
by four controllers, each person in one or more of their exports, typed as that system types:

- ``shop/customers.csv`` (UTF-8 with BOM): 会員ID, お名前, フリガナ, 生年月日 (西暦), 郵便番号, 住所
  (with the prefecture), 電話番号, メールアドレス; the header row again every 250 rows (exports
  put together) and a totals row (合計 … 件) at the end.
- ``shop/members_sheet1.csv``, ``shop/members_sheet2.csv`` (CP932, CRLF: two sheets of the
  members' book saved by Excel): 氏名 with an ideographic space or none, the common form of
  髙/﨑/邉/齋 or the variant, 生年月日 in 和暦 (昭和60年4月1日, S60.4.1, H2/10/3), 電話 with +81 or
  without its leading 0 (a number cell), e-mail in capitals, the address without its prefecture
  in full-width digits and 丁目 written out.
- ``events/signup.csv`` (UTF-8): 姓, 名, セイ, メイ, 携帯, E-mail — rows with only some
  identifiers (a mobile or an e-mail, not both); names in hiragana for some.
- ``insurance/family.csv`` (UTF-8): one row per insured person: 契約者番号, 被保険者名, 続柄,
  生年月日, 住所, 自宅電話 — a household's members share the address and the landline and are
  different people.
- ``shop/deliveries.csv`` (UTF-8 with BOM): a gift's recipient, お届け先氏名 and お届け先住所 only,
  the address as a courier's system writes it (no prefecture, 一丁目2番地3, full-width 1丁目2-3,
  a space before the block, the building dropped or only its room): the address is the one key.
- ``shop/accounts.csv`` (UTF-8): login accounts with no name — ログインID, メールアドレス, a password
  hash, 最終ログイン: each is a customer named elsewhere with that e-mail address.
- ``events/attendees.csv`` (UTF-8): 氏名 and 勤務先 only: a name with nothing else.

The truth (``truth.json``) is the number of distinct people written anywhere. ``--off CLASS``
writes the people without one class of variation (width, space, variant, kana, intl_phone,
lost_zero, email_case, wareki, address_form, header_again, totals), so that the class that
over- or under-counts shows as the difference; ``--each`` runs every class alone.
Writes under /tmp/rouei-bench/linkage (ROUEI_BENCH_DIR); never into the repository.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import WORK, machine, scan

CLASSES = ("width", "space", "variant", "kana", "intl_phone", "lost_zero", "email_case",
           "wareki", "address_form", "header_again", "totals")

# Family names: (as a registry writes it, the common form, reading). A variant kanji first
# where one exists (髙橋 / 高橋).
FAMILY = [
    ("髙橋", "高橋", "タカハシ"), ("山﨑", "山崎", "ヤマザキ"), ("渡邉", "渡辺", "ワタナベ"),
    ("齋藤", "斎藤", "サイトウ"), ("濱田", "浜田", "ハマダ"), ("柴田", "柴田", "シバタ"),
    ("小野寺", "小野寺", "オノデラ"), ("石黒", "石黒", "イシグロ"), ("大塚", "大塚", "オオツカ"),
    ("宮本", "宮本", "ミヤモト"), ("菅原", "菅原", "スガワラ"), ("野口", "野口", "ノグチ"),
    ("杉浦", "杉浦", "スギウラ"), ("久保田", "久保田", "クボタ"), ("千葉", "千葉", "チバ"),
    ("望月", "望月", "モチヅキ"), ("荒木", "荒木", "アラキ"), ("堀内", "堀内", "ホリウチ"),
    ("秋山", "秋山", "アキヤマ"), ("今井", "今井", "イマイ"), ("桑原", "桑原", "クワバラ"),
    ("根本", "根本", "ネモト"), ("丸山", "丸山", "マルヤマ"), ("関口", "関口", "セキグチ"),
    ("平野", "平野", "ヒラノ"), ("吉川", "吉川", "ヨシカワ"), ("安藤", "安藤", "アンドウ"),
    ("河合", "河合", "カワイ"), ("樋口", "樋口", "ヒグチ"), ("内藤", "内藤", "ナイトウ"),
]
GIVEN = [
    ("翔太", "ショウタ"), ("大輝", "ダイキ"), ("拓海", "タクミ"), ("健一", "ケンイチ"),
    ("誠", "マコト"), ("博之", "ヒロユキ"), ("隆", "タカシ"), ("修", "オサム"), ("悠人", "ユウト"),
    ("蓮", "レン"), ("颯太", "ソウタ"), ("和也", "カズヤ"), ("茂", "シゲル"), ("勇気", "ユウキ"),
    ("美咲", "ミサキ"), ("陽菜", "ヒナ"), ("結衣", "ユイ"), ("真由美", "マユミ"), ("恵子", "ケイコ"),
    ("由美子", "ユミコ"), ("千尋", "チヒロ"), ("彩花", "アヤカ"), ("智子", "トモコ"), ("幸子", "サチコ"),
    ("葵", "アオイ"), ("凛", "リン"), ("早紀", "サキ"), ("直美", "ナオミ"), ("京子", "キョウコ"),
    ("麻衣", "マイ"), ("久美", "クミ"), ("楓", "カエデ"),
]
# (prefecture, city, town, postal code, area code of its landlines)
PLACES = [
    ("宮城県", "仙台市青葉区", "国分町", "980-0803", "022"),
    ("埼玉県", "川越市", "連雀町", "350-0066", "049"),
    ("千葉県", "船橋市", "本町", "273-0005", "047"),
    ("東京都", "世田谷区", "経堂", "156-0052", "03"),
    ("東京都", "練馬区", "石神井町", "177-0041", "03"),
    ("神奈川県", "藤沢市", "鵠沼海岸", "251-0037", "0466"),
    ("静岡県", "静岡市葵区", "呉服町", "420-0031", "054"),
    ("愛知県", "名古屋市昭和区", "御器所", "466-0051", "052"),
    ("京都府", "京都市左京区", "下鴨本町", "606-0802", "075"),
    ("大阪府", "豊中市", "岡町北", "561-0884", "06"),
    ("兵庫県", "西宮市", "甲子園口", "663-8113", "0798"),
    ("広島県", "広島市中区", "本通", "730-0035", "082"),
    ("福岡県", "福岡市早良区", "西新", "814-0002", "092"),
    ("熊本県", "熊本市中央区", "水前寺", "862-0950", "096"),
]
KANJI_DIGITS = "〇一二三四五六七八九"
FULLWIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")
HIRAGANA = {chr(c): chr(c - 0x60) for c in range(0x30A1, 0x30F7)}
WAREKI = (("令和", "R", dt.date(2019, 5, 1)), ("平成", "H", dt.date(1989, 1, 8)),
          ("昭和", "S", dt.date(1926, 12, 25)))
DOMAINS = ("gmail.com", "yahoo.co.jp", "icloud.com", "docomo.ne.jp", "ezweb.ne.jp",
           "softbank.ne.jp", "outlook.jp", "nifty.com")


@dataclass
class Person:
    pid: int
    family: tuple[str, str, str]
    given: tuple[str, str]
    birth: dt.date
    address: tuple[str, str, str, str, int, int, int, str]  # pref, city, town, postal, 1-2-3, bld
    landline: str | None
    mobile: str | None
    email: str | None
    files: set[str] = field(default_factory=set)
    # per record written: which identifiers it holds (for the ideal count, ``linkable``)
    holds: list[tuple[str, ...]] = field(default_factory=list)


def make_people(rng: random.Random, households: int) -> list[Person]:
    people: list[Person] = []
    used_mobiles: set[str] = set()
    for _ in range(households):
        family = rng.choice(FAMILY)
        pref, city, town, postal, area = rng.choice(PLACES)
        building = rng.choice(("", "", "", "コーポ若葉 201", "グランメゾン 1203",
                               "ハイツ桜 3F", "レジデンス丸山 507"))
        address = (pref, city, town, postal, rng.randint(1, 5), rng.randint(1, 30),
                   rng.randint(1, 20), building)
        landline = None
        if rng.random() < 0.6:  # area code and exchange make 6 digits, then 4
            width = 6 - len(area)
            exchange = rng.randint(10 ** (width - 1), 10 ** width - 1)
            landline = f"{area}-{exchange}-{rng.randint(1000, 9999)}"
        size = rng.choices((1, 2, 3, 4), weights=(45, 25, 18, 12))[0]
        given_names = rng.sample(GIVEN, size)  # one household never shares a given name
        head_year = rng.randint(1945, 1995)
        for i, given in enumerate(given_names):
            year = head_year + (rng.randint(-3, 3) if i < 2 else rng.randint(22, 35))
            year = min(year, 2018)
            birth = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            adult = year <= 2006
            mobile = None
            if adult and rng.random() < 0.85:
                while mobile is None or mobile in used_mobiles:
                    mobile = f"0{rng.choice('789')}0-{rng.randint(1000, 9999)}-" \
                             f"{rng.randint(1000, 9999)}"
                used_mobiles.add(mobile)
            email = None
            if adult and rng.random() < 0.75:
                local = rng.choice((family[2], given[1], "")).lower() or "user"
                email = (f"{_romaji_ish(rng, local)}{rng.randint(1, 9999)}"
                         f"@{rng.choice(DOMAINS)}")
            people.append(Person(len(people), family, given, birth, address, landline,
                                 mobile, email))
    return people


def _romaji_ish(rng: random.Random, katakana: str) -> str:
    """A Latin local part that looks like a name (not a transliteration: any letters do)."""
    letters = "aiueokstnhmyrwgzdbp"
    return "".join(rng.choice(letters) for _ in range(max(3, len(katakana))))


# --- how each system types a value ---------------------------------------------------------

class Typist:
    def __init__(self, rng: random.Random, off: set[str]) -> None:
        self.rng, self.off = rng, off

    def on(self, variation: str, share: float) -> bool:
        return variation not in self.off and self.rng.random() < share

    def name(self, p: Person, variant_form: bool, sep: str = " ") -> str:
        family = p.family[0] if variant_form or "variant" in self.off else p.family[1]
        if self.on("space", 0.5):
            sep = self.rng.choice(("", "\u3000", "  "))
        return f"{family}{sep}{p.given[0]}"

    def kana(self, p: Person) -> str:
        return f"{p.family[2]} {p.given[1]}"

    def birth(self, p: Person, wareki: bool) -> str:
        if wareki and self.on("wareki", 0.8):
            for era, letter, start in WAREKI:
                if p.birth >= start:
                    year = p.birth.year - start.year + 1
                    if self.rng.random() < 0.5:
                        return f"{era}{'元' if year == 1 else year}年{p.birth.month}月{p.birth.day}日"
                    return f"{letter}{year}.{p.birth.month}.{p.birth.day}"
        return p.birth.strftime("%Y/%m/%d")

    def phone(self, number: str) -> str:
        if self.on("intl_phone", 0.25):
            return "+81-" + number[1:]
        if self.on("lost_zero", 0.25):
            return number.replace("-", "")[1:]
        if self.on("width", 0.2):
            return number.translate(FULLWIDTH)
        return number

    def email(self, email: str) -> str:
        if self.on("email_case", 0.3):
            return email.upper() if self.rng.random() < 0.5 else email.capitalize()
        return email

    def address(self, p: Person, with_prefecture: bool) -> str:
        pref, city, town, _, a, b, c, building = p.address
        other_form = self.on("address_form", 0.6)
        head = pref + city + town if with_prefecture or not other_form else city + town
        if other_form:
            block = f"{KANJI_DIGITS[a]}丁目{b}番{c}号"
            if self.on("width", 0.5):
                block = block.translate(FULLWIDTH)
        else:
            block = f"{a}-{b}-{c}"
        room = f" {building}" if building else ""
        return head + block + room


def write_csv(path: Path, header: list[str] | None, rows: list[list[str]], encoding: str,
              newline: str = "\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding, errors="strict"))


def generate(out: Path, seed: int, households: int, off: set[str]) -> dict:
    rng = random.Random(seed)
    people = make_people(rng, households)
    typist = Typist(rng, off)
    data = out / "data"
    if data.exists():
        for f in sorted(data.rglob("*"), reverse=True):
            f.unlink() if f.is_file() else f.rmdir()
    adults = [p for p in people if p.birth.year <= 2006]

    # 1. the shop's customers: most adults, Western dates, the prefecture, one phone
    shop = [p for p in adults if rng.random() < 0.7]
    header = ["会員ID", "お名前", "フリガナ", "生年月日", "郵便番号", "住所", "電話番号",
              "メールアドレス"]
    rows: list[list[str]] = []
    for i, p in enumerate(shop):
        if i and i % 250 == 0 and "header_again" not in off:
            rows.append(list(header))
        phone = p.mobile or p.landline or ""
        rows.append([f"M{100000 + p.pid}", typist.name(p, variant_form=True), typist.kana(p),
                     typist.birth(p, wareki=False), p.address[3], typist.address(p, True),
                     phone, p.email or ""])
        p.files.add("shop/customers.csv")
        p.holds.append(("name", "kana", "birth", "address", "phone:" + phone,
                        "email" if p.email else ""))
    if "totals" not in off:
        rows.append(["合計", "", "", "", "", "", "", f"{len(shop)}件"])
    write_csv(data / "shop/customers.csv", header, rows, "utf-8-sig")

    # 2. the members' book, two sheets: the same people typed by another system
    members = [p for p in adults if rng.random() < 0.5]
    half = len(members) // 2
    for sheet, part in (("members_sheet1.csv", members[:half]),
                        ("members_sheet2.csv", members[half:])):
        rows = []
        for p in part:
            phone = p.mobile or p.landline
            rows.append([typist.name(p, variant_form=False, sep="\u3000"),
                         typist.birth(p, wareki=True), typist.phone(phone) if phone else "",
                         typist.email(p.email) if p.email else "",
                         "〒" + p.address[3], typist.address(p, with_prefecture=False)])
            p.files.add("shop/" + sheet)
            p.holds.append(("name", "birth", "address", "phone:" + (phone or ""),
                            "email" if p.email else ""))
        write_csv(data / "shop" / sheet, ["氏名", "生年月日", "電話", "メール", "〒", "住所"],
                  rows, "cp932", "\r\n")

    # 3. an event's sign-up: split names, only some identifiers
    signup = [p for p in adults if rng.random() < 0.3 and (p.mobile or p.email)]
    rows = []
    for p in signup:
        mobile = p.mobile if p.mobile and (not p.email or rng.random() < 0.6) else None
        email = p.email if p.email and (not mobile or rng.random() < 0.5) else None
        given, given_kana = p.given
        if typist.on("kana", 0.15):  # a given name typed in hiragana
            given = "".join(HIRAGANA.get(ch, ch) for ch in given_kana)
        rows.append([p.family[1] if rng.random() < 0.5 else p.family[0], given, p.family[2],
                     given_kana, typist.phone(mobile) if mobile else "",
                     typist.email(email) if email else ""])
        p.files.add("events/signup.csv")
        p.holds.append(("name" if given == p.given[0] else "", "kana", "phone:" + (mobile or ""),
                        "email" if email else ""))
    write_csv(data / "events/signup.csv", ["姓", "名", "セイ", "メイ", "携帯", "E-mail"], rows,
              "utf-8")

    # 4. an insurer's family policies: every member of some households, one row each
    by_household: dict[tuple, list[Person]] = {}
    for p in people:
        by_household.setdefault((p.address, p.family), []).append(p)
    rows = []
    relations = ("本人", "配偶者", "子", "子")
    for number, members_of in enumerate(by_household.values()):
        if rng.random() >= 0.35:
            continue
        for i, p in enumerate(members_of):
            rows.append([f"P{700000 + number}", typist.name(p, variant_form=bool(i % 2)),
                         relations[min(i, 3)], typist.birth(p, wareki=rng.random() < 0.3),
                         typist.address(p, True), p.landline or ""])
            p.files.add("insurance/family.csv")
            p.holds.append(("name", "birth", "address", "phone:" + (p.landline or "")))
    write_csv(data / "insurance/family.csv",
              ["契約者番号", "被保険者名", "続柄", "生年月日", "住所", "自宅電話"], rows, "utf-8")

    # 5. the shop's deliveries: a gift's recipient by name and address only (no phone, no
    # birth date), the address as a courier's system writes it: no prefecture, kanji numerals
    # or 丁目/番地, the building dropped or kept, ケ/ヶ as typed
    rows = []
    for p in people:
        if rng.random() >= 0.15:
            continue
        pref, city, town, postal, a, b, c, building = p.address
        if "address_form" in off:
            street = f"{pref}{city}{town}{a}-{b}-{c}" + (f" {building}" if building else "")
        else:
            form = rng.randrange(4)
            head = city + town if rng.random() < 0.6 else pref + city + town
            if form == 0:
                street = f"{head}{KANJI_DIGITS[a]}丁目{b}番地{c}"
            elif form == 1:
                street = f"{head}{a}丁目{b}-{c}".translate(FULLWIDTH)
            elif form == 2:
                street = f"{head} {a}-{b}-{c}"
            else:
                street = f"{head}{a}-{b}-{c}"
            room = building.split()[-1] if building else ""
            if building and rng.random() < 0.5:
                street += f" {building}"
            elif room and room[0].isdigit():
                street += f"-{room}"
        rows.append([typist.name(p, variant_form=rng.random() < 0.5), postal, street,
                     rng.choice(("お歳暮", "お中元", "誕生日", "内祝い"))])
        p.files.add("shop/deliveries.csv")
        p.holds.append(("name", "address"))
    write_csv(data / "shop/deliveries.csv", ["お届け先氏名", "お届け先郵便番号", "お届け先住所", "用途"],
              rows, "utf-8-sig")

    # 6. the shop's login accounts: no name at all, an e-mail (as typed at sign-up) and a
    # password hash; a family may share one address, and then it is one account
    rows = []
    accounts: dict[str, Person] = {}
    for p in shop:
        if p.email and p.email not in accounts and rng.random() < 0.6:
            accounts[p.email] = p
    for number, (email, p) in enumerate(accounts.items()):
        rows.append([f"user{300000 + number}", typist.email(email),
                     f"{rng.getrandbits(128):032x}", f"2024-{rng.randint(1, 12):02d}-01"])
        p.files.add("shop/accounts.csv")
        p.holds.append(("email",))
    write_csv(data / "shop/accounts.csv", ["ログインID", "メールアドレス", "パスワード", "最終ログイン"],
              rows, "utf-8")

    # 7. a seminar's attendee list: a name and the attendee's company (not an item), nothing
    # else that identifies anyone
    rows = []
    for p in adults:
        if rng.random() < 0.12:
            rows.append([typist.name(p, variant_form=rng.random() < 0.5),
                         rng.choice(("株式会社ミドリ", "有限会社かもめ", "自営業", "会社員", ""))])
            p.files.add("events/attendees.csv")
            p.holds.append(("name",))
    write_csv(data / "events/attendees.csv", ["氏名", "勤務先"], rows, "utf-8")

    written = [p for p in people if p.files]
    truth = {"people": len(written), "linkable": linkable(written),
             "records": sum(len(p.files) for p in written),
             "in_several_files": sum(len(p.files) > 1 for p in written),
             "households": households, "seed": seed, "off": sorted(off)}
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1))
    return truth


def linkable(people: list[Person]) -> int:
    """The people a perfect normaliser counts under the scanner's key rules (people.py:
    name + birth date / phone / address / e-mail, reading + birth date / phone / e-mail, on
    the true values): records of one person that share no such key stay apart, as they must
    (they could be namesakes). The truth minus this is what no normalisation can link."""
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for p in people:
        keys_of = []
        for i, holds in enumerate(p.holds):
            items = {h.split(":")[0] if ":" not in h else h for h in holds if h and h != "phone:"}
            keys = set()
            for who in ("name", "kana"):
                if who in items:
                    keys |= {(who, item) for item in items
                             if item in ("birth", "email") or item.startswith("phone:")
                             or (item == "address" and who == "name")}
            if items == {"name"}:  # a name alone attaches to a record of that name and more
                keys |= {("name", item) for item in ("birth", "address", "email", "alone")}
            if "name" not in items and "kana" not in items and "email" in items:
                keys |= {(who, "email") for who in ("name", "kana")}  # attaches to the named
            keys_of.append(((p.pid, i), keys))
        for (a, ka), (b, kb) in ((x, y) for n, x in enumerate(keys_of) for y in keys_of[n + 1:]):
            if ka & kb:
                parent[root(a)] = root(b)
        for a, _ in keys_of:
            root(a)
    return len({root(x) for x in list(parent)})


def measure(out: Path) -> dict:
    truth = json.loads((out / "truth.json").read_text())
    report_path = out / "report.json"
    run = scan([out / "data"], json_out=report_path)
    report = json.loads(report_path.read_text())
    found = report["people"]
    return {"truth": truth["people"], "linkable": truth["linkable"], "found": found,
            "error": round((found - truth["people"]) / truth["people"], 4),
            "records": truth["records"], "seconds": round(run.seconds, 2),
            "detail": report.get("people_detail"), "off": truth["off"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=WORK / "linkage")
    parser.add_argument("--seed", type=int, default=1414)
    parser.add_argument("--households", type=int, default=900)
    parser.add_argument("--off", nargs="*", default=[], choices=CLASSES)
    parser.add_argument("--each", action="store_true",
                        help="also measure with each class of variation alone")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    runs = []
    generate(args.out, args.seed, args.households, set(args.off))
    runs.append({"label": "all" if not args.off else "off: " + ",".join(args.off),
                 **measure(args.out)})
    if args.each:
        runs.append({"label": "none", **_measure_with(args, set(CLASSES))})
        for cls in CLASSES:
            runs.append({"label": f"only {cls}", **_measure_with(args, set(CLASSES) - {cls})})
    for r in runs:
        linked = (r["detail"] or {}).get("linked_by", {})
        print(f"{r['label']:<22} truth {r['truth']:>5}  linkable {r['linkable']:>5}  "
              f"found {r['found']:>5}  "
              f"error {r['error']:+.1%}  ({r['records']} records, {r['seconds']} s) {linked}")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "runs": runs},
                                        ensure_ascii=False, indent=1))
    return 0


def _measure_with(args, off: set[str]) -> dict:
    out = args.out.with_name(args.out.name + "-variant")
    generate(out, args.seed, args.households, off)
    return measure(out)


if __name__ == "__main__":
    sys.exit(main())
