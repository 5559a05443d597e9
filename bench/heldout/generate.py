"""The held-out corpus: a second, independent labelled corpus for `rouei scan` (issue 14).

Written by someone who did not write the scanner's detectors, from its own tables
(`tables.py`) and its own layouts; seeded and deterministic. It is read for scores only, never
for tuning examples (see docs/benchmarks.md, "Held-out corpus (independent)").

    uv run --group bench python bench/heldout/generate.py [--seed N]

writes under ``$ROUEI_BENCH_DIR/heldout`` (default /tmp/rouei-bench/heldout):

- ``data/tables/`` — exports: CSV (UTF-8 with BOM, CRLF), TSV, XLSX with two sheets, nested
  JSON, a headerless CP932 file, a UTF-32 CSV, a UTF-8 BOM followed by a CP932 body;
- ``data/prose/`` — mail threads (.eml, UTF-8 and ISO-2022-JP; .txt), call memos, a .docx
  with XML entities;
- ``truth/cells.jsonl``, ``truth/spans.jsonl`` (the development corpus's format),
  ``truth/decoys.jsonl`` (values that look personal but are not: product codes, order numbers,
  the company's own phones — used only to explain false positives), ``truth/people.json``
  (distinct data subjects in the tables and in the prose, counted separately),
  ``truth/manifest.json``.

Coordinates follow the findings contract: a table cell is (file, row, column) with ``row`` the
line of a CSV (header = 1; the first record of a headerless file = 1) or the record number of a
JSON array, ``column`` the header (the index as a string without one, the dotted key path in
JSON); an XLSX sheet is ``book.xlsx#Sheet``; a text span is (file, line, start, end) in
characters of the decoded line (1-based lines; a mail's decoded headers come first, then a
blank line, then the body).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import random
import sys
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from email.header import Header
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tables as T

WORK = Path(os.environ.get("ROUEI_BENCH_DIR", "/tmp/rouei-bench")) / "heldout"
SEED = 20260414

# --- characters -----------------------------------------------------------------------------------

_HALF = {}
for _cp in range(0xFF61, 0xFFA0):
    _full = unicodedata.normalize("NFKC", chr(_cp))
    if len(_full) == 1:
        _HALF.setdefault(_full, chr(_cp))
_HALF["・"] = "･"


def half_kana(text: str) -> str:
    """Katakana → half-width katakana (ﾔﾏﾀﾞ ﾀﾛｳ); a space stays one space."""
    out = []
    for ch in text:
        if ch in _HALF:
            out.append(_HALF[ch])
            continue
        d = unicodedata.normalize("NFD", ch)
        if len(d) == 2 and d[0] in _HALF and d[1] in ("\u3099", "\u309a"):
            out.append(_HALF[d[0]] + ("ﾞ" if d[1] == "\u3099" else "ﾟ"))
        elif ch == "\u3000":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def full_width(text: str) -> str:
    """ASCII digits, letters and - → full-width (as typed with the IME on)."""
    out = []
    for ch in text:
        if "!" <= ch <= "~":
            out.append(chr(ord(ch) + 0xFEE0))
        elif ch == " ":
            out.append("\u3000")
        else:
            out.append(ch)
    return "".join(out)


KANJI_DIGITS = "〇一二三四五六七八九"


def kanji_number(n: int) -> str:
    if n < 10:
        return KANJI_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else KANJI_DIGITS[tens]) + "十" + ("" if ones == 0 else KANJI_DIGITS[ones])


_ROMA = {
    "ア": "a", "イ": "i", "ウ": "u", "エ": "e", "オ": "o", "カ": "ka", "キ": "ki", "ク": "ku", "ケ": "ke",
    "コ": "ko", "サ": "sa", "シ": "shi", "ス": "su", "セ": "se", "ソ": "so", "タ": "ta", "チ": "chi",
    "ツ": "tsu", "テ": "te", "ト": "to", "ナ": "na", "ニ": "ni", "ヌ": "nu", "ネ": "ne", "ノ": "no",
    "ハ": "ha", "ヒ": "hi", "フ": "fu", "ヘ": "he", "ホ": "ho", "マ": "ma", "ミ": "mi", "ム": "mu",
    "メ": "me", "モ": "mo", "ヤ": "ya", "ユ": "yu", "ヨ": "yo", "ラ": "ra", "リ": "ri", "ル": "ru",
    "レ": "re", "ロ": "ro", "ワ": "wa", "ヲ": "o", "ン": "n", "ガ": "ga", "ギ": "gi", "グ": "gu",
    "ゲ": "ge", "ゴ": "go", "ザ": "za", "ジ": "ji", "ズ": "zu", "ゼ": "ze", "ゾ": "zo", "ダ": "da",
    "ヂ": "ji", "ヅ": "zu", "デ": "de", "ド": "do", "バ": "ba", "ビ": "bi", "ブ": "bu", "ベ": "be",
    "ボ": "bo", "パ": "pa", "ピ": "pi", "プ": "pu", "ペ": "pe", "ポ": "po", "ヴ": "vu",
}
_SMALL = {"ャ": "ya", "ュ": "yu", "ョ": "yo"}


def romaji(kana: str) -> str:
    out: list[str] = []
    double = False
    for ch in kana:
        if ch == "ッ":
            double = True
            continue
        if ch == "ー":
            continue
        if ch in _SMALL and out:
            prev = out.pop()
            stem = prev[:-1]
            if stem in ("sh", "ch", "j"):
                out.append(stem + _SMALL[ch][1:])
            else:
                out.append(stem + _SMALL[ch])
            continue
        r = _ROMA.get(ch, "")
        if double and r:
            r = r[0] + r
        double = False
        out.append(r)
    return "".join(out).replace("ou", "o").replace("uu", "u") or "x"


# --- checksums ------------------------------------------------------------------------------------


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, d in enumerate(reversed(body)):
        n = int(d)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return body + str((10 - total % 10) % 10)


def my_number(rng: random.Random) -> str:
    """12 digits; the check digit of the Cabinet Office ordinance (個人番号の検査用数字)."""
    body = [rng.randrange(10) for _ in range(11)]
    body[0] = rng.randrange(1, 10)
    total = 0
    for n in range(1, 12):  # P_n: the n-th digit from the right of the 11 digits
        p = body[11 - n]
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    r = total % 11
    check = 0 if r <= 1 else 11 - r
    return "".join(map(str, body)) + str(check)


# --- people ---------------------------------------------------------------------------------------


@dataclass
class Person:
    pid: int
    sur: str
    sur_kana: str
    given: str
    given_kana: str
    male: bool
    birth: dt.date
    place: tuple
    town: str
    chome: int | None
    ban: int
    go: int
    building: str | None
    postal: str
    mobile: tuple[str, str, str]
    landline: tuple[str, str, str] | None
    email: str
    card: str
    bank: tuple
    password: str
    health: list[str] = field(default_factory=list)


class World:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.people: list[Person] = []
        self.used_mobiles: set[tuple] = set()
        self.used_emails: set[str] = set()

    def phone_mobile(self) -> tuple[str, str, str]:
        while True:
            t = (self.rng.choice(("090", "080", "070")), f"{self.rng.randrange(2000, 10000)}",
                 f"{self.rng.randrange(10000):04d}")
            if t not in self.used_mobiles:
                self.used_mobiles.add(t)
                return t

    def phone_land(self, pref: str) -> tuple[str, str, str]:
        area = self.rng.choice(T.AREA_CODES[pref])
        mid_len = 6 - len(area)
        mid = str(self.rng.randrange(2, 10)) + "".join(str(self.rng.randrange(10)) for _ in range(mid_len - 1))
        return (area, mid, f"{self.rng.randrange(10000):04d}")

    def new(self, *, sur=None, given=None, male=None, place=None, household: Person | None = None,
            birth_range=(1940, 2004)) -> Person:
        rng = self.rng
        male = rng.random() < 0.5 if male is None else male
        s = sur or rng.choice(T.SURNAMES)
        g = given or rng.choice(T.GIVEN_MALE if male else T.GIVEN_FEMALE)
        birth = dt.date(rng.randrange(*birth_range), 1, 1) + dt.timedelta(days=rng.randrange(365))
        if household is not None:
            place, town, chome, ban, go, building, postal = (household.place, household.town,
                household.chome, household.ban, household.go, household.building, household.postal)
            landline = household.landline
        else:
            place = place or rng.choice(T.PLACES)
            town = rng.choice(place[3])
            chome = rng.randrange(1, 8) if rng.random() < 0.7 else None
            ban = rng.randrange(1, 40)
            go = rng.randrange(1, 25)
            building = None
            if rng.random() < 0.45:
                building = (rng.choice(T.BUILDING_WORDS) + town[:2] + rng.choice(T.BUILDING_TAILS)
                            + " " + f"{rng.randrange(1, 12)}{rng.randrange(1, 10):02d}")
            postal = f"{place[2]}-{rng.randrange(10000):04d}"
            landline = self.phone_land(place[0]) if rng.random() < 0.35 else None
        local = romaji(g[1]) + rng.choice((".", "_", "", "-")) + romaji(s[1])
        if rng.random() < 0.4:
            local += str(birth.year % 100 if rng.random() < 0.5 else rng.randrange(1, 999))
        email = local + "@" + rng.choice(T.MAIL_DOMAINS)
        while email in self.used_emails:
            email = local + str(rng.randrange(10, 99)) + "@" + rng.choice(T.MAIL_DOMAINS)
        self.used_emails.add(email)
        brand = rng.random()
        if brand < 0.45:
            card = luhn_complete("4" + str(rng.randrange(10)), 16, rng)
        elif brand < 0.75:
            card = luhn_complete(str(rng.randrange(51, 56)), 16, rng)
        elif brand < 0.93:
            card = luhn_complete("35" + str(rng.randrange(28, 90)), 16, rng)
        else:
            card = luhn_complete("37", 15, rng)
        if rng.random() < 0.2:
            bank = ("ゆうちょ", f"1{rng.randrange(1000, 10000):04d}0"[:5], f"{rng.randrange(1000000, 9999999)}1")
        else:
            b = rng.choice(T.BANKS)
            bank = (b[0], rng.choice(b[1]), rng.choice(("普通", "普通", "普通", "当座")),
                    f"{rng.randrange(10**7):07d}")
        p = Person(len(self.people), s[0], s[1], g[0], g[1], male, birth, place, town, chome, ban, go,
                   building, postal, self.phone_mobile(), landline, email, card, bank,
                   rng.choice(T.PASSWORDS))
        self.people.append(p)
        return p


# --- rendering --------------------------------------------------------------------------------------


def name(p: Person, style: str = "space") -> str:
    if style == "space":
        return f"{p.sur} {p.given}"
    if style == "ideo":
        return f"{p.sur}\u3000{p.given}"
    if style == "none":
        return p.sur + p.given
    if style == "typo":  # a variant kanji of the surname, as another clerk typed it
        swaps = {"斎藤": "斉藤", "斉藤": "斎藤", "髙橋": "高橋", "高橋": "髙橋", "渡辺": "渡邊", "渡邊": "渡辺",
                 "嶋田": "島田", "島田": "嶋田", "菊地": "菊池", "菊池": "菊地", "渡部": "渡辺"}
        return f"{swaps.get(p.sur, p.sur)} {p.given}"
    raise ValueError(style)


def kana(p: Person, style: str = "full") -> str:
    k = f"{p.sur_kana} {p.given_kana}"
    if style == "full":
        return k
    if style == "half":
        return half_kana(k)
    if style == "hira":
        return hiragana(k)
    if style == "nospace":
        return p.sur_kana + p.given_kana
    if style == "ideo":
        return f"{p.sur_kana}\u3000{p.given_kana}"
    raise ValueError(style)


def phone(t: tuple[str, str, str], style: str) -> str:
    a, m, s = t
    if style == "hyphen":
        return f"{a}-{m}-{s}"
    if style == "plain":
        return a + m + s
    if style == "paren":
        return f"{a}({m}){s}"
    if style == "paren_area":
        return f"({a}){m}-{s}"
    if style == "intl":
        return f"+81-{a[1:]}-{m}-{s}"
    if style == "intl_space":
        return f"+81 {a[1:]} {m} {s}"
    if style == "full":
        return full_width(f"{a}-{m}-{s}")
    if style == "space":
        return f"{a} {m} {s}"
    if style == "choon":  # the long-vowel mark typed for a hyphen
        return f"{a}ー{m}ー{s}"
    raise ValueError(style)


PHONE_STYLES = ("hyphen", "hyphen", "hyphen", "plain", "paren", "paren_area", "intl", "intl_space",
                "full", "space", "choon")


ERAS = (("令和", "R", dt.date(2019, 5, 1)), ("平成", "H", dt.date(1989, 1, 8)), ("昭和", "S", dt.date(1926, 12, 25)))


def birth(d: dt.date, style: str) -> str:
    if style == "slash":
        return f"{d.year}/{d.month:02d}/{d.day:02d}"
    if style == "slash_short":
        return f"{d.year}/{d.month}/{d.day}"
    if style == "iso":
        return d.isoformat()
    if style == "kanji":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "compact":
        return d.strftime("%Y%m%d")
    if style == "dot":
        return f"{d.year}.{d.month}.{d.day}"
    if style in ("wareki", "wareki_abbr", "wareki_full", "wareki_slash"):
        for era, abbr, start in ERAS:
            if d >= start:
                y = d.year - start.year + 1
                if style == "wareki":
                    return f"{era}{'元' if y == 1 else y}年{d.month}月{d.day}日"
                if style == "wareki_full":
                    return full_width(f"{era}{y}年{d.month}月{d.day}日")
                if style == "wareki_slash":
                    return f"{abbr}{y}/{d.month}/{d.day}"
                return f"{abbr}{y}.{d.month}.{d.day}"
    raise ValueError(style)


BIRTH_WESTERN = ("slash", "slash_short", "iso", "kanji", "compact", "dot")
BIRTH_WAREKI = ("wareki", "wareki", "wareki_abbr", "wareki_full", "wareki_slash")


def address(p: Person, style: str, with_pref: bool = True, with_building: bool = True) -> str:
    pref, city = p.place[0], p.place[1]
    head = (pref if with_pref else "") + city + p.town
    if p.chome is None:
        if style == "hyphen":
            body = f"{p.ban}-{p.go}"
        elif style == "full":
            body = full_width(f"{p.ban}-{p.go}")
        else:
            body = f"{p.ban}番地{p.go}" if style != "kanji" else f"{kanji_number(p.ban)}番地{kanji_number(p.go)}"
    elif style == "chome":
        body = f"{p.chome}丁目{p.ban}番{p.go}号"
    elif style == "kanji":
        body = f"{kanji_number(p.chome)}丁目{p.ban}番{p.go}号"
    elif style == "mixed":
        body = f"{p.chome}丁目{p.ban}-{p.go}"
    elif style == "full":
        body = full_width(f"{p.chome}-{p.ban}-{p.go}")
    else:
        body = f"{p.chome}-{p.ban}-{p.go}"
    out = head + body
    if with_building and p.building:
        out += (" " if style != "full" else "\u3000") + p.building
    return out


ADDRESS_STYLES = ("chome", "hyphen", "hyphen", "kanji", "mixed", "full")


def postal(p: Person, style: str) -> str:
    if style == "hyphen":
        return p.postal
    if style == "plain":
        return p.postal.replace("-", "")
    if style == "mark":
        return "〒" + p.postal
    if style == "full":
        return full_width(p.postal)
    raise ValueError(style)


def card(p: Person, style: str) -> str:
    c = p.card
    if len(c) == 15:
        groups = [c[:4], c[4:10], c[10:]]
    else:
        groups = [c[i:i + 4] for i in range(0, 16, 4)]
    if style == "space":
        return " ".join(groups)
    if style == "hyphen":
        return "-".join(groups)
    if style == "full":
        return full_width("-".join(groups))
    return c


def bank(p: Person, style: str) -> str:
    b = p.bank
    if b[0] == "ゆうちょ":
        return {"space": f"ゆうちょ銀行 記号{b[1]} 番号{b[2]}",
                "ideo": f"ゆうちょ銀行\u3000記号：{b[1]}\u3000番号：{b[2]}",
                "slash": f"ゆうちょ/記号{b[1]}/番号{b[2]}",
                "words": f"ゆうちょ 記号 {b[1]} 番号 {b[2]}"}[style]
    bank_name, branch, kind, number = b
    return {"space": f"{bank_name} {branch} {kind} {number}",
            "ideo": f"{bank_name}\u3000{branch}\u3000{kind}\u3000{number}",
            "slash": f"{bank_name}/{branch}/{kind}/{number}",
            "words": f"{bank_name} {branch} {kind}預金 口座番号{number}"}[style]


BANK_STYLES = ("space", "ideo", "slash", "words")


# --- output helpers ------------------------------------------------------------------------------------


class Truth:
    def __init__(self):
        self.cells: list[dict] = []
        self.spans: list[dict] = []
        self.decoys: list[dict] = []
        self.records: dict[str, list[int]] = defaultdict(list)  # domain -> person ids

    def cell(self, file, row, column, category, case="plain", also=None):
        self.cells.append({"file": file, "row": row, "column": str(column), "category": category,
                           "case": case, **({"also": list(also)} if also else {})})

    def decoy(self, file, case, **where):
        self.decoys.append({"file": file, **where, "case": case})


def write_table(truth: Truth, root: Path, rel: str, header: list[str] | None,
                rows: list[list[tuple]], *, sep=",", encoding="utf-8", bom=False, newline="\n",
                body_encoding=None, domain="tables", sheet=None):
    """``rows``: per record a list of (value, category | None, case, decoy case | None) and the
    record's person id in ``value`` of a leading ("#pid", pid) entry. Labels cells as it goes."""
    lines = []
    if header is not None:
        lines.append(sep.join(header))
    first = 2 if header is not None else 1
    for i, row in enumerate(rows):
        pid = row[0][1]
        cells = row[1:]
        r = first + i
        for j, (value, category, case, decoy) in enumerate(cells):
            col = header[j] if header is not None else str(j)
            fname = rel if sheet is None else f"{rel}#{sheet}"
            if category and value != "":
                truth.cell(fname, r, col, category, case, also=ALSO.get(case))
            elif decoy and value != "":
                truth.decoy(fname, decoy, row=r, column=col)
        if pid is not None:
            truth.records[domain].append(pid)
        lines.append(sep.join(_csv_value(v[0], sep) for v in cells))
    if sheet is not None:
        return [(header or []), *[[c[0] for c in row[1:]] for row in rows]]
    text = newline.join(lines) + newline
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if body_encoding:
        data = b"\xef\xbb\xbf" + text.encode(body_encoding)
    else:
        data = text.encode(encoding)
        if bom:
            data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return None


