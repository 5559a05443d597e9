"""A large Japanese customer CSV for the throughput benchmark, built vectorised (numpy, polars)
from Faker ja_JP's name and place lists, with valid phones (numbering plan), card numbers (Luhn,
brand prefixes) and postal codes. Every non-empty cell of an item column is that item, so a
slice's truth is the columns themselves (``COLUMNS``).

    uv run python bench/bigfile.py [--rows 1000000] [--out /tmp/rouei-bench/big]

writes customers_1m.csv (UTF-8, LF) and customers_1m_cp932.csv (CP932, CRLF, as Excel saves),
and reuses them when they exist with the same rows and seed (a .meta.json beside them).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import WORK
from corpus import AREAS, DOMAINS

# header → catalogue id (None: not an item)
COLUMNS = {"会員番号": None, "氏名": "person_name", "フリガナ": "name_kana", "性別": "gender",
           "生年月日": "birth_date", "郵便番号": "postal_code", "住所": "address",
           "電話番号": "phone", "メールアドレス": "email", "カード番号": "credit_card"}


def _pick(rng: np.random.Generator, values: list[str], n: int) -> pl.Series:
    return pl.Series(values).gather(rng.integers(0, len(values), n))


def _digits(rng: np.random.Generator, n: int, width: int, low: int = 0) -> pl.Series:
    """Random numbers of ``width`` digits as zero-padded strings, at least ``low``."""
    return pl.Series(rng.integers(low, 10**width, n)).cast(pl.Utf8).str.zfill(width)


def _cards(rng: np.random.Generator, n: int) -> pl.Series:
    """16-digit Visa, Mastercard and JCB numbers with a correct Luhn digit."""
    prefixes = np.array([4, 51, 52, 53, 54, 55, 3528, 3540, 3566, 3589])
    prefix = prefixes[rng.integers(0, len(prefixes), n)]
    plen = np.floor(np.log10(prefix)).astype(np.int64) + 1
    rest = rng.integers(0, 10**12, n, dtype=np.int64)  # 12 random digits, then trimmed
    body = prefix * 10 ** (15 - plen) + rest % 10 ** (15 - plen)  # 15 digits
    digits = (body[:, None] // 10 ** np.arange(15)[None, :]) % 10  # column k: 10^k place
    doubled = digits[:, 0::2] * 2  # places 10^0, 10^2, … are doubled once the check is added
    doubled = np.where(doubled > 9, doubled - 9, doubled)
    total = doubled.sum(axis=1) + digits[:, 1::2].sum(axis=1)
    check = (10 - total % 10) % 10
    return pl.Series(body * 10 + check).cast(pl.Utf8)


def build(rows: int, seed: int = 7) -> pl.DataFrame:
    from faker.providers.address.ja_JP import Provider as Address
    from faker.providers.person.ja_JP import Provider as Person

    rng = np.random.default_rng(seed)
    lasts = list(Person.last_name_pairs)
    firsts_m, firsts_f = list(Person.first_name_male_pairs), list(Person.first_name_female_pairs)
    firsts = firsts_m + firsts_f
    last_i = rng.integers(0, len(lasts), rows)
    female = rng.random(rows) < 0.5
    first_i = np.where(female, len(firsts_m) + rng.integers(0, len(firsts_f), rows),
                       rng.integers(0, len(firsts_m), rows))
    col = lambda pool, idx, k: pl.Series([p[k] for p in pool]).gather(idx)
    last, last_kana, last_roman = (col(lasts, last_i, k) for k in range(3))
    first, first_kana, first_roman = (col(firsts, first_i, k) for k in range(3))
    birth = pl.Series(np.datetime64("1940-01-01")
                      + rng.integers(0, 365 * 65, rows).astype("timedelta64[D]"))
    mobile = rng.random(rows) < 0.6
    area_i = rng.integers(0, len(AREAS), rows)
    area = pl.Series([a for a, _ in AREAS]).gather(area_i)
    width = np.array([w for _, w in AREAS])[area_i]
    exchange = pl.Series(2 * 10 ** (width - 1) + rng.integers(0, 10**9, rows)
                         % (8 * 10 ** (width - 1))).cast(pl.Utf8)
    has_card = rng.random(rows) < 0.55
    frame = pl.DataFrame({
        "last": last, "first": first, "last_kana": last_kana, "first_kana": first_kana,
        "roman": (first_roman + "." + last_roman).str.to_lowercase(),
        "female": female, "birth": birth,
        "p1": _digits(rng, rows, 3, 1), "p2": _digits(rng, rows, 4),
        "pref": _pick(rng, list(Address.prefectures), rows),
        "city": _pick(rng, list(Address.cities), rows),
        "town": _pick(rng, list(Address.towns), rows),
        "town2": _pick(rng, list(Address.towns), rows),
        "building": _pick(rng, list(Address.building_names), rows),
        "room": pl.Series(rng.integers(101, 1209, rows)).cast(pl.Utf8),
        "has_building": rng.random(rows) < 0.4,
        "c": pl.Series(rng.integers(1, 10, rows)).cast(pl.Utf8),
        "b": pl.Series(rng.integers(1, 31, rows)).cast(pl.Utf8),
        "g": pl.Series(rng.integers(1, 26, rows)).cast(pl.Utf8),
        "mobile": mobile,
        "mprefix": _pick(rng, ["090", "080", "070"], rows),
        "m1": _digits(rng, rows, 4, 1000), "m2": _digits(rng, rows, 4),
        "area": area, "exchange": exchange, "sub": _digits(rng, rows, 4),
        "hyphen": rng.random(rows) < 0.8,
        "domain": _pick(rng, list(DOMAINS), rows),
        "has_email": rng.random(rows) < 0.9,
        "card": _cards(rng, rows), "has_card": has_card,
        "card_hyphen": rng.random(rows) < 0.5,
    })
    phone_h = (pl.when(pl.col("mobile"))
               .then(pl.concat_str("mprefix", "m1", "m2", separator="-"))
               .otherwise(pl.concat_str("area", "exchange", "sub", separator="-")))
    card = pl.col("card")
    return frame.select(
        pl.format("M{}", (pl.int_range(pl.len()) + 10_000_000).cast(pl.Utf8)).alias("会員番号"),
        pl.concat_str("last", "first", separator=" ").alias("氏名"),
        pl.concat_str("last_kana", "first_kana", separator=" ").alias("フリガナ"),
        pl.when("female").then(pl.lit("女性")).otherwise(pl.lit("男性")).alias("性別"),
        pl.col("birth").dt.strftime("%Y/%m/%d").alias("生年月日"),
        pl.concat_str("p1", "p2", separator="-").alias("郵便番号"),
        (pl.concat_str("pref", "city", "town", "c", pl.lit("丁目"), "b", pl.lit("番"), "g",
                       pl.lit("号"))
         + pl.when("has_building").then(pl.concat_str(pl.lit(" "), "town2", "building",
                                                      "room"))
         .otherwise(pl.lit(""))).alias("住所"),
        pl.when("hyphen").then(phone_h).otherwise(phone_h.str.replace_all("-", ""))
        .alias("電話番号"),
        pl.when("has_email").then(pl.format("{}{}@{}", "roman",
                                             pl.int_range(pl.len()).cast(pl.Utf8), "domain"))
        .otherwise(pl.lit(None, pl.Utf8)).alias("メールアドレス"),
        pl.when(~pl.col("has_card")).then(pl.lit(None, pl.Utf8))
        .when("card_hyphen").then(pl.concat_str(card.str.slice(0, 4), card.str.slice(4, 4),
                                                card.str.slice(8, 4), card.str.slice(12, 4),
                                                separator="-"))
        .otherwise(card).alias("カード番号"),
    )


def ensure(rows: int = 1_000_000, out: Path | None = None, seed: int = 7) -> tuple[Path, Path]:
    out = out or WORK / "big"
    out.mkdir(parents=True, exist_ok=True)
    stem = f"customers_{rows // 1_000_000}m" if rows % 1_000_000 == 0 else f"customers_{rows}"
    utf8, cp932 = out / f"{stem}.csv", out / f"{stem}_cp932.csv"
    meta = out / f"{stem}.meta.json"
    want = {"rows": rows, "seed": seed, "columns": list(COLUMNS)}
    if utf8.exists() and cp932.exists() and meta.exists() and \
            json.loads(meta.read_text()) == want:
        return utf8, cp932
    frame = build(rows, seed)
    frame.write_csv(utf8)
    text = utf8.read_bytes().decode("utf-8")
    cp932.write_bytes(text.replace("\n", "\r\n").encode("cp932"))
    meta.write_text(json.dumps(want, ensure_ascii=False))
    return utf8, cp932


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    for path in ensure(args.rows, args.out):
        print(f"{path}: {path.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
