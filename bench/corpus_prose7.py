"""A seventh development set for people in prose: customers' relatives as mail, forms, call
memos and chats name them, each relative named once or several times in different forms,
labelled with every name and the true number of data subjects.

    uv run --group bench python bench/corpus_prose7.py [OUT] [--seed N] [--score [--show]]

writes (OUT defaults to $ROUEI_BENCH_DIR/prose7; never into the repository)

    OUT/data/      customers' mails, forms pasted into mail, call memos and chats (.txt)
    OUT/truth/spans.jsonl       {"file", "line", "start", "end", "category", "case"}
    OUT/truth/prose_people.json {"people": the data subjects (customers and their family)}

Written for session 15 (issue 14) from how Japanese customers write about their family to a
shop, a clinic's reception or a care service, with this file's own tables (family names with
their readings, given names by sex and generation; not the other sets', not Faker's; the
held-out corpus is never read). A relative's given name matches the relation's sex (妻 a
woman's name, せがれ a man's) and generation (孫 a child's, 義母 an elderly woman's):

- **a relative with a full name**: 妻・山田花子, 父（山田一郎）, 長男 太郎（8歳）, 家族：山田花子（妻）;
- **after the relation with a particle**: 母が良子で、父が登です, 主人も浩二といいます, 義母は澄子と申します;
- **a table-like block inside a mail**: 続柄：妻 / 氏名：山田 花子 lines, a form's 同居家族 line;
- **kana-only full names**: 母 やまだ よしこ, 祖母 ヤマダ トメ;
- **the relations everyday speech uses**: 主人, 家内, 嫁, せがれ, 義母, 義父, 孫, 甥, 姪, 叔父, 伯母;
- **English**: my wife Hanako, my son Shota;
- **the same relative again in the thread** in another form (花子 / 妻の花子 / 山田花子), to be
  linked, not counted twice.

Every name is labelled ``person_name``; the customers and their relatives are the people.
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

# family names with their reading (hiragana) and romaji
FAMILIES = (("大川", "おおかわ", "Okawa"), ("小野寺", "おのでら", "Onodera"), ("片山", "かたやま", "Katayama"),
            ("川口", "かわぐち", "Kawaguchi"), ("北村", "きたむら", "Kitamura"), ("久保", "くぼ", "Kubo"),
            ("黒田", "くろだ", "Kuroda"), ("小島", "こじま", "Kojima"), ("坂本", "さかもと", "Sakamoto"),
            ("柴田", "しばた", "Shibata"), ("白石", "しらいし", "Shiraishi"), ("杉本", "すぎもと", "Sugimoto"),
            ("高野", "たかの", "Takano"), ("千葉", "ちば", "Chiba"), ("土井", "どい", "Doi"),
            ("中川", "なかがわ", "Nakagawa"), ("西田", "にしだ", "Nishida"), ("野口", "のぐち", "Noguchi"),
            ("長谷川", "はせがわ", "Hasegawa"), ("平野", "ひらの", "Hirano"), ("福田", "ふくだ", "Fukuda"),
            ("堀内", "ほりうち", "Horiuchi"), ("前川", "まえかわ", "Maekawa"), ("松岡", "まつおか", "Matsuoka"),
            ("三浦", "みうら", "Miura"), ("村田", "むらた", "Murata"), ("安田", "やすだ", "Yasuda"),
            ("山内", "やまうち", "Yamauchi"), ("吉川", "よしかわ", "Yoshikawa"), ("和田", "わだ", "Wada"))
# given names by sex and generation, each with its reading (hiragana) and romaji
MAN = (("健一", "けんいち", "Kenichi"), ("隆", "たかし", "Takashi"), ("誠", "まこと", "Makoto"),
       ("浩之", "ひろゆき", "Hiroyuki"), ("和也", "かずや", "Kazuya"), ("秀樹", "ひでき", "Hideki"),
       ("俊介", "しゅんすけ", "Shunsuke"), ("大輔", "だいすけ", "Daisuke"))
WOMAN = (("花子", "はなこ", "Hanako"), ("恵子", "けいこ", "Keiko"), ("美穂", "みほ", "Miho"),
         ("智子", "ともこ", "Tomoko"), ("直美", "なおみ", "Naomi"), ("香織", "かおり", "Kaori"),
         ("由紀", "ゆき", "Yuki"), ("麻衣", "まい", "Mai"))
BOY = (("翔太", "しょうた", "Shota"), ("悠斗", "ゆうと", "Yuto"), ("蓮", "れん", "Ren"),
       ("湊", "みなと", "Minato"), ("陽翔", "はると", "Haruto"), ("大翔", "ひろと", "Hiroto"))
GIRL = (("結衣", "ゆい", "Yui"), ("陽菜", "ひな", "Hina"), ("芽依", "めい", "Mei"),
        ("美桜", "みお", "Mio"), ("紬", "つむぎ", "Tsumugi"), ("彩花", "あやか", "Ayaka"))
OLD_MAN = (("一郎", "いちろう", "Ichiro"), ("登", "のぼる", "Noboru"), ("清", "きよし", "Kiyoshi"),
           ("茂", "しげる", "Shigeru"), ("勝", "まさる", "Masaru"), ("正雄", "まさお", "Masao"))
OLD_WOMAN = (("良子", "よしこ", "Yoshiko"), ("澄子", "すみこ", "Sumiko"), ("トメ", "とめ", "Tome"),
             ("ハル", "はる", "Haru"), ("節子", "せつこ", "Setsuko"), ("和子", "かずこ", "Kazuko"))
# relations: the word, the pool its names come from, its English word (None: not said in English)
RELATIONS = {
    "妻": (WOMAN, "wife"), "家内": (WOMAN, None), "嫁": (WOMAN, None), "夫": (MAN, "husband"),
    "主人": (MAN, None), "せがれ": (MAN, None), "長男": (BOY, "son"), "長女": (GIRL, "daughter"),
    "次男": (BOY, "son"), "娘": (GIRL, "daughter"), "息子": (BOY, "son"), "孫": (BOY, None),
    "甥": (BOY, "nephew"), "姪": (GIRL, "niece"), "母": (OLD_WOMAN, "mother"),
    "父": (OLD_MAN, "father"), "義母": (OLD_WOMAN, "mother-in-law"),
    "義父": (OLD_MAN, "father-in-law"), "祖母": (OLD_WOMAN, "grandmother"),
    "叔父": (MAN, "uncle"), "伯母": (WOMAN, "aunt"),
}
SHOPS = ("さくら野商店", "つばめ生活館", "ひだまりネット", "あおば薬局オンライン")
WRITER_GIVEN = MAN[:4] + WOMAN[4:]


def _n(line: Line, text: str, case: str) -> Line:
    return line.add(text, "person_name", case)


class Family:
    """A customer and the relatives drawn for them, given names unique in the family."""

    def __init__(self, rng: random.Random, surname: tuple[str, str, str]) -> None:
        self.rng, self.surname = rng, surname
        self.used: set[str] = set()
        self.given = self.draw(WRITER_GIVEN)

    def draw(self, pool: tuple[tuple[str, str, str], ...]) -> tuple[str, str, str]:
        name = self.rng.choice([g for g in pool if g[0] not in self.used])
        self.used.add(name[0])
        return name

    def relative(self, relation: str) -> tuple[str, str, str]:
        return self.draw(RELATIONS[relation][0])


# --- a relative's first mention --------------------------------------------------------------


def first_mention(rng: random.Random, form: int, fam: Family, rel: str,
                  giv: tuple[str, str, str]) -> list[Line]:
    """The relative named the first time, in one of the forms customers write."""
    sur = fam.surname
    age = rng.randint(3, 15)
    forms = [
        lambda: [_n(Line().add(f"{rel}・"), f"{sur[0]}{giv[0]}", "kin_full")
                 .add("の分も一緒に送ってください。")],
        lambda: [_n(Line().add(f"{rel}（"), f"{sur[0]}{giv[0]}", "kin_full")
                 .add("）が受け取ります。")],
        lambda: [_n(Line().add(f"{rel} "), giv[0], "kin_age").add(f"（{age}歳）の分です。")],
        lambda: [_n(Line().add("家族："), f"{sur[0]}{giv[0]}", "kin_full").add(f"（{rel}）")],
        lambda: [_n(Line().add(f"受け取りは{rel}が"), giv[0], "kin_particle")
                 .add("で、平日の昼間は家におります。")],
        lambda: [_n(Line().add(f"{rel}も"), giv[0], "kin_particle").add("といいます。")],
        lambda: [_n(Line().add(f"{rel}は"), giv[0], "kin_particle").add("と申します。")],
        lambda: [Line().add(f"続柄：{rel}"),
                 _n(Line().add("氏名："), f"{sur[0]} {giv[0]}", "kin_block")],
        lambda: [_n(Line().add(f"同居家族：{rel} "), giv[0], "kin_household")
                 .add(f"（{rng.randint(30, 85)}歳）")],
        lambda: [_n(Line().add(f"{rel} "), f"{sur[1]} {giv[1]}", "kin_kana")
                 .add(" 宛てでお願いします。")],
        lambda: [_n(Line().add(f"{rel}の"), giv[0], "kin_no").add("が使うものです。")],
    ]
    return forms[form % len(forms)]()


def again(form: int, fam: Family, rel: str, giv: tuple[str, str, str]) -> Line:
    """The same relative later in the thread, in another form: the given name alone, the
    relation and name again, or the full name."""
    sur = fam.surname
    forms = [
        lambda: _n(Line().add(f"{rel}の"), giv[0], "again_kin").add("が不在の場合は置き配でお願いします。"),
        lambda: _n(Line(), f"{sur[0]} {giv[0]}", "again_full").add(" 宛の伝票でお願いします。"),
        lambda: _n(Line().add("受け取りは"), f"{sur[0]}{giv[0]}", "again_full").add("でも大丈夫です。"),
    ]
    return forms[form % len(forms)]()


# --- the documents ----------------------------------------------------------------------------


def customer_mail(rng: random.Random, k: int, fam: Family, shop: str,
                  subjects: list[int]) -> list[Line]:
    """A customer's mail about an order for their family: two relatives, one named twice."""
    sur, giv = fam.surname, fam.given
    rels = rng.sample(sorted(RELATIONS), 2)
    named = [(rel, fam.relative(rel)) for rel in rels]
    subjects.append(1 + len(named))
    lines = [Line().add(f"{shop} ご担当者様"), Line(),
             _n(Line().add("いつもお世話になっております。"), sur[0], "writer").add("です。"),
             Line().add("先日注文した品について、お願いがあります。")]
    for j, (rel, g) in enumerate(named):
        lines += first_mention(rng, k * 2 + j, fam, rel, g)
    rel, g = named[k % 2]
    lines += [again(k, fam, rel, g),
              Line().add("よろしくお願いいたします。"), Line(),
              _n(Line(), f"{sur[0]} {giv[0]}", "writer")]
    return lines