def _csv_value(value: str, sep: str) -> str:
    if sep in value or '"' in value or "\n" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def write_xlsx(path: Path, sheets: list[tuple[str, list[list[str]]]]) -> None:
    """A minimal XLSX (inline strings), written by hand so the corpus needs no extra package."""
    path.parent.mkdir(parents=True, exist_ok=True)

    def col(i: int) -> str:
        s = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            s = chr(65 + r) + s
        return s

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        over = "".join(f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/'
                       'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                       for i in range(len(sheets)))
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                   f'officedocument.spreadsheetml.sheet.main+xml"/>{over}</Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
                   'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
                   'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://'
                   'schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   + "".join(f'<sheet name="{escape(n)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                             for i, (n, _) in enumerate(sheets)) + "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships '
                   'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   + "".join(f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/'
                             f'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
                             for i in range(len(sheets))) + "</Relationships>")
        for i, (_, rows) in enumerate(sheets):
            xml_rows = "".join(
                f'<row r="{r + 1}">' + "".join(
                    f'<c r="{col(c)}{r + 1}" t="inlineStr"><is><t xml:space="preserve">{escape(v)}</t></is></c>'
                    for c, v in enumerate(row) if v != "") + "</row>" for r, row in enumerate(rows))
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", '<?xml version="1.0" encoding="UTF-8"?>'
                       '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                       f"<sheetData>{xml_rows}</sheetData></worksheet>")


