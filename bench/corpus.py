"""A labelled corpus of Japanese personal data for the scanner's accuracy benchmark.

    uv run python bench/corpus.py [OUT] [--seed N] [--scale F]

writes (OUT defaults to $ROUEI_BENCH_DIR/corpus, /tmp/rouei-bench/corpus unless set; never write
into the repository):

    OUT/data/people/   customer and employee tables whose people overlap (for distinct people)
    OUT/data/tables/   decoy tables: order numbers, product codes, ``col1…col8`` export
    OUT/data/text/     memos (.txt) and mails (.eml, one with an attached CSV)
    OUT/truth/cells.jsonl   {"file", "row", "column", "category", "case"} per labelled cell
    OUT/truth/spans.jsonl   {"file", "line", "start", "end", "category", "case"} per text value
    OUT/data/threads/  support threads (.eml): a customer's mail and the staff's answer
    OUT/truth/people.json   {"people": distinct people in data/people/, "records": rows, …}
    OUT/truth/prose_people.json  {"people": data subjects in data/threads/}
    OUT/truth/manifest.json what was generated, with the seed

Everything is derived from Faker's ja_JP locale and ``random.Random(seed)``, so the same seed
gives byte-identical files. Phone numbers, card numbers and My Numbers are generated here (not by
Faker, whose ja_JP phone numbers are partly not Japanese numbers) and are valid by construction:
phones follow the numbering plan (mobile 0X0-XXXX-XXXX, fixed 10 digits with the area code and
exchange making 6 digits), cards carry a Luhn digit within a brand's IIN range, My Numbers their
check digit. Only valid values are labelled; the decoys (16-digit order numbers failing Luhn,
12-digit codes with a wrong My Number check digit, mistyped card and My Numbers in their own
columns, order dates, message ids) are written and left unlabelled.

File and row coordinates follow the scanner's contract (issue 4): paths relative to ``data/``;
tabular ``row`` is the record number a spreadsheet shows (header = row 1); headerless ``column``
is the 0-based index; text ``line`` is 1-based and ``start``/``end`` are code-point offsets into
the decoded line; an .eml is its headers (one line each, encoded words decoded), a blank line,
then the decoded body; an attached CSV is ``mail.eml!/name.csv``.

Each label has a ``case`` (plain, fullwidth, space_in_name, intl_phone, wareki, headerless,
cp932, bare_name, paren_kana, building_only, …) so misses can be traced to the kind of case.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import shutil
import sys
from dataclasses import dataclass, field
from email import policy
from email.header import Header
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from faker import Faker

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import WORK

DEFAULT_OUT = WORK / "corpus"
FULLWIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")

# --- check digits -------------------------------------------------------------------------------


def luhn_digit(body: str) -> str:
    """The Luhn check digit to append to ``body`` (ISO/IEC 7812-1 Annex B)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:  # doubled: these are the odd positions once the check digit is added
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(digits: str) -> bool:
    return luhn_digit(digits[:-1]) == digits[-1]


def my_number_digit(first_eleven: str) -> str:
    """My Number check digit (番号法施行令 Art. 8): Pn from the right, Qn = n+1 (n≤6), n−5."""
    total = sum(int(d) * (n + 1 if n <= 6 else n - 5)
                for n, d in enumerate(reversed(first_eleven), start=1))
    r = total % 11
    return "0" if r <= 1 else str(11 - r)


def wrong_digit(rng: random.Random, right: str) -> str:
    return str((int(right) + rng.randint(1, 9)) % 10)


# --- people -------------------------------------------------------------------------------------

ERAS = (("令和", "R", dt.date(2019, 5, 1)), ("平成", "H", dt.date(1989, 1, 8)),
        ("昭和", "S", dt.date(1926, 12, 25)), ("大正", "T", dt.date(1912, 7, 30)))
# (area code, digits of the exchange): area code + exchange = 6 digits, subscriber 4.
AREAS = (("03", 4), ("06", 4), ("011", 3), ("022", 3), ("045", 3), ("052", 3), ("075", 3),
         ("078", 3), ("082", 3), ("092", 3), ("048", 3), ("0166", 2), ("0467", 2), ("0985", 2),
         ("01267", 1))
DOMAINS = ("example.com", "example.jp", "example.ne.jp", "example.co.jp", "mail.example.org",
           "example.net")
CP932_ONLY = (("髙橋", "タカハシ"), ("山﨑", "ヤマザキ"), ("吉田", "ヨシダ"))  # 髙 﨑: CP932 only


@dataclass
class Phone:
    groups: tuple[str, ...]

    @property
    def digits(self) -> str:
        return "".join(self.groups)

    def fmt(self, style: str) -> str:
        g = self.groups
        if style == "hyphen":
            return "-".join(g)
        if style == "plain":
            return self.digits
        if style == "space":
            return " ".join(g)
        if style == "paren":
            return f"{g[0]}({g[1]}){g[2]}"
        if style == "paren_area":
            return f"({g[0]}){g[1]}-{g[2]}"
        if style == "intl":
            return "+81-" + "-".join((g[0][1:], *g[1:]))
        if style == "fullwidth":
            return "-".join(g).translate(FULLWIDTH)
        if style == "chouon":  # ー typed for a dash
            return "ー".join(g)
        raise ValueError(style)


@dataclass
class Card:
    digits: str

    def fmt(self, style: str) -> str:
        d = self.digits
        if style == "plain":
            return d
        groups = ([d[:4], d[4:10], d[10:]] if len(d) == 15
                  else [d[i:i + 4] for i in range(0, len(d), 4)])
        if style == "hyphen":
            return "-".join(groups)
        if style == "space":
            return " ".join(groups)
        if style == "fullwidth":
            return "-".join(groups).translate(FULLWIDTH)
        raise ValueError(style)