def shop_answer(rng: random.Random, k: int, fam: Family, shop: str,
                subjects: list[int]) -> list[Line]:
    """The shop's answer quoting the customer: the relative again in the answer, linked."""
    sur, giv = fam.surname, fam.given
    rel = rng.choice(sorted(RELATIONS))
    g = fam.relative(rel)
    subjects.append(2)
    asked = [_n(Line(), f"{sur[0]} {giv[0]}", "writer").add("です。"),
             *first_mention(rng, k + 3, fam, rel, g),
             Line().add("よろしくお願いします。")]
    answer = [_n(Line(), f"{sur[0]} {giv[0]}", "salutation").add(" 様"), Line(),
              Line().add(f"{shop}でございます。お問い合わせありがとうございます。"),
              _n(Line().add("ご家族の"), g[0], "again_kin").add("様宛てのお届けで承りました。"),
              Line().add("今後ともよろしくお願いいたします。"), Line(),
              _n(Line(), f"{sur[0]} {giv[0]}", "quote_header").add(" 様からのメール:")]
    return [*answer, *(quoted_line(line) for line in asked)]


def care_form(rng: random.Random, k: int, fam: Family, subjects: list[int]) -> list[Line]:
    """A care service's application pasted into a mail: the applicant and the household in
    labelled lines, a relative named in the 同居家族 lines and the free note."""
    sur, giv = fam.surname, fam.given
    spouse_rel = "夫" if giv in WOMAN else "妻"
    spouse = fam.relative(spouse_rel)
    elder_rel = rng.choice(("母", "父", "義母", "義父"))
    elder = fam.relative(elder_rel)
    subjects.append(3)
    lines = [Line().add("【お申込み内容】"),
             _n(Line().add("申込者："), f"{sur[0]} {giv[0]}", "form_applicant").add(" 様"),
             Line().add("ご利用になる方との続柄：子"),
             Line().add("■同居家族"),
             Line().add(f"続柄：{elder_rel}"),
             _n(Line().add("氏名："), f"{sur[0]} {elder[0]}", "kin_block"),
             Line().add(f"続柄：{spouse_rel}"),
             _n(Line().add("氏名："), f"{sur[0]} {spouse[0]}", "kin_block"),
             Line().add("【備考】")]
    if k % 2:
        lines.append(_n(Line().add(f"{elder_rel}が"), elder[0], "kin_particle")
                     .add(f"で、{spouse_rel}が").add(spouse[0], "person_name", "kin_particle")
                     .add("です。昼間は二人とも家におります。"))
    else:
        lines.append(_n(Line().add(f"{elder_rel} "), f"{sur[1]} {elder[1]}", "kin_kana")
                     .add(" は耳が遠いので、連絡は私にお願いします。"))
    return lines