# A line of prose: a list of parts, each a plain string or (text, category, case) or
# (text, None, decoy case).
Line = list


def label_lines(truth: Truth, rel: str, lines: list[Line], first_line: int = 1) -> list[str]:
    out = []
    for n, parts in enumerate(lines):
        pos = 0
        text = []
        for part in parts:
            if isinstance(part, str):
                s = part
            else:
                s, category, case = part
                if category:
                    truth.spans.append({"file": rel, "line": first_line + n, "start": pos,
                                        "end": pos + len(s), "category": category, "case": case})
                else:
                    truth.decoy(rel, case, line=first_line + n, start=pos, end=pos + len(s))
            text.append(s)
            pos += len(s)
        out.append("".join(text))
    return out


# --- the tables ------------------------------------------------------------------------------------


# A cell that is rightly reported as either item: an e-mail address used as the login ID.
ALSO = {"login": ("login_id",)}


def C(value, category=None, case="plain", decoy=None):
    return (value, category, case, decoy)


def code7(rng):
    return f"{rng.randrange(1000000, 10000000)}"


def code11_fixed(rng):
    """An 11-digit order or slip number; half of them start like a mobile number (070/080/090)."""
    if rng.random() < 0.5:
        return "0" + rng.choice("789") + "0" + "".join(str(rng.randrange(10)) for _ in range(8))
    return "2" + "".join(str(rng.randrange(10)) for _ in range(10))


