"""Build the scanner's name lexicon (rouei/scanning/detectors/lexicon/) from SudachiDict.

    uv run --group bench python bench/name_lexicon.py

SudachiDict (Works Applications, Apache License 2.0; the ``sudachidict_core`` wheel the ``ner``
extra and the bench group install) tags proper nouns of people as 名詞,固有名詞,人名,姓 (family
name) or 名 (given name). Its lexicon cannot be listed through sudachipy, so this asks it about
every candidate: each kanji of JIS X 0208 level 1 and 2 alone, every pair of level-1 kanji (and
々), three kanji made of a kanji that begins many family names and a two-kanji family name
(長 + 谷川), and two kanji that are a word with a common last kanji (五十 + 嵐, 佐々 + 木). A
word is kept when no entry of it is a verb, an adverb or a noun that takes する, だ or a counter
(確認, 必要): 山田 (also a common noun) stays. One name a line, sorted.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from sudachipy import Dictionary

OUT = Path(__file__).resolve().parent.parent / "rouei" / "scanning" / "detectors" / "lexicon"


def jis_kanji(levels: tuple[int, ...] = (1, 2)) -> list[str]:
    rows = {1: range(0x88, 0x99), 2: [*range(0x98, 0xA0), *range(0xE0, 0xEB)]}
    out: list[str] = []
    for level in levels:
        for hi in rows[level]:
            for lo in [*range(0x40, 0x7F), *range(0x80, 0xFD)]:
                try:
                    c = bytes([hi, lo]).decode("cp932")
                except UnicodeDecodeError:
                    continue
                if "\u4e00" <= c <= "\u9fff" and c not in out:
                    out.append(c)
    return out


def kinds(d: Dictionary, word: str) -> set[str]:
    """'姓', '名' when the word is a person's name and not also a word of another kind than a
    noun (a verb's stem, an adverb) or a noun that takes する, だ or a counter (確認, 必要)."""
    found, other = set(), False
    for m in d.lookup(word):
        pos = m.part_of_speech()
        if pos[1] == "固有名詞" and pos[2] == "人名":
            if pos[3] in ("姓", "名"):
                found.add(pos[3])
        elif pos[0] != "名詞" or (pos[1] == "普通名詞" and pos[2] != "一般"):
            other = True
    return set() if other else found


def main() -> int:
    d = Dictionary(dict="core")
    level1 = jis_kanji((1,)) + ["々"]
    every = jis_kanji()
    names: dict[str, set[str]] = {"姓": set(), "名": set()}
    for a in every:
        for kind in kinds(d, a):
            names[kind].add(a)
    for a in level1:
        for b in level1:
            for kind in kinds(d, a + b):
                names[kind].add(a + b)
    pairs = [n for n in names["姓"] if len(n) == 2]
    starts = [c for c, _ in Counter(n[0] for n in pairs).most_common(300)]
    # two kanji that are a word and begin with a common first kanji (長谷, 五十, 佐々), then a
    # common last kanji (川, 嵐, 木)
    heads = [a + b for a in starts for b in level1 if d.lookup(a + b)]
    ends = [c for c, _ in Counter(n[-1] for n in pairs).most_common(300)]
    for a in starts:
        for rest in pairs:
            if "姓" in kinds(d, a + rest):
                names["姓"].add(a + rest)
    for head in heads:  # 長谷 + 川, 五十 + 嵐, 佐々 + 木
        for c in ends:
            if "姓" in kinds(d, head + c):
                names["姓"].add(head + c)
    OUT.mkdir(parents=True, exist_ok=True)
    for kind, file in (("姓", "family_names.txt"), ("名", "given_names.txt")):
        (OUT / file).write_text("\n".join(sorted(names[kind])) + "\n", encoding="utf-8")
        print(file, len(names[kind]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