def call_memo(rng: random.Random, k: int, fam: Family, subjects: list[int]) -> list[Line]:
    """A call memo: the caller, a relative in the relations everyday speech uses."""
    sur, giv = fam.surname, fam.given
    rel = ("主人", "家内", "嫁", "せがれ", "孫", "甥", "姪", "叔父", "伯母", "義母", "義父")[k % 11]
    g = fam.relative(rel)
    subjects.append(2)
    return [Line().add(f"■ 12/{rng.randint(1, 28)} 受電"),
            _n(Line().add("お客様："), f"{sur[0]} {giv[0]}", "memo_customer").add(" 様"),
            _n(Line().add(f"内容：{rel}の"), g[0], "kin_no").add("さんが代わりに受け取りたいとのこと。"),
            _n(Line().add("→ "), g[0], "again_given").add("さん名義で再配達を手配。"),
            Line()]


def english_mail(rng: random.Random, k: int, fam: Family, shop: str,
                 subjects: list[int]) -> list[Line]:
    """A customer writing in English: my wife Hanako, my son Shota."""
    sur, giv = fam.surname, fam.given
    rel = ("妻", "長男", "娘", "夫", "母")[k % 5]
    g = fam.relative(rel)
    word = RELATIONS[rel][1]
    subjects.append(2)
    return [Line().add(f"To {shop},"), Line(),
            _n(Line().add(f"I ordered a gift for my {word} "), g[2], "kin_english")
            .add(" last week."),
            _n(Line().add("Please deliver it by Friday. "), g[2], "kin_english")
            .add(" will be at home after 6 pm."), Line(),
            _n(Line(), f"{giv[2]} {sur[2]}", "writer_english")]