def variant(rng, p: Person, heavy: bool) -> dict:
    """How a second system (or a second clerk) typed the same person."""
    if not heavy:
        return {"name": "space", "kana": "full", "phone": "hyphen", "birth": "slash", "addr": "chome",
                "postal": "hyphen", "email": p.email}
    email = p.email.upper() if rng.random() < 0.3 else p.email
    if rng.random() < 0.1:
        email = full_width(email)
    return {"name": rng.choice(("ideo", "none", "space", "typo" if rng.random() < 0.15 else "none")),
            "kana": rng.choice(("half", "hira", "nospace", "ideo")),
            "phone": rng.choice(PHONE_STYLES), "birth": rng.choice(BIRTH_WAREKI + BIRTH_WESTERN),
            "addr": rng.choice(ADDRESS_STYLES), "postal": rng.choice(("plain", "mark", "full", "hyphen")),
            "email": email}


def build_tables(rng: random.Random, world: World, truth: Truth, root: Path) -> dict:
    files: dict[str, int] = {}
    base = [world.new() for _ in range(900)]
    # households: a second person at the same address with the same landline
    households = []
    for p in rng.sample(base, 30):
        if p.landline is None:
            p.landline = world.phone_land(p.place[0])
        households.append(world.new(sur=(p.sur, p.sur_kana), household=p))
    # namesakes: same name, nothing else shared
    namesakes = [world.new(sur=(p.sur, p.sur_kana), given=(p.given, p.given_kana), male=p.male)
                 for p in rng.sample(base, 15)]
    members = base + households + namesakes
    rng.shuffle(members)
    # 20 re-registrations: the same person twice in the member list, typed differently
    rereg = rng.sample(members, 20)
    member_rows_people = members + rereg

    # T1: the member list, UTF-8 with BOM and CRLF; mixed contact columns; decoy codes.
    header = ["会員番号", "お名前", "よみがな", "連絡先1", "連絡先2", "〒", "ご住所", "生年月日", "口座名義",
              "振込先口座", "登録日", "会員ランク"]
    rows = []
    seen: set[int] = set()
    for p in member_rows_people:
        again = p.pid in seen
        seen.add(p.pid)
        v = variant(rng, p, heavy=again)
        ph_style = v["phone"] if again else rng.choice(PHONE_STYLES[:6])
        mobile = phone(p.mobile, ph_style)
        if rng.random() < 0.65:
            c1 = C(mobile, "phone", "mixed_column_phone")
            second = rng.random()
            if second < 0.55:
                c2 = C(v["email"], "email", "mixed_column_email")
            elif second < 0.8 and p.landline:
                c2 = C(phone(p.landline, "hyphen"), "phone", "mixed_column_phone")
            else:
                c2 = C("")
        else:
            c1 = C(v["email"], "email", "mixed_column_email")
            c2 = C(mobile, "phone", "mixed_column_phone") if rng.random() < 0.8 else C("")
        has_bank = rng.random() < 0.6
        rows.append([("#pid", p.pid),
                     C(code7(rng), decoy="member_no_7digits"),
                     C(name(p, v["name"]), "person_name", "reregistration" if again else "plain"),
                     C(hiragana(kana(p)) if not again else kana(p, v["kana"]), "name_kana",
                       "hiragana_reading"),
                     c1, c2,
                     C(postal(p, v["postal"] if again else rng.choice(("hyphen", "plain", "mark"))),
                       "postal_code"),
                     C(address(p, v["addr"] if again else rng.choice(ADDRESS_STYLES)), "address"),
                     C(birth(p.birth, v["birth"] if again else rng.choice(BIRTH_WESTERN + BIRTH_WAREKI)),
                       "birth_date"),
                     C(kana(p, "half") if has_bank else "", "name_kana", "halfwidth_account_holder"),
                     C(bank(p, rng.choice(BANK_STYLES)) if has_bank else "", "bank_account", "bank_in_cell"),
                     C(f"20{rng.randrange(15, 25)}/{rng.randrange(1, 13):02d}/{rng.randrange(1, 29):02d}",
                       decoy="registration_date"),
                     C(rng.choice(("一般", "シルバー", "ゴールド", "プラチナ")))])
    write_table(truth, root, "members/kaiin_list.csv", header, rows, bom=True, newline="\r\n")
    files["members/kaiin_list.csv"] = len(rows)

    # T2: an older system's workbook, two sheets; 250 of the member list typed differently.
    old = rng.sample(members, 250)
    left = [world.new() for _ in range(120)]
    header2 = ["氏名（漢字）", "氏名（カナ）", "携帯番号", "自宅電話", "E-Mail", "生年月日（和暦）", "郵便番号", "住所",
               "品番"]
    sheets = []
    for sheet, people in (("顧客一覧", old), ("退会者", left)):
        rows = []
        for p in people:
            v = variant(rng, p, heavy=True)
            rows.append([("#pid", p.pid),
                         C(name(p, v["name"]), "person_name", "other_system"),
                         C(kana(p, rng.choice(("half", "full", "ideo"))), "name_kana", "other_system"),
                         C(phone(p.mobile, v["phone"]), "phone", "other_system"),
                         C(phone(p.landline, "paren") if p.landline else "", "phone", "landline_paren"),
                         C(v["email"], "email", "other_system"),
                         C(birth(p.birth, rng.choice(BIRTH_WAREKI)), "birth_date", "wareki"),
                         C(postal(p, v["postal"]), "postal_code", "other_system"),
                         C(address(p, v["addr"]), "address", "other_system"),
                         C(code7(rng), decoy="hinban_7digits")])
        sheets.append((sheet, write_table(truth, root, "members/kaiin_old.xlsx", header2, rows, sheet=sheet)))
        files[f"members/kaiin_old.xlsx#{sheet}"] = len(rows)
    write_xlsx(root / "members/kaiin_old.xlsx", sheets)

    # T3: orders (TSV): decoy code columns, the shop's own phone; repeat customers.
    buyers = rng.sample(members, 500) + [world.new() for _ in range(150)]
    order_people = [rng.choice(buyers) for _ in range(1200)]
    header3 = ["注文番号", "伝票番号", "注文日", "商品コード", "品番", "SKU", "商品名", "数量", "購入者氏名", "購入者電話",
               "店舗", "店舗電話", "お届け先〒", "お届け先住所"]
    rows = []
    for p in order_people:
        shop_i = rng.randrange(3)
        rows.append([("#pid", p.pid),
                     C(code11_fixed(rng), decoy="order_no_11digits"),
                     C(code11_fixed(rng), decoy="slip_no_11digits"),
                     C(f"2024-0{rng.randrange(1, 4)}-{rng.randrange(1, 29):02d}", decoy="order_date"),
                     C(code7(rng), decoy="product_code_7digits"),
                     C(code7(rng), decoy="hinban_7digits"),
                     C(code7(rng), decoy="sku_7digits"),
                     C(rng.choice(T.PRODUCTS)), C(str(rng.randrange(1, 5))),
                     C(name(p, rng.choice(("space", "none"))), "person_name", "buyer"),
                     C(phone(p.mobile, rng.choice(("hyphen", "plain"))), "phone", "buyer"),
                     C(T.COMPANY["shops"][shop_i], decoy="company_shop_name"),
                     C(T.COMPANY["phones"][shop_i], decoy="company_phone_shop_column"),
                     C(postal(p, "hyphen"), "postal_code", "delivery"),
                     C(address(p, "hyphen"), "address", "delivery")])
    write_table(truth, root, "orders/orders_2024Q1.tsv", header3, rows, sep="\t")
    files["orders/orders_2024Q1.tsv"] = len(rows)

    # T4: an order API dump, nested JSON (SKU and member number inside objects).
    api_people = rng.sample(buyers, 200) + [world.new() for _ in range(100)]
    orders = []
    rel = "orders/orders_api.json"
    for i, p in enumerate(api_people, start=1):
        sku, item_code, member = code7(rng), code7(rng), code7(rng)
        shop_i = rng.randrange(3)
        o = {"order_id": f"HO-{code11_fixed(rng)}",
             "line": {"sku": sku, "item_code": item_code, "qty": rng.randrange(1, 4)},
             "customer": {"member_no": member, "name": name(p, "space"), "kana": kana(p),
                          "tel": phone(p.mobile, rng.choice(("hyphen", "plain", "intl"))),
                          "mail": p.email, "zip": p.postal.replace("-", ""),
                          "address": address(p, rng.choice(ADDRESS_STYLES))},
             "shop": {"name": T.COMPANY["shops"][shop_i], "tel": T.COMPANY["phones"][shop_i]}}
        orders.append(o)
        f = f"{rel}#orders"
        for col, cat in (("customer.name", "person_name"), ("customer.kana", "name_kana"),
                         ("customer.tel", "phone"), ("customer.mail", "email"),
                         ("customer.zip", "postal_code"), ("customer.address", "address")):
            truth.cell(f, i, col, cat, "nested_json")
        for col, case in (("line.sku", "json_sku_7digits"), ("line.item_code", "json_item_code_7digits"),
                          ("customer.member_no", "json_member_no_7digits"),
                          ("shop.name", "company_shop_name"), ("shop.tel", "company_phone_shop_column")):
            truth.decoy(f, case, row=i, column=col)
        truth.records["tables"].append(p.pid)
    (root / rel).write_text(json.dumps({"orders": orders}, ensure_ascii=False, indent=1), encoding="utf-8")
    files[f"{rel}#orders"] = len(orders)

    # T5: a headerless CP932 export (CRLF) with the bank account in one cell.
    nh = rng.sample(members, 150) + [world.new() for _ in range(150)]
    rows = []
    for p in nh:
        v = variant(rng, p, heavy=True)
        if v["name"] == "typo":
            v["name"] = "space"
        rows.append([("#pid", p.pid),
                     C(name(p, v["name"]), "person_name", "headerless"),
                     C(kana(p, rng.choice(("full", "half"))), "name_kana", "headerless"),
                     C(phone(p.mobile, rng.choice(("hyphen", "plain", "paren"))), "phone", "headerless"),
                     C(birth(p.birth, rng.choice(("slash", "wareki_abbr", "kanji"))), "birth_date", "headerless"),
                     C(postal(p, "hyphen"), "postal_code", "headerless"),
                     C(address(p, rng.choice(ADDRESS_STYLES)), "address", "headerless"),
                     C(bank(p, rng.choice(BANK_STYLES)), "bank_account", "headerless_bank"),
                     C(code7(rng), decoy="headerless_code_7digits")])
    write_table(truth, root, "legacy/export_noheader.csv", None, rows, encoding="cp932", newline="\r\n")
    files["legacy/export_noheader.csv"] = len(rows)

    # T6: a UTF-32 CSV.
    u32 = rng.sample(members, 60) + [world.new() for _ in range(60)]
    rows = [[("#pid", p.pid), C(name(p), "person_name", "utf32"),
             C(phone(p.mobile, "hyphen"), "phone", "utf32"), C(p.email, "email", "utf32"),
             C(code7(rng), decoy="member_no_7digits")] for p in u32]
    write_table(truth, root, "legacy/members_utf32.csv", ["氏名", "電話番号", "メールアドレス", "会員番号"], rows,
                encoding="utf-32")
    files["legacy/members_utf32.csv"] = len(rows)

    # T7: a UTF-8 BOM in front of a CP932 body (a tool added the BOM, the body stayed CP932).
    mix = rng.sample(members, 40) + [world.new() for _ in range(80)]
    rows = [[("#pid", p.pid), C(name(p), "person_name", "bom_cp932"),
             C(kana(p), "name_kana", "bom_cp932"), C(phone(p.mobile, "hyphen"), "phone", "bom_cp932"),
             C(address(p, "chome"), "address", "bom_cp932")] for p in mix]
    write_table(truth, root, "legacy/bom_then_cp932.csv", ["氏名", "フリガナ", "電話番号", "住所"], rows,
                body_encoding="cp932")
    files["legacy/bom_then_cp932.csv"] = len(rows)

    # T8: health checks of employees (a separate population): My Number, 要配慮 columns.
    staff = [world.new(birth_range=(1960, 2002)) for _ in range(150)]
    header8 = ["氏名", "生年月日", "マイナンバー", "既往歴", "健診結果", "服薬", "障害者手帳", "緊急連絡先"]
    rows = []
    for p in staff:
        mn = my_number(rng)
        mn_s = rng.choice((mn, f"{mn[:4]} {mn[4:8]} {mn[8:]}", f"{mn[:4]}-{mn[4:8]}-{mn[8:]}"))
        cells = [("#pid", p.pid), C(name(p), "person_name"), C(birth(p.birth, "slash"), "birth_date"),
                 C(mn_s, "my_number")]
        for col in ("既往歴", "健診結果", "服薬", "障害者手帳"):
            share = {"既往歴": 0.5, "健診結果": 0.4, "服薬": 0.45, "障害者手帳": 0.08}[col]
            if rng.random() < share:
                cells.append(C(rng.choice(T.HEALTH_CELLS[col]), "health", f"health_column_{col}"))
            else:
                cells.append(C(rng.choice(T.HEALTH_BLANKS) if col != "障害者手帳" else "", decoy="health_blank"))
        cells.append(C(phone(p.landline or world.phone_land(p.place[0]), rng.choice(("hyphen", "paren"))),
                       "phone", "emergency_contact"))
        rows.append(cells)
    write_table(truth, root, "hr/kenshin_2024.csv", header8, rows)
    files["hr/kenshin_2024.csv"] = len(rows)

    # T9: card payments of guest buyers (romanised card-holder names), repeat buyers.
    guests = [world.new() for _ in range(260)]
    pay_people = guests + rng.sample(guests, 40)
    rows = []
    for p in pay_people:
        holder = f"{romaji(p.given_kana).upper()} {romaji(p.sur_kana).upper()}"
        rows.append([("#pid", p.pid), C(f"PAY{code11_fixed(rng)}", decoy="payment_id"),
                     C(holder, "person_name", "romanised_card_holder"),
                     C(card(p, rng.choice(("space", "hyphen", "plain", "full"))), "credit_card"),
                     C(phone(p.mobile, rng.choice(PHONE_STYLES)), "phone", "payment"),
                     C(str(rng.randrange(5, 300) * 100), decoy="amount")])
    write_table(truth, root, "payments/card_payments.csv", ["決済ID", "カード名義", "カード番号", "電話番号", "金額"],
                rows)
    files["payments/card_payments.csv"] = len(rows)

    # T10: web accounts (login e-mail and password), members only.
    web = rng.sample(members, 300)
    rows = [[("#pid", p.pid), C(code7(rng), decoy="member_no_7digits"), C(name(p), "person_name"),
             C(p.email, "email", "login"), C(p.password, "password"),
             C(f"2024-04-{rng.randrange(1, 30):02d} {rng.randrange(24):02d}:{rng.randrange(60):02d}",
               decoy="last_login")] for p in web]
    write_table(truth, root, "members/web_accounts.csv", ["会員番号", "氏名", "ログインID", "パスワード", "最終ログイン"],
                rows)
    files["members/web_accounts.csv"] = len(rows)
    return files