@dataclass
class Person:
    pid: int
    last: str
    first: str
    last_kana: str
    first_kana: str
    last_roman: str
    first_roman: str
    gender: str
    birth: dt.date
    postal: str
    pref: str
    city: str
    town: str
    block: tuple[int, int, int]
    building: str  # "" or "ハイツ芝浦201"
    phone: Phone
    email: str
    card: Card | None
    my_number: str
    extra: dict = field(default_factory=dict)

    def name(self, space: str = " ") -> str:
        return f"{self.last}{space}{self.first}"

    def kana(self, space: str = " ") -> str:
        return f"{self.last_kana}{space}{self.first_kana}"

    def address(self, style: str = "kanji", building: bool = True, pref: bool = True) -> str:
        c, b, g = self.block
        numbers = f"{c}丁目{b}番{g}号" if style == "kanji" else f"{c}-{b}-{g}"
        head = (self.pref if pref else "") + self.city + self.town + numbers
        if building and self.building:
            head += " " + self.building
        return head

    def birth_text(self, style: str) -> str:
        d = self.birth
        if style == "slash":
            return f"{d.year}/{d.month:02d}/{d.day:02d}"
        if style == "iso":
            return d.isoformat()
        if style == "slash_short":
            return f"{d.year}/{d.month}/{d.day}"
        if style == "kanji":
            return f"{d.year}年{d.month}月{d.day}日"
        era, letter, year = wareki(d)
        y = "元" if year == 1 and style == "wareki" else str(year)
        if style == "wareki":
            return f"{era}{y}年{d.month}月{d.day}日"
        if style == "wareki_letter":
            return f"{letter}{year}.{d.month}.{d.day}"
        raise ValueError(style)


def wareki(d: dt.date) -> tuple[str, str, int]:
    for era, letter, start in ERAS:
        if d >= start:
            return era, letter, d.year - start.year + 1
    raise ValueError(d)


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("ja_JP")
        self.fake.seed_instance(seed)
        self.used_emails: set[str] = set()

    def digits(self, n: int, first: str = "0123456789") -> str:
        return self.rng.choice(first) + "".join(self.rng.choice("0123456789")
                                                 for _ in range(n - 1))

    def phone(self, mobile_share: float = 0.6) -> Phone:
        r = self.rng
        if r.random() < mobile_share:
            return Phone((r.choice(("090", "080", "070")), self.digits(4, "123456789"),
                          self.digits(4)))
        area, exchange = r.choice(AREAS)
        return Phone((area, self.digits(exchange, "23456789"), self.digits(4)))

    def card(self) -> Card:
        r = self.rng
        kind = r.choices(("visa", "master", "jcb", "amex", "diners"), (40, 30, 20, 7, 3))[0]
        if kind == "visa":
            body = "4" + self.digits(14)
        elif kind == "master":
            body = "5" + r.choice("12345") + self.digits(13)
        elif kind == "jcb":
            body = str(r.randint(3528, 3589)) + self.digits(11)
        elif kind == "amex":
            body = r.choice(("34", "37")) + self.digits(12)
        else:
            body = "36" + self.digits(11)
        return Card(body + luhn_digit(body))

    def my_number(self) -> str:
        body = self.digits(11)
        while len(set(body)) == 1:
            body = self.digits(11)
        return body + my_number_digit(body)

    def bad_my_number(self) -> str:
        good = self.my_number()
        return good[:11] + wrong_digit(self.rng, good[11])

    def order_number(self, digits: int = 16) -> str:
        """An order number that fails Luhn (so is no card number)."""
        body = self.digits(digits - 1, "123456789")
        return body + wrong_digit(self.rng, luhn_digit(body))

    def postal(self) -> str:
        return f"{self.rng.randint(1, 999):03d}-{self.rng.randint(0, 9999):04d}"

    def email(self, last_roman: str, first_roman: str) -> str:
        r = self.rng
        while True:
            local = r.choice((f"{first_roman}.{last_roman}", f"{last_roman}{first_roman[0]}",
                              f"{first_roman}{r.randint(1, 99)}", f"{last_roman}_{first_roman}"))
            address = f"{local.lower()}{r.choice(('', str(r.randint(1, 999))))}@" \
                      f"{r.choice(DOMAINS)}"
            if address not in self.used_emails:
                self.used_emails.add(address)
                return address

    def person(self, pid: int) -> Person:
        f, r = self.fake, self.rng
        last, last_kana, last_roman = f.last_name_pair()
        gender = r.choice(("男性", "女性"))
        first, first_kana, first_roman = (f.first_name_male_pair() if gender == "男性"
                                          else f.first_name_female_pair())
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=r.randint(0, 365 * 65))
        building = ""
        if r.random() < 0.45:
            building = f"{f.town()}{f.building_name()}{r.randint(101, 1208)}"
        return Person(
            pid, last, first, last_kana, first_kana, last_roman, first_roman, gender, birth,
            self.postal(), f.prefecture(), f.city(), f.town(),
            (r.randint(1, 9), r.randint(1, 30), r.randint(1, 25)), building, self.phone(),
            self.email(last_roman, first_roman), self.card() if r.random() < 0.55 else None,
            self.my_number())


# --- writing with labels ------------------------------------------------------------------------


class Truth:
    def __init__(self) -> None:
        self.cells: list[dict] = []
        self.spans: list[dict] = []

    def cell(self, file: str, row: int, column: str, category: str, case: str) -> None:
        self.cells.append({"file": file, "row": row, "column": column, "category": category,
                           "case": case})

    def span(self, file: str, line: int, start: int, end: int, category: str,
             case: str) -> None:
        self.spans.append({"file": file, "line": line, "start": start, "end": end,
                           "category": category, "case": case})


@dataclass
class Cell:
    text: str
    category: str | None = None
    case: str = "plain"


def write_table(path: Path, rel: str, header: list[str] | None, rows: list[list[Cell]],
                truth: Truth, *, encoding: str = "utf-8", newline: str = "\n",
                delimiter: str = ",") -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    first_row = 1
    if header is not None:
        writer.writerow(header)
        first_row = 2
    for index, row in enumerate(rows):
        writer.writerow([c.text for c in row])
        for col, c in enumerate(row):
            if c.category and c.text:
                column = header[col] if header is not None else str(col)
                truth.cell(rel, first_row + index, column, c.category, c.case)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode(encoding))


