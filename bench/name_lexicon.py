"""Build the scanner's name lexicon (rouei/scanning/detectors/lexicon/) from SudachiDict.

    uv run --group bench python bench/name_lexicon.py

SudachiDict (Works Applications, Apache License 2.0; the ``sudachidict_core`` wheel the ``ner``
extra and the bench group install) tags proper nouns of people as 名詞,固有名詞,人名,姓 (family
name) or 名 (given name). sudachipy has no call that lists the lexicon, so this reads the
surfaces from the dictionary file itself: ``system.dic`` holds a header, the grammar (parts of
speech, connection matrix) and then the lexicon's keys as a double-array trie (darts-clone
layout); walking that trie over the UTF-8 bytes of CJK characters gives every surface of one to
``MAX_CHARS`` characters (五十嵐, 勅使河原, 真由美: words an earlier build, which guessed candidates
from kanji pairs, could not reach). Each surface made of kanji (and 々) is then asked of sudachipy
itself. A word is kept when no entry of it is a verb, an adverb or a noun that takes する, だ or a
counter (確認, 必要): 山田 (also a common noun) stays. One name a line, sorted.

family_readings.txt and given_readings.txt give the readings as a name (katakana, the
dictionary's 読み of its 人名 entries) of every such word, also of those the name lists leave out
as common words (清, 誠): ``山田<TAB>ヤマダ``, several separated by spaces. The
scanner links a relative written in kana (くろだ いちろう) to the same name in kanji with them.
"""

from __future__ import annotations

import re
import struct
import sys
from pathlib import Path

import numpy as np
import sudachidict_core
from sudachipy import Dictionary

OUT = Path(__file__).resolve().parent.parent / "rouei" / "scanning" / "detectors" / "lexicon"
SYSTEM_DIC = Path(sudachidict_core.__file__).parent / "resources" / "system.dic"
MAX_CHARS = 4  # the longest family names (勅使河原, 武者小路); prose.SURNAME_MAX
_KANJI_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005]+")


def _string_end(buf: bytes, at: int) -> int:
    """Past one string of the grammar: a length (1 byte, or 2 when the high bit is set) in
    UTF-16 units, then the UTF-16LE text."""
    n = buf[at]
    at += 1
    if n >= 128:
        n = ((n & 0x7F) << 8) | buf[at]
        at += 1
    return at + 2 * n


def surfaces(path: Path = SYSTEM_DIC, max_chars: int = MAX_CHARS) -> list[str]:
    """Every key of the dictionary's trie of 1 to ``max_chars`` characters in U+3000–U+9FFF
    (three UTF-8 bytes each), breadth first, all nodes of a level at once."""
    buf = path.read_bytes()
    at = 272  # header: version, creation time, a 256-byte description
    (pos_count,) = struct.unpack_from("<H", buf, at)
    at += 2
    for _ in range(pos_count * 6):  # six strings a part of speech
        at = _string_end(buf, at)
    left, right = struct.unpack_from("<hh", buf, at)
    at += 4 + 2 * left * right  # the connection matrix
    (size,) = struct.unpack_from("<I", buf, at)
    units = np.frombuffer(buf, dtype="<u4", count=size, offset=at + 4).astype(np.int64)
    label = units & ((1 << 31) | 0xFF)
    offset = (units >> 10) << ((units & (1 << 9)) >> 6)
    has_leaf = ((units >> 8) & 1).astype(bool)
    lead, tail = np.arange(0xE3, 0xEA), np.arange(0x80, 0xC0)  # U+3000–U+9FFF
    nodes, keys = np.array([offset[0]]), [b""]
    found: list[bytes] = []
    for _ in range(max_chars):
        for candidates in (lead, tail, tail):
            child = nodes[:, None] ^ candidates[None, :]
            ok = child < size
            child = np.where(ok, child, 0)
            ok &= label[child] == candidates[None, :]
            parent, which = np.nonzero(ok)
            child = child[parent, which]
            keys = [keys[p] + bytes((c,)) for p, c in zip(parent.tolist(),
                                                          candidates[which].tolist(), strict=True)]
            nodes = child ^ offset[child]
            ends = has_leaf[child]
        found += [k for k, end in zip(keys, ends.tolist(), strict=True) if end]
    return [k.decode("utf-8") for k in found]


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


def name_readings(d: Dictionary, word: str, kind: str) -> list[str]:
    """The readings of the word's entries as a family (姓) or given (名) name, sorted."""
    return sorted({m.reading_form() for m in d.lookup(word)
                   if m.part_of_speech()[2:4] == ("人名", kind) and m.reading_form()})


def main() -> int:
    d = Dictionary(dict="core")
    names: dict[str, set[str]] = {"姓": set(), "名": set()}
    read: dict[str, dict[str, list[str]]] = {"姓": {}, "名": {}}
    for word in surfaces():
        if _KANJI_WORD.fullmatch(word) and not word.startswith("々"):
            for kind in kinds(d, word):
                names[kind].add(word)
            # readings also of names that are common words too (清, 誠): a name's reading
            # links it to its kana whatever else the word may be
            for kind in ("姓", "名"):
                if readings := name_readings(d, word, kind):
                    read[kind][word] = readings
    OUT.mkdir(parents=True, exist_ok=True)
    for kind, file in (("姓", "family_names.txt"), ("名", "given_names.txt")):
        (OUT / file).write_text("\n".join(sorted(names[kind])) + "\n", encoding="utf-8")
        print(file, len(names[kind]))
    for kind, file in (("姓", "family_readings.txt"), ("名", "given_readings.txt")):
        lines = [f"{w}\t{' '.join(r)}" for w, r in sorted(read[kind].items())]
        (OUT / file).write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(file, len(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