# --- the prose ------------------------------------------------------------------------------------------

def make_staff(world: World, rng: random.Random, n: int) -> list[Person]:
    return [world.new(birth_range=(1970, 2000)) for _ in range(n)]


def staff_mail(s: Person) -> str:
    return f"{romaji(s.sur_kana)}.{romaji(s.given_kana)[0]}@{T.COMPANY['domain']}"


def health_line(rng, who: str | None) -> Line:
    phrase = rng.choice(T.HEALTH_PROSE)
    lead = rng.choice(("実は", "", "私事ですが、", "家族の事情で恐縮ですが、"))
    if who:
        return [lead + who + "が", (phrase, "health", "health_prose"), "、ご配慮いただけると助かります。"]
    return [lead, (phrase, "health", "health_prose"), "ため、午前中の配達を希望します。"]


def signature_lines(s: Person, rng) -> list[Line]:
    co_phone = rng.choice(T.COMPANY["phones"])
    return [["――――――――――――――――"], [T.COMPANY["name"] + " カスタマーサポート"],
            [(name(s, rng.choice(("space", "ideo"))), "person_name", "staff_signature")],
            ["TEL ", (co_phone, None, "company_phone_signature"), "（平日10時〜17時）"],
            ["Mail ", (staff_mail(s), "email", "staff_mail")]]