def generate(out: Path, seed: int = 1616) -> dict:
    files = SetWriter(out)
    rng = random.Random(seed)
    families = list(FAMILIES)
    rng.shuffle(families)
    subjects: list[int] = []
    for k in range(8):
        shop = SHOPS[k % len(SHOPS)]
        files.text(f"mail/order_{k:02d}.txt", customer_mail(rng, k, Family(rng, families.pop()),
                                                            shop, subjects))
    for k in range(5):
        files.text(f"mail/answer_{k:02d}.txt", shop_answer(rng, k, Family(rng, families.pop()),
                                                           SHOPS[k % len(SHOPS)], subjects))
    for k in range(4):
        files.text(f"forms/care_{k:02d}.txt", care_form(rng, k, Family(rng, families.pop()),
                                                        subjects))
    memo: list[Line] = []
    for k in range(4):
        memo += call_memo(rng, k, Family(rng, families.pop()), subjects)
    files.text("memos/calls.txt", memo)
    for k in range(3):
        files.text(f"mail/english_{k:02d}.txt", english_mail(rng, k, Family(rng, families.pop()),
                                                             SHOPS[k % len(SHOPS)], subjects))
    people = {"people": sum(subjects), "prose": sum(subjects), "tables": 0, "folder": "data",
              "note": "customers and the relatives named; every relative once however often named"}
    files.finish(people)
    return {"seed": seed, "spans": len(files.truth.spans), **people}


def main(argv: list[str] | None = None) -> int:
    return corpus_prose.main(argv, doc=__doc__, out=corpus_prose.default_out("prose7"), seed=1616,
                             generate=generate, score=corpus_prose.score)


if __name__ == "__main__":
    sys.exit(main())