class Line:
    """One line of text built from pieces, some labelled, with their code-point offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.labels: list[tuple[int, int, str, str]] = []
        self.length = 0

    def add(self, text: str, category: str | None = None, case: str = "plain") -> Line:
        if category:
            self.labels.append((self.length, self.length + len(text), category, case))
        self.parts.append(text)
        self.length += len(text)
        return self

    @property
    def text(self) -> str:
        return "".join(self.parts)


def write_lines(lines: list[Line], rel: str, truth: Truth, first_line: int = 1) -> list[str]:
    out = []
    for number, line in enumerate(lines, first_line):
        for start, end, category, case in line.labels:
            truth.span(rel, number, start, end, category, case)
        out.append(line.text)
    return out


# --- the customer tables ------------------------------------------------------------------------


def remarks(g: Generator, p: Person, others: list[Person]) -> Line:
    """A 備考 cell of 24+ characters: free text, sometimes with a phone or a name in it."""
    r = g.rng
    kind = r.random()
    if kind < 0.25:
        other = r.choice(others)
        line = Line().add("ご家族の").add(other.name(""), "person_name", "honorific") \
            .add("様が代理で受け取る場合があります。要確認のこと。")
        return line
    if kind < 0.45:
        return Line().add("不在時は携帯").add(g.phone(1.0).fmt("hyphen"), "phone") \
            .add("へ連絡してください。置き配は不可とのこと。")
    return Line().add(r.choice((
        "前回の配送で箱に傷があったため、梱包を丁寧にとのご要望あり。",
        "請求書は勤務先ではなく自宅へ郵送を希望。先月分は再発行済み。",
        "ポイント失効の案内を送付済み。次回のセール時期について質問あり。",
        "配達は平日の午前中を希望。土日は不在がちとのことで調整が必要。",
    )))


def customers_a(g: Generator, people: list[Person], out: Path, truth: Truth) -> None:
    """UTF-8, comma, header; a few re-registrations of the same person (same name, phone,
    birth date; a new member number and e-mail)."""
    header = ["会員番号", "氏名", "フリガナ", "性別", "生年月日", "郵便番号", "住所", "電話番号",
              "メールアドレス", "カード番号", "備考"]
    rows, r = [], g.rng
    records = list(people)
    for p in r.sample(people, 20):  # re-registrations
        q = Person(**{**p.__dict__, "email": g.email(p.last_roman, p.first_roman)})
        records.append(q)
    r.shuffle(records)
    for n, p in enumerate(records):
        note = remarks(g, p, people) if r.random() < 0.7 else Line()
        rows.append([
            Cell(f"M{100000 + n:07d}"),
            Cell(p.name(r.choice((" ", ""))), "person_name"),
            Cell(p.kana(), "name_kana"),
            Cell(p.gender, "gender"),
            Cell(p.birth_text(r.choice(("slash", "iso"))), "birth_date"),
            Cell(p.postal, "postal_code"),
            Cell(p.address(), "address"),
            Cell(p.phone.fmt(r.choice(("hyphen", "hyphen", "plain"))), "phone"),
            Cell(p.email if r.random() < 0.9 else "", "email"),
            Cell(p.card.fmt(r.choice(("plain", "hyphen"))) if p.card else "", "credit_card"),
            _line_cell(note),
        ])
    write_table(out / "people/customers_a.csv", "people/customers_a.csv", header, rows, truth)
    _remark_truth(truth, "people/customers_a.csv", header, rows)


def _line_cell(line: Line) -> Cell:
    cell = Cell(line.text)
    cell.line = line  # type: ignore[attr-defined]
    return cell


def _remark_truth(truth: Truth, rel: str, header: list[str], rows: list[list[Cell]]) -> None:
    col = header.index("備考")
    for index, row in enumerate(rows):
        line = getattr(row[col], "line", None)
        for _start, _end, category, case in (line.labels if line else ()):
            truth.cell(rel, index + 2, "備考", category, "free_text_cell:" + case)


def customers_b(g: Generator, people: list[Person], out: Path, truth: Truth) -> None:
    """Another system's export, UTF-8 with BOM: other headers, full-width digits, names with an
    ideographic or no space, other phone formats, 和暦 birth dates, e-mails in capitals, the
    building in a second address column."""
    header = ["顧客ID", "お客様名", "カナ", "誕生日", "〒", "住所1", "住所2", "携帯", "E-mail",
              "クレジットカード番号", "最終購入日"]
    rows, r = [], g.rng
    for n, p in enumerate(people):
        name_case = r.choice(("space_in_name", "fullwidth_space", "no_space"))
        name = {"space_in_name": p.name(" "), "fullwidth_space": p.name("\u3000"),
                "no_space": p.name("")}[name_case]
        phone_style = r.choice(("fullwidth", "plain", "paren", "intl", "space", "hyphen",
                                "chouon"))
        birth_style = r.choice(("wareki", "wareki_letter", "slash_short", "kanji"))
        postal_style = r.choice(("plain", "fullwidth", "mark", "bare"))
        postal = {"plain": p.postal, "fullwidth": p.postal.translate(FULLWIDTH),
                  "mark": "〒" + p.postal, "bare": p.postal.replace("-", "")}[postal_style]
        address = p.address(style=r.choice(("kanji", "hyphen")), building=False)
        full = r.random() < 0.3
        if full:
            address = address.translate(FULLWIDTH)
        card = ""
        card_case = "plain"
        if p.card:
            card_case = r.choice(("space", "hyphen", "fullwidth"))
            card = p.card.fmt(card_case)
        email_case = "upper" if r.random() < 0.2 else "plain"
        email = p.email.upper() if email_case == "upper" else p.email
        bought = dt.date(2024, 1, 1) + dt.timedelta(days=r.randint(0, 500))
        rows.append([
            Cell(f"C-{n + 1:05d}"),
            Cell(name, "person_name", name_case),
            Cell(p.kana(r.choice((" ", "\u3000"))), "name_kana"),
            Cell(p.birth_text(birth_style), "birth_date", birth_style),
            Cell(postal, "postal_code", postal_style),
            Cell(address, "address", "fullwidth" if full else "plain"),
            Cell(p.building, "address", "building_only"),
            Cell(p.phone.fmt(phone_style), "phone", phone_style),
            Cell(email, "email", email_case),
            Cell(card, "credit_card", card_case),
            Cell(bought.strftime("%Y/%m/%d")),  # a purchase date: not a birth date
        ])
    write_table(out / "people/customers_b.csv", "people/customers_b.csv", header, rows, truth,
                encoding="utf-8-sig")


def employees_cp932(g: Generator, people: list[Person], out: Path, truth: Truth) -> None:
    """An Excel export: CP932, CRLF, names with CP932-only kanji (髙, 﨑), employee numbers,
    My Numbers of which 4% are mistyped (wrong check digit, not labelled)."""
    header = ["社員番号", "氏名", "フリガナ", "生年月日", "郵便番号", "住所", "電話番号",
              "マイナンバー", "部署"]
    rows, r = [], g.rng
    shared = {p.pid for p in people[len(people) - len(people) // 7:]}  # also in file a
    for n, p in enumerate(people):
        if p.pid not in shared and r.random() < 0.05:
            p.last, p.last_kana = r.choice(CP932_ONLY)
        bad = r.random() < 0.04
        number = g.bad_my_number() if bad else p.my_number
        style = r.choice(("plain", "plain", "space", "hyphen"))
        if style == "space":
            number = f"{number[:4]} {number[4:8]} {number[8:]}"
        elif style == "hyphen":
            number = f"{number[:4]}-{number[4:8]}-{number[8:]}"
        rows.append([
            Cell(f"E{20000 + n}", "employee_id"),
            Cell(p.name("\u3000"), "person_name", "cp932"),
            Cell(p.kana("\u3000"), "name_kana", "cp932"),
            Cell(p.birth_text("slash"), "birth_date", "cp932"),
            Cell(p.postal, "postal_code", "cp932"),
            Cell(p.address(), "address", "cp932"),
            Cell(p.phone.fmt("hyphen"), "phone", "cp932"),
            Cell(number, None if bad else "my_number", "cp932" if not bad else "bad_check"),
            Cell(r.choice(("営業部", "総務部", "経理部", "開発部", "人事部"))),
        ])
    write_table(out / "people/employees_excel.csv", "people/employees_excel.csv", header, rows,
                truth, encoding="cp932", newline="\r\n")


def customers_headerless(g: Generator, people: list[Person], out: Path, truth: Truth) -> None:
    """No header row: name, kana, birth date, postal code, address, phone, e-mail."""
    rows, r = [], g.rng
    for p in people:
        rows.append([
            Cell(p.name(" "), "person_name", "headerless"),
            Cell(p.kana(" "), "name_kana", "headerless"),
            Cell(p.birth_text("slash"), "birth_date", "headerless"),
            Cell(p.postal, "postal_code", "headerless"),
            Cell(p.address(style="hyphen"), "address", "headerless"),
            Cell(p.phone.fmt(r.choice(("hyphen", "plain"))), "phone", "headerless"),
            Cell(p.email, "email", "headerless"),
        ])
    write_table(out / "people/customers_noheader.csv", "people/customers_noheader.csv", None,
                rows, truth)


# --- decoy tables -------------------------------------------------------------------------------


def orders(g: Generator, out: Path, truth: Truth, n: int) -> None:
    """Order numbers (16 digits; random, so about one in ten passes Luhn by chance) and product
    codes (12 digits; about one in eleven passes the My Number check by chance): no item."""
    header = ["注文番号", "商品コード", "注文日", "数量", "金額", "顧客ID"]
    rows, r = [], g.rng
    for i in range(n):
        order = g.digits(16, "123456789")  # random: some pass Luhn by chance
        rows.append([Cell(order), Cell(g.digits(12, "123456789")),
                     Cell((dt.date(2024, 1, 1) + dt.timedelta(days=r.randint(0, 400)))
                          .isoformat()),
                     Cell(str(r.randint(1, 5))), Cell(str(r.randint(5, 400) * 100)),
                     Cell(f"C-{r.randint(1, 99999):05d}")])
    write_table(out / "tables/orders.csv", "tables/orders.csv", header, rows, truth)


def export_col7(g: Generator, out: Path, truth: Truth, n: int) -> None:
    """Generic ``col1…col8`` headers: order numbers failing Luhn, dates, amounts, 12-digit codes
    with a wrong My Number check digit, quantities, a status, valid phones (col7), postal codes
    (col8)."""
    header = [f"col{i}" for i in range(1, 9)]
    rows, r = [], g.rng
    for _ in range(n):
        rows.append([
            Cell(g.order_number()),
            Cell((dt.date(2024, 1, 1) + dt.timedelta(days=r.randint(0, 400))).isoformat()),
            Cell(str(r.randint(5, 400) * 100)),
            Cell(g.bad_my_number()),
            Cell(str(r.randint(1, 5))),
            Cell(r.choice(("発送済", "受付", "キャンセル", "入金待ち"))),
            Cell(g.phone().fmt(r.choice(("hyphen", "plain", "hyphen"))), "phone", "col7"),
            Cell(g.postal(), "postal_code", "unnamed_column"),
        ])
    write_table(out / "tables/export_20240401.csv", "tables/export_20240401.csv", header, rows,
                truth)


def members_excel(g: Generator, out: Path, truth: Truth, n: int) -> None:
    """A member list saved from Excel with its columns as numbers: phones without their leading
    0 (9012345678), postal codes as numbers (Hokkaido's lose their 0), birth dates as serial
    day numbers (31048); the headers say what they are. Written after every other table (its
    draws do not change them)."""
    header = ["氏名", "電話番号", "郵便番号", "生年月日"]
    rows = []
    for i in range(n):
        p = g.person(200000 + i)
        if i % 4 == 0:  # Hokkaido and northern Tohoku: codes that begin with 0 (or 00)
            p.postal = f"0{g.rng.randint(1, 99):02d}-{g.rng.randint(0, 9999):04d}"
        rows.append([Cell(p.name(" "), "person_name", "excel_number"),
                     Cell(p.phone.digits[1:], "phone", "excel_number"),
                     Cell(str(int(p.postal.replace("-", ""))), "postal_code", "excel_number"),
                     Cell(str((p.birth - dt.date(1899, 12, 30)).days), "birth_date",
                          "excel_number")])
    write_table(out / "tables/members_excel.csv", "tables/members_excel.csv", header, rows,
                truth)


# Medicines a pharmacy list holds: some in the health detector's vocabulary, most not (a column
# headed 服薬 is health information whatever it holds).
MEDICINES = ("インスリン", "ワルファリン", "ロキソニン", "アムロジピン", "ムコスタ", "点鼻薬",
             "湿布薬", "ビタミン剤")


def shop_export(g: Generator, out: Path, truth: Truth, n: int) -> None:
    """A shop system's member export: the name, its reading and the address split over columns
    (姓 / 名, セイ / メイ, 郵便番号1 / 郵便番号2, 都道府県 / 住所1 / 住所2 / 住所3), phones with
    what people type beside them (090-…(携帯), TEL:…), a medicines column with なし for the
    blanks, and transfer accounts with their type (普通 1234567). Written after every other
    table (its draws do not change them)."""
    header = ["会員番号", "姓", "名", "セイ", "メイ", "郵便番号1", "郵便番号2", "都道府県", "住所1",
              "住所2", "住所3", "電話番号", "服薬", "口座番号"]
    rows = []
    for i in range(n):
        p = g.person(300000 + i)
        upper, lower = p.postal.split("-")
        c, b, k = p.block
        phone = p.phone.fmt("hyphen")
        note = g.rng.choice(("plain", "plain", "mobile", "tel", "extension"))
        phone = {"plain": phone, "mobile": f"{phone}(携帯)", "tel": f"TEL:{phone}",
                 "extension": f"{phone} 内線{g.rng.randint(100, 999)}"}[note]
        medicine = g.rng.choice((*MEDICINES, "なし", "なし", "なし"))
        account = f"{g.rng.choice(('普通', '当座', '普通預金', '(普)'))} {g.digits(7, '123456789')}"
        rows.append([Cell(f"M{300000 + i}"),
                     Cell(p.last, "person_name", "split"), Cell(p.first, "person_name", "split"),
                     Cell(p.last_kana, "name_kana", "split"),
                     Cell(p.first_kana, "name_kana", "split"),
                     Cell(upper, "postal_code", "split"), Cell(lower, "postal_code", "split"),
                     Cell(p.pref, "address", "split"), Cell(p.city + p.town, "address", "split"),
                     Cell(f"{c}丁目{b}番{k}号", "address", "split"),
                     Cell(p.building, "address", "split"),
                     Cell(phone, "phone", f"in_cell_{note}" if note != "plain" else "plain"),
                     Cell(medicine, None if medicine == "なし" else "health",
                          "outside_vocabulary" if medicine not in ("インスリン", "ワルファリン")
                          else "plain"),
                     Cell(account, "bank_account", "with_type")])
    write_table(out / "tables/shop_export.csv", "tables/shop_export.csv", header, rows, truth)


# --- free text ----------------------------------------------------------------------------------

TOPICS = ("注文商品の配送状況", "返品の手続き", "ポイントの残高", "請求金額の内訳", "会員情報の変更",
          "商品の不具合", "定期便の解約")


def memo_lines(g: Generator, people: list[Person], staff: list[Person], n: int) -> list[Line]:
    """Call-centre notes: one event per line, PII in the frames people write it in."""
    r = g.rng
    lines = []
    for _ in range(n):
        p = r.choice(people)
        when = dt.date(2024, 4, 1) + dt.timedelta(days=r.randint(0, 300))
        date = f"{when.month}月{when.day}日"
        k = r.randrange(20)
        L = Line()
        if k == 0:
            L.add(f"{date} ").add(p.name(r.choice(("", " "))), "person_name", "honorific") \
                .add(f"様より入電。{r.choice(TOPICS)}について問い合わせ。")
        elif k == 1:
            style = r.choice(("hyphen", "plain", "fullwidth", "paren", "intl", "space"))
            L.add("折り返し先：").add(p.phone.fmt(style), "phone", style).add("（携帯）")
        elif k == 2:
            L.add("お届け先：〒").add(p.postal, "postal_code").add(" ") \
                .add(p.address(style=r.choice(("kanji", "hyphen"))), "address")
        elif k == 3:
            L.add("生年月日：").add(p.birth_text(r.choice(("kanji", "wareki", "slash"))),
                                "birth_date")
        elif k == 4:
            style = r.choice(("kanji", "wareki"))
            L.add(p.name(""), "person_name", "honorific").add("様は") \
                .add(p.birth_text(style), "birth_date", style).add("生まれとのこと。")
        elif k == 5:
            L.add("メールアドレスは").add(p.email, "email").add("とのこと。確認メール送信済み。")
        elif k == 6:
            card = p.card or g.card()
            style = r.choice(("hyphen", "space", "plain", "fullwidth"))
            L.add("クレジットカード番号 ").add(card.fmt(style), "credit_card", style) \
                .add(" の利用停止を依頼された。")
        elif k == 7:
            style = r.choice(("plain", "space", "hyphen"))
            number = p.my_number
            shown = {"plain": number, "space": f"{number[:4]} {number[4:8]} {number[8:]}",
                     "hyphen": f"{number[:4]}-{number[4:8]}-{number[8:]}"}[style]
            L.add("マイナンバー：").add(shown, "my_number", style).add("（通知カードで確認済み）")
        elif k == 8:  # decoys: order numbers, one passing Luhn by chance after 注文番号
            order = g.order_number() if r.random() < 0.7 else g.card().digits
            L.add(f"注文番号{order}の件、{date}に発送済み。")
        elif k == 9:
            code = g.bad_my_number() if r.random() < 0.6 else g.my_number()
            L.add(f"問い合わせ番号 {code} で受付。{r.choice(TOPICS)}の件。")
        elif k == 10:
            L.add(f"{date}に来店予定。{r.choice(TOPICS)}の相談。金額は{r.randint(1, 99) * 1000}円。")
        elif k == 11:
            L.add("担当：").add(r.choice(staff).last, "person_name", "label_surname") \
                .add(f"　{r.choice(TOPICS)}の件は対応済み。")
        elif k == 12:
            L.add("氏名：").add(p.name(" "), "person_name", "label") \
                .add("　フリガナ：").add(p.kana(" "), "name_kana", "label")
        elif k == 13:
            L.add(p.name(""), "person_name", "bare_name") \
                .add(f"から電話があり、{r.choice(TOPICS)}について明日また連絡するとのこと。")
        elif k == 14:
            L.add(p.name(""), "person_name", "honorific").add("様（") \
                .add(p.kana(" "), "name_kana", "paren_kana").add("）の登録情報を更新。")
        elif k == 15:
            L.add("住所変更：").add(p.address(pref=False, style="hyphen"), "address",
                                 "no_prefecture").add(" へ転居済み。")
        elif k == 16:
            L.add(p.last, "person_name", "surname_san").add("さんに").add(p.phone.fmt("hyphen"),
                                                                          "phone") \
                .add("から連絡あり。")
        elif k == 17:
            L.add(f"{date}　{r.choice(TOPICS)}について社内で確認中。回答は来週の予定。")
        elif k == 18:
            style = r.choice(("hyphen", "fullwidth"))
            L.add("TEL:").add(p.phone.fmt(style), "phone", style).add(" / Mail:") \
                .add(p.email, "email")
        else:
            L.add("")
        lines.append(L)
    return lines


def mail(g: Generator, customer: Person, staff: Person, index: int,
         attachment: bytes | None = None) -> tuple[bytes, list[Line]]:
    """An inquiry and its answer: ISO-2022-JP (or UTF-8) body, encoded-word headers."""
    r = g.rng
    charset = "iso-2022-jp" if index % 3 else "utf-8"
    sent = dt.datetime(2024, 4, 1, 9) + dt.timedelta(minutes=r.randint(0, 60 * 24 * 200))
    subject = f"【お問い合わせ】{r.choice(TOPICS)}について（{customer.name('')}様）"
    name_c, name_s = customer.name(" "), staff.name(" ")
    header_lines = [
        Line().add("From: ").add(name_c, "person_name", "mail_header").add(" <")
        .add(customer.email, "email").add(">"),
        Line().add("To: ").add(name_s, "person_name", "mail_header").add(" <")
        .add(staff.email, "email").add(">"),
        Line().add(f"Subject: 【お問い合わせ】{r.choice(TOPICS)}について（")
        .add(customer.name(""), "person_name", "honorific").add("様）"),
        Line().add(f"Date: {sent.strftime('%a, %d %b %Y %H:%M:%S')} +0900"),
        Line().add(f"Message-ID: <{sent.strftime('%Y%m%d%H%M%S')}.{r.randint(1000, 9999)}"
                   "@mx.example.jp>"),
        Line().add("MIME-Version: 1.0"),
    ]
    # The subject line was built from a different topic: keep the header and the line equal.
    subject = header_lines[2].text[len("Subject: "):]
    card = customer.card or g.card()
    phone_style = r.choice(("hyphen", "fullwidth", "plain", "paren"))
    body = [
        Line().add(customer.last, "person_name", "honorific_space").add(" 様"),
        Line(),
        Line().add("いつも当店をご利用いただき、誠にありがとうございます。"),
        Line().add("カスタマーサポートの").add(staff.last, "person_name", "bare_name")
        .add("でございます。"),
        Line(),
        Line().add("ご登録内容を以下のとおり確認いたしました。"),
        Line().add("お名前：").add(customer.name(" "), "person_name", "label"),
        Line().add("フリガナ：").add(customer.kana(" "), "name_kana", "label"),
        Line().add("ご住所：〒").add(customer.postal, "postal_code").add(" ")
        .add(customer.address(), "address"),
        Line().add("お電話番号：").add(customer.phone.fmt(phone_style), "phone", phone_style),
        Line().add("生年月日：").add(customer.birth_text(r.choice(("kanji", "wareki"))),
                                 "birth_date"),
        Line().add("お支払い：クレジットカード（末尾").add(card.digits[-4:]).add("）"),
        Line(),
        Line().add(f"注文番号 {g.order_number()} の商品は{sent.month}月{sent.day}日に発送済みです。"),
        Line().add("ご不明な点がございましたら、本メールにご返信ください。"),
        Line(),
        Line().add("――――――――――――――――"),
        Line().add("株式会社サンプル商店 カスタマーサポート"),
        Line().add(name_s, "person_name", "signature"),
        Line().add("Mail: ").add(staff.email, "email"),
    ]
    if r.random() < 0.3:  # the customer's own mail quoted below, with the full card number
        body += [Line(), Line().add("> カード番号は").add(card.fmt("hyphen"), "credit_card",
                                                         "quoted")
                 .add("です。よろしくお願いします。")]
    body_text = "\n".join(line.text for line in body) + "\n"
    if charset == "iso-2022-jp":
        try:
            body_bytes = body_text.encode("iso-2022-jp")
        except UnicodeEncodeError:
            charset = "utf-8"
    headers = [
        f"From: {Header(name_c, charset).encode()} <{customer.email}>",
        f"To: {Header(name_s, charset).encode()} <{staff.email}>",
        f"Subject: {Header(subject, charset).encode()}",
        header_lines[3].text, header_lines[4].text, header_lines[5].text,
    ]
    if attachment is None:
        if charset == "iso-2022-jp":
            headers += ['Content-Type: text/plain; charset="ISO-2022-JP"',
                        "Content-Transfer-Encoding: 7bit"]
            payload = body_bytes
        else:
            import base64
            headers += ['Content-Type: text/plain; charset="UTF-8"',
                        "Content-Transfer-Encoding: base64"]
            payload = base64.encodebytes(body_text.encode("utf-8"))
        header_lines += [Line().add(h) for h in headers[6:]]
        raw = ("\r\n".join(headers) + "\r\n\r\n").encode("ascii") + payload.replace(b"\n",
                                                                                    b"\r\n")
    else:
        import base64
        boundary = f"==rouei-bench-{index}=="
        headers += [f'Content-Type: multipart/mixed; boundary="{boundary}"']
        header_lines += [Line().add(h) for h in headers[6:]]
        name_param = "=?UTF-8?B?" + base64.b64encode("顧客一覧.csv".encode()).decode() + "?="
        raw = ("\r\n".join(headers) + "\r\n\r\n"
               f"--{boundary}\r\nContent-Type: text/plain; charset=\"UTF-8\"\r\n"
               "Content-Transfer-Encoding: base64\r\n\r\n").encode("ascii")
        raw += base64.encodebytes(body_text.encode("utf-8")).replace(b"\n", b"\r\n")
        raw += (f"\r\n--{boundary}\r\nContent-Type: text/csv; name=\"{name_param}\"\r\n"
                f"Content-Disposition: attachment; filename=\"{name_param}\"\r\n"
                "Content-Transfer-Encoding: base64\r\n\r\n").encode("ascii")
        raw += base64.encodebytes(attachment).replace(b"\n", b"\r\n")
        raw += f"\r\n--{boundary}--\r\n".encode("ascii")
    _check_mail(raw, [h.text for h in header_lines], body_text)
    return raw, header_lines + [Line()] + body


def _check_mail(raw: bytes, header_texts: list[str], body_text: str) -> None:
    """What a standard decoder shows must be what the truth was computed on."""
    message = BytesParser(policy=policy.default).parse(io.BytesIO(raw))
    shown = [f"{k}: {' '.join(str(v).split())}" for k, v in message.items()]
    if shown != header_texts:
        raise AssertionError(f"header mismatch: {shown} != {header_texts}")
    part = message.get_body(("plain",))
    if part.get_content().replace("\r\n", "\n") != body_text:
        raise AssertionError("body mismatch")


# --- support threads: who is a data subject ------------------------------------------------------

SHOP_DOMAIN = "sample-shop.co.jp"
SHOP_PHONE = "03-5555-0100"  # the company's: in every signature, no one's personal data


def _eml(headers: list[tuple[str, str]], body: list[Line], named: dict[str, Line]
         ) -> tuple[bytes, list[Line]]:
    """A UTF-8 mail and its lines as the scanner shows them: a header line each (the labelled
    ones from ``named``, by field), a blank line, the body."""
    message = EmailMessage()
    for key, value in headers:
        message[key] = value
    body_text = "\n".join(line.text for line in body) + "\n"
    message.set_content(body_text, charset="utf-8")
    raw = message.as_bytes()
    parsed = BytesParser(policy=policy.default).parse(io.BytesIO(raw))
    lines = []
    for key, value in parsed.items():
        shown = f"{key}: {' '.join(str(value).split())}"
        if key.lower() in ("message-id", "in-reply-to", "references"):
            shown = f"{key}: "  # the reader keeps the line, not the id
        line = named.get(key)
        if line is not None and line.text != shown:
            raise AssertionError(f"header mismatch: {line.text!r} != {shown!r}")
        lines.append(line if line is not None else Line().add(shown))
    if parsed.get_body(("plain",)).get_content().replace("\r\n", "\n") != body_text:
        raise AssertionError("body mismatch")
    return raw, [*lines, Line(), *body]


def _signature(staff: Person) -> list[Line]:
    return [Line().add("--"), Line().add("株式会社サンプル商店 カスタマーサポート"),
            Line().add(staff.name(" "), "person_name", "staff_signature"),
            Line().add(f"TEL: {SHOP_PHONE}"),
            Line().add("Mail: ").add(_staff_email(staff), "email", "staff_signature")]


def _staff_email(staff: Person) -> str:
    return f"{staff.last_roman.lower()}@{SHOP_DOMAIN}"


def support_thread(g: Generator, customer: Person, staff: Person, index: int,
                   other: Person | None, family: Person | None) -> list[tuple[bytes, list[Line]]]:
    """A customer's mail and the staff's answer quoting it. The data subjects: the customer,
    a family member the customer names (``family``), and for a mis-sent mail the customer whose
    mail it was (``other``); not the staff who answer, nor the company's phone."""
    r = g.rng
    topic = r.choice(TOPICS)
    subject = f"{topic}について（注文番号 {g.order_number(10)}）"
    root = f"<thread{index}.q@mail.example.jp>"
    phone = customer.phone.fmt(r.choice(("hyphen", "plain", "fullwidth")))
    intro = Line().add("お世話になります。")
    if r.random() < 0.5:
        intro.add(customer.last, "person_name", "self_intro").add("と申します。")
    else:
        intro.add(customer.name(""), "person_name", "self_intro").add("です。")
    body = [Line().add("サンプル商店 ご担当者様"), Line(), intro,
            Line().add(f"{topic}についてお伺いしたく、ご連絡いたしました。"),
            Line().add("届け先：〒").add(customer.postal, "postal_code").add(" ")
            .add(customer.address(), "address"),
            Line().add("電話番号：").add(phone, "phone")]
    if family is not None:
        kin = r.choice(("妻", "夫", "母", "父", "娘", "息子"))
        shown = family.name(" ") if r.random() < 0.5 else family.first
        body.append(Line().add(f"不在の場合は{kin}の").add(shown, "person_name", "family_member")
                    .add("が受け取ります。"))
    body += [Line(), Line().add("よろしくお願いいたします。"),
             Line().add(customer.name(" "), "person_name", "customer_signature")]
    from_line = (Line().add("From: ").add(customer.name(" "), "person_name", "mail_header")
                 .add(" <").add(customer.email, "email").add(">"))
    question = _eml([("From", f"{customer.name(' ')} <{customer.email}>"),
                     ("To", f"support@{SHOP_DOMAIN}"), ("Subject", subject),
                     ("Message-ID", root)], body, {"From": from_line})
    answer_body = [Line().add(customer.name(" "), "person_name", "honorific").add(" 様"), Line(),
                   Line().add("いつもサンプル商店をご利用いただき、誠にありがとうございます。"),
                   Line().add("カスタマーサポートの").add(staff.last, "person_name", "staff_self")
                   .add("でございます。"), Line()]
    if other is not None:  # the answer went to the wrong customer first: an apology too
        answer_body += [Line().add("先ほど、").add(other.name(" "), "person_name", "honorific")
                        .add("様宛のメールを誤って").add(customer.last, "person_name", "honorific")
                        .add("様にお送りしてしまいました。誠に申し訳ございません。")]
    answer_body += [Line().add(customer.last, "person_name", "honorific")
                    .add("様のご注文は、本日発送いたしました。"), Line(), *_signature(staff), Line()]
    answer_body += [Line().add("> ").add(part.text) if not part.labels else
                    quoted_line(part) for part in body if part.text]
    to_line = (Line().add("To: ").add(customer.name(" "), "person_name", "mail_header")
               .add(" <").add(customer.email, "email").add(">"))
    staff_line = (Line().add("From: ").add(staff.name(" "), "person_name", "mail_header")
                  .add(" <").add(_staff_email(staff), "email").add(">"))
    answer = _eml([("From", f"{staff.name(' ')} <{_staff_email(staff)}>"),
                   ("To", f"{customer.name(' ')} <{customer.email}>"),
                   ("Subject", f"Re: {subject}"), ("Message-ID", f"<thread{index}.a@{SHOP_DOMAIN}>"),
                   ("In-Reply-To", root), ("References", root)],
                  answer_body, {"From": staff_line, "To": to_line})
    return [question, answer]


def quoted_line(line: Line) -> Line:
    """``line`` as a reply quotes it: 「> 」 before it, its labels kept."""
    out = Line().add("> ")
    at = 0
    for start, end, category, case in line.labels:
        out.add(line.text[at:start]).add(line.text[start:end], category, case)
        at = end
    return out.add(line.text[at:])


# --- main ---------------------------------------------------------------------------------------


def generate(out: Path, seed: int = 20240401, scale: float = 1.0) -> dict:
    if out.exists():
        shutil.rmtree(out)
    data, truth_dir = out / "data", out / "truth"
    data.mkdir(parents=True)
    truth_dir.mkdir()
    g = Generator(seed)
    truth = Truth()
    n = lambda k: max(10, int(k * scale))
    total = n(1700)
    people = [g.person(i) for i in range(total)]
    # Households: a family member at the same address and phone (a different person).
    for p in g.rng.sample(people[:n(800)], n(30)):
        q = g.person(len(people))
        q.last, q.last_kana, q.last_roman = p.last, p.last_kana, p.last_roman
        q.pref, q.city, q.town, q.block, q.building, q.postal = (p.pref, p.city, p.town,
                                                                  p.block, p.building, p.postal)
        q.phone = p.phone
        people.append(q)
    # Namesakes: someone else with the same name (different birth date, phone, address, mail).
    for p in g.rng.sample(people[:n(800)], n(10)):
        q = g.person(len(people))
        q.last, q.first, q.last_kana, q.first_kana = p.last, p.first, p.last_kana, p.first_kana
        people.append(q)
    extra = people[total:]
    a = people[:n(800)] + extra                    # file a: 0..799 + households + namesakes
    b = people[n(400):n(1200)]                     # file b: 400..1199 (400 shared with a)
    e = people[n(1200):n(1500)] + people[:n(50)]   # employees: 1200..1499 + 50 from a
    h = people[n(1500):n(1700)] + people[n(100):n(200)]  # headerless: 1500..1699 + 100 from a
    customers_a(g, a, data, truth)
    customers_b(g, b, data, truth)
    employees_cp932(g, e, data, truth)
    customers_headerless(g, h, data, truth)
    in_people = {p.pid for group in (a, b, e, h) for p in group}
    records = len(a) + 20 + len(b) + len(e) + len(h)
    orders(g, data, truth, n(600))
    export_col7(g, data, truth, n(600))
    # Free text: memos (UTF-8, one CP932) and mails (one with a customer list attached).
    staff = [g.person(100000 + i) for i in range(8)]
    for i in range(n(30)):
        rel = f"text/memo_{i + 1:02d}.txt"
        lines = memo_lines(g, people, staff, 40)
        texts = write_lines(lines, rel, truth)
        encoding = "cp932" if i == 0 else "utf-8"
        newline = "\r\n" if i == 0 else "\n"
        try:
            raw = (newline.join(texts) + newline).encode(encoding)
        except UnicodeEncodeError:
            raw = (newline.join(texts) + newline).encode("utf-8")
        (data / rel).parent.mkdir(parents=True, exist_ok=True)
        (data / rel).write_bytes(raw)
    for i in range(n(30)):
        rel = f"text/mail_{i + 1:02d}.eml"
        attachment = None
        if i == 4:
            rows = [[Cell(p.name(" "), "person_name"), Cell(p.phone.fmt("hyphen"), "phone"),
                     Cell(p.email, "email")] for p in g.rng.sample(people, 25)]
            sub = Truth()
            buf = out / "tmp_attachment.csv"
            write_table(buf, f"{rel}!/顧客一覧.csv", ["氏名", "電話番号", "メールアドレス"], rows,
                        sub)
            attachment = buf.read_bytes()
            buf.unlink()
            truth.cells.extend(sub.cells)
        raw, lines = mail(g, g.rng.choice(people), g.rng.choice(staff), i, attachment)
        write_lines(lines, rel, truth)
        (data / rel).write_bytes(raw)
    # Support threads (data/threads/): their own generator, so the files above stay the same.
    t = Generator(seed + 1)
    staff_t = [t.person(200000 + i) for i in range(4)]
    customers_t = [t.person(300000 + i) for i in range(n(20))]
    subjects = 0
    for i, customer in enumerate(customers_t):
        family = t.person(400000 + i) if i % 3 == 0 else None
        other = t.person(500000 + i) if i % 5 == 1 else None
        subjects += 1 + (family is not None) + (other is not None)
        for j, (raw, lines) in enumerate(support_thread(t, customer, t.rng.choice(staff_t), i,
                                                        other, family)):
            rel = f"threads/thread_{i + 1:02d}_{'qa'[j]}.eml"
            write_lines(lines, rel, truth)
            (data / rel).parent.mkdir(parents=True, exist_ok=True)
            (data / rel).write_bytes(raw)
    members_excel(g, data, truth, n(200))
    shop_export(g, data, truth, n(200))
    with (truth_dir / "cells.jsonl").open("w", encoding="utf-8") as fh:
        for row in truth.cells:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    with (truth_dir / "spans.jsonl").open("w", encoding="utf-8") as fh:
        for row in truth.spans:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    people_truth = {
        "people": len(in_people), "records": records, "folder": "data/people",
        "note": "distinct people in data/people/: files overlap (a∩b 400, a∩employees 50, "
                "a∩headerless 100 at scale 1), 20 re-registrations in a, households sharing "
                "address and phone, namesakes with different data",
    }
    (truth_dir / "people.json").write_text(json.dumps(people_truth, ensure_ascii=False,
                                                      indent=2) + "\n", encoding="utf-8")
    prose_truth = {
        "people": subjects, "folder": "data/threads",
        "note": "data subjects in the support threads: each customer (named in the header, "
                "greeted, self-introduced, signing, quoted in the answer), the family member "
                "a third of them name, the customer a fifth of the answers were mis-sent about; "
                "not the staff who answer (4 people) nor the company's phone",
    }
    (truth_dir / "prose_people.json").write_text(json.dumps(prose_truth, ensure_ascii=False,
                                                            indent=2) + "\n", encoding="utf-8")
    manifest = {"seed": seed, "scale": scale, "cells": len(truth.cells),
                "spans": len(truth.spans), "people": people_truth,
                "files": sorted(p.relative_to(data).as_posix() for p in data.rglob("*")
                                if p.is_file())}
    (truth_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2)
                                             + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=20240401)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    repo = Path(__file__).resolve().parent.parent
    if args.out.resolve().is_relative_to(repo):
        parser.error(f"{args.out} is inside the repository; write the corpus elsewhere")
    manifest = generate(args.out, args.seed, args.scale)
    print(f"corpus in {args.out}: {len(manifest['files'])} files, {manifest['cells']} labelled "
          f"cells, {manifest['spans']} labelled spans, {manifest['people']['people']} people")
    return 0


if __name__ == "__main__":
    sys.exit(main())