def customer_message(rng, p: Person, family: Person | None, quoted: bool) -> list[Line]:
    q = "> " if quoted else ""
    nm = name(p, rng.choice(("space", "none")))
    lines: list[Line] = [[q + T.COMPANY["short"] + " ご担当者様"], [q],
                         [q + "いつもお世話になっております。", (nm, "person_name", "self_intro"), "です。"]]
    lines.append([q + "注文番号 ", (code11_fixed(rng), None, "order_no_prose"), " の商品について連絡しました。"])
    kinds = rng.sample(["address", "phone", "birth", "bank", "health", "kana", "card", "password"], 4)
    for k in kinds:
        if k == "address":
            lines.append([q + "届け先：", (postal(p, rng.choice(("mark", "hyphen"))), "postal_code", "prose"), " ",
                          (address(p, rng.choice(ADDRESS_STYLES), with_pref=rng.random() < 0.8), "address",
                           "prose")])
        elif k == "phone":
            lines.append([q + rng.choice(("日中の連絡先は", "携帯：", "電話番号は")),
                          (phone(p.mobile, rng.choice(PHONE_STYLES)), "phone", "prose"), "です。"])
        elif k == "birth":
            lines.append([q + "会員登録の生年月日は", (birth(p.birth, rng.choice(BIRTH_WAREKI + BIRTH_WESTERN)),
                                                 "birth_date", "prose"), "で登録しています。"])
        elif k == "bank":
            lines.append([q + "返金は ", (bank(p, rng.choice(BANK_STYLES)), "bank_account", "bank_prose"),
                          " へお願いします。"])
        elif k == "health":
            if family is not None:
                rel = rng.choice(("妻の", "母の", "夫の", "父の"))
                fam = name(family, "none")
                lines.append([q + rel, (fam, "person_name", "family_member"), "が",
                              (rng.choice(T.HEALTH_PROSE), "health", "health_prose"), "、ご配慮をお願いします。"])
            else:
                lines.append([q, *health_line(rng, None)])
        elif k == "kana":
            lines.append([q + "フリガナ：", (kana(p, rng.choice(("full", "ideo"))), "name_kana", "prose")])
        elif k == "card":
            lines.append([q + "支払いに使ったカードは ", (card(p, rng.choice(("space", "hyphen"))), "credit_card",
                                                       "prose"), " です。"])
        elif k == "password":
            lines.append([q + "以前のパスワード（", (p.password, "password", "prose"), "）でログインできません。"])
    lines.append([q + "よろしくお願いいたします。"])
    lines.append([q])
    lines.append([q, (name(p, rng.choice(("space", "none", "ideo"))), "person_name", "customer_signature")])
    return lines


