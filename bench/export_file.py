"""A realistic customer export from an EC shop's back office, seeded (issue 14, "Speed on a
realistic export"): the kind of file a leak leaves, not a clean benchmark table.

    uv run --group bench python bench/export_file.py [--rows 1000000] [--out DIR]

UTF-8 with a BOM (as Excel and most shop systems save "CSV UTF-8"), CRLF, 18 columns, about
240 bytes a row:

- people: 氏名 (with a space, an ideographic space or none), フリガナ (full- or half-width kana),
  郵便番号 (123-4567, 1234567, 〒123-4567, full-width digits), 住所 (one cell, full- or half-width
  block numbers, a building in 40%), 電話番号 and 携帯電話 (090-1234-5678, 09012345678,
  (03)1234-5678, +81-90-…, full-width, a lost leading 0), メールアドレス (mixed case; 10% empty),
  生年月日 (1985/04/01, 1985-4-1, 1985年4月1日, 昭和60年4月1日, 19850401, full-width);
- decoys: 会員番号, 注文番号 (16 digits), 注文日 (dates that are not birth dates), 商品コード
  (7 and 13 digits: postal-code and corporate-number shapes), 商品名, 数量, 金額, 店舗電話 (the shop's
  own phone in every row);
- 備考: free text in ~70% of rows, from a few words to a few sentences — delivery wishes, gift
  messages, phone numbers and e-mails written into the note, a recipient's name with 様, an
  address, a birthday, health remarks (アレルギー, 糖尿病, 妊娠中), order references, coupon codes;
  often repeated word for word (置き配希望), sometimes the same words with full-width digits;
- 3% re-registrations: the same person again, typed differently (spaces, full-width digits,
  another phone style, an upper-case e-mail).

Its own tables and layouts (names and places from Faker's ja_JP lists), not those of the
held-out corpus. Writes OUT/export_<rows>.csv once per (rows, seed) (a .meta.json beside it).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import WORK

HEADER = ["会員番号", "氏名", "フリガナ", "性別", "生年月日", "郵便番号", "住所", "電話番号", "携帯電話",
          "メールアドレス", "注文番号", "注文日", "商品コード", "商品名", "数量", "金額", "店舗電話", "備考"]
SHOP_PHONE = "0120-123-456"
WIDE = str.maketrans("0123456789-", "０１２３４５６７８９－")
def _half_kana_table() -> dict[str, str]:
    """Full-width katakana → half-width (ガ → ｶﾞ), from NFKC read backwards."""
    table: dict[str, str] = {}
    for code in range(0xFF66, 0xFF9E):
        half = chr(code)
        table.setdefault(unicodedata.normalize("NFKC", half), half)
    for full, half in list(table.items()):
        for mark, half_mark in (("\u3099", "ﾞ"), ("\u309a", "ﾟ")):
            voiced = unicodedata.normalize("NFC", full + mark)
            if len(voiced) == 1:
                table[voiced] = half + half_mark
    return table


HALF_KANA = _half_kana_table()
PRODUCTS = ["オーガニック緑茶 100g", "国産はちみつ 500g", "ステンレスボトル 350ml", "コットンタオル 3枚組",
            "有機玄米 5kg", "ハンドクリーム(無香料)", "LEDデスクライト", "ワイヤレスイヤホン", "抹茶ラテ 10本入",
            "北海道産じゃがいも 10kg", "ベビー用ガーゼハンカチ", "保湿化粧水 200ml", "珈琲豆 深煎り 1kg",
            "折りたたみ傘 55cm", "天然水 2L×6本", "サプリメント ビタミンC 60粒", "文具セット", "犬用おやつ"]
DOMAINS = ["example.jp", "example.ne.jp", "Example.co.jp", "mail.example.com", "shop-example.jp",
           "docomo.example.ne.jp", "ezweb.example.ne.jp", "gmail.example.com"]
# Short notes typed again and again, word for word (most 備考 cells of a shop's export).
PLAIN_NOTES = [
    "置き配希望", "置き配OK(玄関前)", "不在時は宅配ボックスへ", "午前中指定", "ギフト包装希望", "のし不要",
    "領収書希望", "領収書不要", "同梱希望", "急ぎでお願いします", "再配達希望", "配達前に連絡不要",
    "インターホンを鳴らさないでください", "前回と同じ住所", "ポイント利用", "クーポン利用", "定期便",
    "初回購入", "リピーター", "お試しセット", "熨斗:御祝", "熨斗:内祝", "メッセージカード同封",
    "簡易包装でお願いします", "段ボールのまま可", "ペット(犬)がいるのでチャイム不可", "会社宛て",
    "法人購入", "要確認", "キャンセル済", "返品受付済", "交換対応中", "入金待ち", "発送済み",
]
TIMES = ["8時〜12時", "14時〜16時", "16時〜18時", "18時〜20時", "19時〜21時", "午前中", "夕方以降"]
COMPANIES = ["株式会社サンプル商事", "有限会社テスト工業", "合同会社みほん", "サンプル物産株式会社"]
HEALTH_NOTES = [
    "卵アレルギーがあるので原材料を確認したい", "子どもが小麦アレルギーです", "糖尿病のため低糖質の商品を希望",
    "妊娠中のためカフェインレスでお願いします", "高血圧で通院中のため減塩タイプ希望", "母が入院中のため病院宛てに配送",
    "主治医に相談済み", "腰痛持ちなので重い物は玄関まで", "アトピー性皮膚炎があり無香料希望",
]


def _names():
    from faker.providers.address.ja_JP import Provider as Address
    from faker.providers.person.ja_JP import Provider as Person
    lasts = list(Person.last_name_pairs)
    firsts = list(Person.first_name_male_pairs) + list(Person.first_name_female_pairs)
    return lasts, firsts, Address


def _half(kana: str) -> str:
    return "".join(HALF_KANA.get(c, c) for c in kana)


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lasts, self.firsts, address = _names()
        self.prefs = list(address.prefectures)
        self.cities = list(address.cities)
        self.towns = list(address.towns)
        self.buildings = list(address.building_names)

    def wide(self, text: str, share: float) -> str:
        return text.translate(WIDE) if self.rng.random() < share else text

    def mobile(self) -> str:
        r = self.rng
        return f"0{r.choice('987')}0{r.randint(1000, 9999)}{r.randint(0, 9999):04d}"

    def landline(self) -> str:
        r = self.rng
        area = r.choice(["03", "06", "011", "022", "045", "052", "075", "092", "0995", "0266"])
        rest = 10 - len(area)
        return f"{area}{r.randint(2 * 10 ** (rest - 5), 10 ** (rest - 4) - 1)}{r.randint(0, 9999):04d}"

    def phone(self, digits: str) -> str:
        r = self.rng
        if digits[1] in "987" and len(digits) == 11:
            a, b, c = digits[:3], digits[3:7], digits[7:]
        else:
            width = 2 if digits[:2] in ("03", "06") else (4 if len(digits) > 4 and
                                                          digits[:4] in ("0995", "0266") else 3)
            a, b, c = digits[:width], digits[width:6], digits[6:]
        style = r.choices(range(7), weights=(40, 20, 8, 8, 8, 10, 6))[0]
        return [f"{a}-{b}-{c}", digits, f"({a}){b}-{c}", f"+81-{a[1:]}-{b}-{c}",
                f"{a}-{b}-{c}".translate(WIDE), f"{a} {b} {c}", digits[1:]][style]

    def birth(self) -> str:
        r = self.rng
        y, m, d = r.randint(1935, 2008), r.randint(1, 12), r.randint(1, 28)
        style = r.choices(range(7), weights=(30, 15, 15, 10, 10, 10, 10))[0]
        if style == 3 and 1926 <= y <= 1988:
            return f"昭和{y - 1925}年{m}月{d}日"
        if style == 4 and y >= 1989:
            return f"平成{'元' if y == 1989 else y - 1988}年{m}月{d}日"
        return [f"{y}/{m:02d}/{d:02d}", f"{y}-{m}-{d}", f"{y}年{m}月{d}日", f"{y}/{m}/{d}",
                f"{y}/{m}/{d}", f"{y}{m:02d}{d:02d}", f"{y}/{m:02d}/{d:02d}".translate(WIDE)
                ][style]

    def postal(self) -> str:
        r = self.rng
        code = f"{r.randint(1, 999):03d}-{r.randint(0, 9999):04d}"
        style = r.choices(range(4), weights=(50, 25, 15, 10))[0]
        return [code, code.replace("-", ""), "〒" + code, code.translate(WIDE)][style]

    def address(self) -> str:
        r = self.rng
        block = r.choice([f"{r.randint(1, 9)}-{r.randint(1, 30)}-{r.randint(1, 20)}",
                          f"{r.randint(1, 9)}丁目{r.randint(1, 30)}番{r.randint(1, 20)}号",
                          f"{r.randint(1, 2999)}番地{r.randint(1, 9)}"])
        text = f"{r.choice(self.prefs)}{r.choice(self.cities)}{r.choice(self.towns)}{self.wide(block, 0.2)}"
        if r.random() < 0.4:
            text += f"{r.choice([' ', '　', ''])}{r.choice(self.buildings)}{r.randint(101, 1209)}号室"
        return text

    def person(self) -> dict:
        r = self.rng
        last, last_kana, last_roman = r.choice(self.lasts)
        first, first_kana, first_roman = r.choice(self.firsts)
        local = r.choice([f"{first_roman}.{last_roman}{r.randint(1, 999999)}",
                          f"{last_roman}{r.randint(1, 99999999)}",
                          f"{first_roman[:1]}{last_roman}_{r.randint(1, 999999)}"]).lower()
        return {"last": last, "first": first, "kana": f"{last_kana} {first_kana}",
                "email": f"{local}@{r.choice(DOMAINS)}", "mobile": self.mobile(),
                "home": self.landline() if r.random() < 0.5 else "",
                "birth": self.birth(), "postal": self.postal(), "address": self.address(),
                "female": r.random() < 0.5}

    def note(self, person: dict) -> str:
        """備考: empty in ~30%; else one to four fragments as a back office writes them (置き配希望。
        領収書不要), most without any item, some with a phone, an e-mail, a name, an address, a
        birthday or a health remark in them."""
        r = self.rng
        if r.random() < 0.30:
            return ""
        count = r.choices((1, 2, 3, 4), weights=(25, 35, 28, 12))[0]
        fragments = [self.fragment(person) for _ in range(count)]
        return r.choice(["。", "。", "／", " ", "、"]).join(fragments) + r.choice(["", "", "。"])

    def fragment(self, person: dict) -> str:
        r = self.rng
        x = r.random()
        if x < 0.55:
            return r.choice(PLAIN_NOTES)
        if x < 0.65:
            return f"{r.choice(TIMES)}{r.choice(['指定', 'に配達希望', 'でお願いします'])}"
        if x < 0.70:
            return self.wide(f"{r.randint(2, 12)}月{r.randint(1, 28)}日"
                             f"{r.choice(['着希望', 'までに届けてほしい', '以降発送'])}", 0.3)
        if x < 0.73:
            who = r.choice(self.lasts)[0] + r.choice(self.firsts)[0]
            return r.choice([f"宛名は{who}様でお願いします", f"贈り先:{who}様(祖母)",
                             f"ご依頼主 {who} 様名義で発送", f"{who}さんへのプレゼント。値札を外して"])
        if x < 0.76:
            return r.choice([f"日中は携帯{self.phone(person['mobile'])}へ連絡ください",
                             f"不在の場合は{self.phone(self.mobile())}(妻)まで",
                             f"勤務先 {r.choice(COMPANIES)} TEL {self.phone(self.landline())}"])
        if x < 0.78:
            return f"領収書はPDFで{person['email']}宛に送付してください"
        if x < 0.80:
            return (f"お届け先:{r.choice(self.lasts)[0]}様方 〒{self.postal().lstrip('〒')} "
                    f"{self.address()}")
        if x < 0.82:
            return r.choice(HEALTH_NOTES)
        if x < 0.83:
            return f"{self.birth()}生まれの父への誕生日プレゼント"
        if x < 0.87:
            return self.wide(f"注文番号{r.randint(10**9, 10**10 - 1)}と同梱希望", 0.3)
        if x < 0.90:
            return f"クーポンコード {r.choice(['SPRING', 'WELCOME', 'VIP'])}{r.randint(100, 999)} 使用"
        if x < 0.93:
            return self.wide(f"前回注文({r.randint(2019, 2025)}/{r.randint(1, 12)}/"
                             f"{r.randint(1, 28)})の返品分", 0.3)
        staff = r.choice(self.lasts)[0]  # a complaint or a request in a few sentences
        return r.choice([
            f"商品が破損していました。交換をお願いします。担当の{staff}さんには電話で伝えてあります",
            f"前回届いた{r.choice(PRODUCTS)}の味が違った気がします。ロット番号を確認してほしいです",
            "注文後に住所の変更をお願いしました。新しい住所に送られているか心配です。返信ください",
            f"{r.randint(2, 5)}個注文しましたが1個しか届いていません。至急確認をお願いします",
            "いつもありがとうございます。今回は家族へのプレゼントなので明細書は入れないでください",
        ])


def write(path: Path, rows: int, seed: int = 14) -> None:
    rng = random.Random(seed)
    writer_ = _Writer(rng)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        written = 0
        while written < rows:
            p = writer_.person()
            repeat = 2 if rng.random() < 0.03 else 1  # re-registered, typed differently
            for copy in range(repeat):
                if written >= rows:
                    break
                space = rng.choice([" ", "　", ""]) if copy == 0 else rng.choice(["　", ""])
                kana = p["kana"] if rng.random() < 0.7 else _half(p["kana"])
                home = writer_.phone(p["home"]) if p["home"] else ""
                y, m, d = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
                order_date = rng.choice([f"{y}/{m:02d}/{d:02d}", f"{y}-{m:02d}-{d:02d}",
                                         f"{y}/{m:02d}/{d:02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"])
                code = (f"{rng.randint(1000000, 9999999)}" if rng.random() < 0.6
                        else f"49{rng.randint(10**10, 10**11 - 1)}")
                quantity = rng.randint(1, 5)
                price = rng.choice([980, 1280, 1980, 2480, 3300, 5500, 12800])
                email = p["email"] if rng.random() < 0.9 else ""
                if copy:
                    email = email.upper()
                writer.writerow([
                    f"C{rng.randint(10**7, 10**8 - 1)}", f"{p['last']}{space}{p['first']}", kana,
                    rng.choice(["男", "女"]) if rng.random() < 0.6 else "",
                    writer_.wide(p["birth"], 0.3) if copy else p["birth"],
                    writer_.wide(p["postal"], 0.5) if copy else p["postal"],
                    p["address"], home, writer_.phone(p["mobile"]), email,
                    f"{rng.randint(10**15, 10**16 - 1)}", order_date, code,
                    rng.choice(PRODUCTS), str(quantity), f"{quantity * price:,}", SHOP_PHONE,
                    writer_.note(p)])
                written += 1


def ensure(rows: int = 1_000_000, out: Path | None = None, seed: int = 14) -> Path:
    out = out or WORK / "export"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"export_{rows}.csv"
    meta = path.with_suffix(".meta.json")
    want = {"rows": rows, "seed": seed, "version": 1}
    if path.exists() and meta.exists() and json.loads(meta.read_text()) == want:
        return path
    write(path, rows, seed)
    meta.write_text(json.dumps(want))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    path = ensure(args.rows, args.out, args.seed)
    print(f"{path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