def staff_reply(rng, p: Person, s: Person, boss: Person) -> list[Line]:
    sur = p.sur
    lines: list[Line] = [[(name(p, "space"), "person_name", "salutation"), " 様"], [],
                         ["お問い合わせありがとうございます。", T.COMPANY["short"] + "の", (s.sur, "person_name",
                                                                            "staff_self"), "でございます。"],
                         [(sur, "person_name", "repeat_mention_surname"), "様のご注文につきまして、確認いたしました。"],
                         ["本件は店長の", (name(boss, "none"), "person_name", "company_person"), "にも共有しております。"],
                         [(sur, "person_name", "repeat_mention_surname"), "様には改めてご連絡いたします。"],
                         []]
    return lines


MIME_HEADERS = ("MIME-Version", "Content-Type", "Content-Transfer-Encoding")


def eml_bytes(headers: list[tuple[str, list]], body_lines: list[str], charset: str) -> bytes:
    """The mail as sent: encoded-word headers, the body in base64 (UTF-8) or 7bit ISO-2022-JP."""
    out = []
    for hname, parts in headers:
        raw = ""
        for part in parts:
            text = part if isinstance(part, str) else part[0]
            if any(ord(c) > 127 for c in text):
                raw += Header(text, "iso-2022-jp" if charset == "iso-2022-jp" else "utf-8").encode()
            else:
                raw += text
        out.append(f"{hname}: {raw}")
    body = "\n".join(body_lines) + "\n"
    out += ["MIME-Version: 1.0", f'Content-Type: text/plain; charset="{charset.upper()}"']
    if charset == "iso-2022-jp":
        out += ["Content-Transfer-Encoding: 7bit", "", ""]
        return "\r\n".join(out).encode("ascii") + body.replace("\n", "\r\n").encode("iso-2022-jp")
    out += ["Content-Transfer-Encoding: base64", "", ""]
    b64 = base64.encodebytes(body.encode("utf-8")).decode("ascii").replace("\n", "\r\n")
    return "\r\n".join(out).encode("ascii") + b64.encode("ascii")


def build_prose(rng: random.Random, world: World, truth: Truth, root: Path) -> dict:
    files: dict[str, int] = {}
    staff = make_staff(world, rng, 6)
    boss = make_staff(world, rng, 1)[0]
    customers = [world.new() for _ in range(70)]
    subjects: set[int] = set()
    # 8 customers write twice (a second thread in another file)
    twice = rng.sample(customers[:40], 8)
    threads = customers[:40] + twice
    rng.shuffle(threads)

    def family_of(p: Person) -> Person | None:
        if rng.random() < 0.3:
            f = world.new(sur=(p.sur, p.sur_kana), household=p)
            return f
        return None

    n_eml = 0
    n_txt = 0
    for i, p in enumerate(threads):
        fam = family_of(p)
        s = rng.choice(staff)
        msg = customer_message(rng, p, fam, quoted=True)
        reply = staff_reply(rng, p, s, boss) + [["----- 元のメッセージ -----"]] + msg + [[]] + signature_lines(s, rng)
        subjects.add(p.pid)
        if fam is not None and any(isinstance(x, tuple) and x[2] == "family_member" for ln in msg for x in ln):
            subjects.add(fam.pid)
        if i % 3 != 2:  # .eml: the staff's reply with the customer's mail quoted
            n_eml += 1
            rel = f"mail/inquiry_{n_eml:02d}.eml"
            charset = "iso-2022-jp" if n_eml % 3 == 0 else "utf-8"
            headers = [("From", [(name(s, "space"), "person_name", "mail_header_staff"), " <",
                                 (staff_mail(s), "email", "staff_mail"), ">"]),
                       ("To", [(name(p, "space"), "person_name", "mail_header"), " <", (p.email, "email", "mail_header"),
                               ">"]),
                       ("Subject", ["Re: ご注文の件（", (code11_fixed(rng), None, "order_no_subject"), "）"]),
                       ("Date", [f"Mon, {rng.randrange(1, 28)} May 2024 1{rng.randrange(10)}:{rng.randrange(60):02d}:00 +0900"])]
            head_text = label_lines(truth, rel, [[f"{h}: ", *parts] for h, parts in headers], first_line=1)
            del head_text
            # the decoded headers (ours and the three MIME headers eml_bytes adds), a blank line
            body = label_lines(truth, rel, reply, first_line=len(headers) + len(MIME_HEADERS) + 2)
            try:
                data = eml_bytes(headers, body, charset)
            except UnicodeEncodeError:
                data = eml_bytes(headers, body, "utf-8")
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            files[rel] = len(headers) + len(MIME_HEADERS) + 1 + len(body)
        else:  # .txt: a thread pasted from a mail client, sometimes CP932
            n_txt += 1
            rel = f"mail/thread_{n_txt:02d}.txt"
            lines: list[Line] = [["件名: Re: お問い合わせ"],
                                 ["差出人: ", (name(s, "space"), "person_name", "mail_header_staff"), " <",
                                  (staff_mail(s), "email", "staff_mail"), ">"],
                                 ["宛先: ", (p.email, "email", "mail_header")], [], *reply]
            text = label_lines(truth, rel, lines)
            enc = "cp932" if n_txt % 2 == 0 else "utf-8"
            data = "\r\n".join(text).encode(enc, errors="strict") if enc == "cp932" else "\n".join(text).encode()
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            files[rel] = len(text)

    # call memos: a staff member takes calls; customers mentioned by surname again and again.
    memo_people = customers[40:70]
    for k in range(15):
        rel = f"memo/call_{k + 1:02d}.txt"
        s = rng.choice(staff)
        lines: list[Line] = [[f"2024/05/{k + 1:02d} 受付：", (name(s, "none"), "person_name", "staff_label")], []]
        for p in memo_people[2 * k:2 * k + 2]:
            subjects.add(p.pid)
            lines.append([f"{rng.randrange(9, 18)}:{rng.randrange(60):02d} ", (name(p, "none"), "person_name",
                                                                               "caller"), "様より入電。"])
            lines.append(["折り返し先 ", (phone(p.mobile, rng.choice(PHONE_STYLES)), "phone", "memo")])
            lines.append([(p.sur, "person_name", "repeat_mention_surname"), "様は商品コード ",
                          (code7(rng), None, "product_code_prose"), " の交換を希望。"])
            if rng.random() < 0.6:
                lines.append([(p.sur, "person_name", "repeat_mention_surname"), "様曰く、", *health_line(rng, None)])
            if rng.random() < 0.5:
                lines.append(["返金口座：", (bank(p, rng.choice(BANK_STYLES)), "bank_account", "bank_prose")])
            if rng.random() < 0.5:
                lines.append(["生年月日 ", (birth(p.birth, rng.choice(BIRTH_WAREKI)), "birth_date", "memo"),
                              "（本人確認済）"])
            lines.append(["対応：", (s.sur, "person_name", "staff_label"), "。", (name(boss, "none"), "person_name",
                                                                           "company_person"), "店長に報告済み。"])
            lines.append([])
        text = label_lines(truth, rel, lines)
        enc, nl = ("cp932", "\r\n") if k % 4 == 0 else ("utf-8", "\n")
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(nl.join(text).encode(enc) + nl.encode())
        files[rel] = len(text)

    # minutes in Word with XML entities before the people's data.
    rel = "docs/meeting_minutes.docx"
    lines = [["議事録 R&D・CS 合同会議（5/20）"], ["出席：", (name(staff[0], "space"), "person_name", "attendee"), "、",
                                             (name(boss, "space"), "person_name", "company_person")]]
    for p in customers[:6]:
        lines.append(["クレーム案件 <重要> ", (name(p, "space"), "person_name", "docx_after_entity"), "様 ",
                      (phone(p.mobile, "hyphen"), "phone", "docx_after_entity"), " ",
                      (address(p, "chome"), "address", "docx_after_entity")])
    text = label_lines(truth, rel, lines)
    write_docx(root / rel, text)
    files[rel] = len(text)
    truth.records["prose"] = sorted(subjects)
    return files


def write_docx(path: Path, paragraphs: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(t)}</w:t></w:r></w:p>'
                   .replace("・", "&#x30FB;") for t in paragraphs)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://'
                   'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
                   'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
                   'Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
                   'main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
                   'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
                   'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                   'Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                   f"<w:body>{body}</w:body></w:document>")


# --- main ------------------------------------------------------------------------------------------------


def generate(out: Path, seed: int = SEED) -> dict:
    rng = random.Random(seed)
    world = World(rng)
    truth = Truth()
    data = out / "data"
    if data.exists():
        import shutil
        shutil.rmtree(data)
    tables = build_tables(rng, world, truth, data / "tables")
    prose = build_prose(rng, world, truth, data / "prose")
    truth_dir = out / "truth"
    truth_dir.mkdir(parents=True, exist_ok=True)
    for fname, rows in (("cells.jsonl", truth.cells), ("spans.jsonl", truth.spans),
                        ("decoys.jsonl", truth.decoys)):
        with (truth_dir / fname).open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    people = {
        "tables": {"people": len(set(truth.records["tables"])), "records": len(truth.records["tables"]),
                   "folder": "data/tables",
                   "note": "distinct people in data/tables/: members re-registered, typed differently in "
                           "other exports (full/half width, spaces, 和暦, kana variants, a variant kanji), "
                           "households sharing address and landline, namesakes, repeat buyers and payers; "
                           "employees in hr/ are a separate population"},
        "prose": {"people": len(set(truth.records["prose"])), "folder": "data/prose",
                  "note": "distinct data subjects in data/prose/ (customers and the family members they "
                          "name); staff, signatures and the company's own people are not counted; a "
                          "customer is mentioned several times in a thread and 8 write twice"},
    }
    manifest = {"seed": seed, "generator": "bench/heldout/generate.py", "cells": len(truth.cells),
                "spans": len(truth.spans), "decoys": len(truth.decoys), "people": people,
                "table_files": tables, "prose_files": prose}
    for fname, obj in (("people.json", people), ("manifest.json", manifest)):
        (truth_dir / fname).write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--out", type=Path, default=WORK)
    args = ap.parse_args(argv)
    m = generate(args.out, args.seed)
    print(f"held-out corpus in {args.out}: {len(m['table_files'])} table parts, {len(m['prose_files'])} "
          f"prose files, {m['cells']} labelled cells, {m['spans']} labelled spans, "
          f"people: tables {m['people']['tables']['people']}, prose {m['people']['prose']['people']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
