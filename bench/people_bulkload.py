"""A large registry written straight into PostgreSQL, for the look-up and print-data benches.

    uv run --group bench python bench/people_bulkload.py --people 1000000

Bench only: ``rouei people import`` is the way people enter a registry (parsing, merging,
rejecting rows, the audit event); this writes what an import of a realistic export would have
left behind, 20–50× faster, so that a 10-million-person registry can be built in minutes:

- one ``Person`` row per person with the record sealed as the import seals it
  (``rouei.core.crypto.seal``, AES-GCM) and one ``PersonKey`` row
  per blind index ``rouei.people.registry.lookup_values`` gives (the import's own keys), so the
  app reads these rows as it reads imported ones;
- the records as an import stores them: names with and without the ideographic space, readings
  in full- and half-width kana, e-mails, phones in the domestic digits form, birth dates in ISO,
  postal codes of seven digits, addresses with 丁目 or hyphens; 8 % share a household with the
  person before (same family name, address and landline), 10 % have a former name, 12 % no
  e-mail, 4 % no postal address; items from six realistic sets (card data for a fifth), 85 %
  confirmed;
- a sample of look-ups *as callers give them* (other widths, hyphens, +81, 和暦, upper-case
  e-mail, a reference number in lower case with spaces, a name with the address written
  another way) and 10 % callers who are not in the registry.

Records and keys are computed on every core (``--jobs``) and COPYed by one connection; both
tables' indexes and constraints (the key table's primary key too, not the person table's) are
dropped for the load and built again after it (as a restore does). The load is one transaction
that empties the tables first, so that COPY FREEZEs the rows (and marks their pages
all-visible: no VACUUM pass over the heap is needed for the look-up's index-only scans). The
keys are the import's: ``lookup_values`` with the import's HMAC (``crypto.blind_indexer``), the
two forms of each distinct address computed once (a memo: the rules are pure functions of the
text); after the load, the keys of 500 people read back are compared with
``registry.digests`` of their decrypted records (``check_keys``). The
database ``--db`` is dropped and created; the setup (incident, operators with one API token
each) and the sample are written to ``$ROUEI_BENCH_DIR/people-large/setup.json`` for
``bench/people_lookup.py`` and ``bench/people_print.py``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import subprocess
import sys
import time
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WORK, machine

OUT = WORK / "people-large"
FAMILY = [("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"),
          ("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"),
          ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("山田", "ヤマダ"),
          ("佐々木", "ササキ"), ("山口", "ヤマグチ"), ("松本", "マツモト"), ("井上", "イノウエ"),
          ("木村", "キムラ"), ("林", "ハヤシ"), ("斎藤", "サイトウ"), ("清水", "シミズ"),
          ("髙橋", "タカハシ"), ("山﨑", "ヤマサキ"), ("長谷川", "ハセガワ"), ("石川", "イシカワ")]
GIVEN = [("太郎", "タロウ"), ("花子", "ハナコ"), ("一郎", "イチロウ"), ("美咲", "ミサキ"),
         ("健太", "ケンタ"), ("陽菜", "ヒナ"), ("大輔", "ダイスケ"), ("結衣", "ユイ"),
         ("翔太", "ショウタ"), ("さくら", "サクラ"), ("直樹", "ナオキ"), ("愛", "アイ"),
         ("拓也", "タクヤ"), ("真由美", "マユミ"), ("誠", "マコト"), ("恵子", "ケイコ"),
         ("大翔", "ヒロト"), ("凛", "リン"), ("蓮", "レン"), ("葵", "アオイ"),
         ("和子", "カズコ"), ("隆", "タカシ"), ("明美", "アケミ"), ("悠斗", "ユウト")]
TOWNS = ["東京都千代田区千代田", "大阪府大阪市北区梅田", "愛知県名古屋市中区栄", "福岡県福岡市博多区博多駅前",
         "北海道札幌市中央区北一条西", "宮城県仙台市青葉区中央", "広島県広島市中区基町",
         "神奈川県横浜市西区高島", "京都府京都市下京区四条通", "沖縄県那覇市久茂地",
         "埼玉県さいたま市大宮区桜木町", "千葉県千葉市中央区富士見", "兵庫県神戸市中央区三宮町"]
BUILDINGS = ["", "", "", " コーポ山田201", "　グランドハイツ305号室", " ABCマンション1203"]
DOMAINS = ["example.jp", "example.co.jp", "mail.example", "example.ne.jp"]
ITEM_SETS = [
    ["person_name", "address", "phone", "email"],
    ["person_name", "name_kana", "address", "phone", "email", "birth_date"],
    ["person_name", "address", "phone", "email", "credit_card", "card_expiry"],
    ["person_name", "email", "password"],
    ["person_name", "name_kana", "postal_code", "address", "phone", "birth_date"],
    ["person_name", "address", "phone", "email", "credit_card", "card_expiry",
     "card_security_code"],
]
CONTROLLERS = ["", "", "", "株式会社サンプル通販", "サンプル生命保険株式会社"]
TO_WIDE = str.maketrans("0123456789-", "０１２３４５６７８９－")
HALF_KANA = str.maketrans({"ア": "ｱ", "イ": "ｲ", "ウ": "ｳ", "エ": "ｴ", "オ": "ｵ", "カ": "ｶ",
                           "キ": "ｷ", "ク": "ｸ", "ケ": "ｹ", "コ": "ｺ", "サ": "ｻ", "シ": "ｼ",
                           "ス": "ｽ", "タ": "ﾀ", "ト": "ﾄ", "ナ": "ﾅ", "ハ": "ﾊ", "マ": "ﾏ",
                           "ヤ": "ﾔ", "ラ": "ﾗ", "リ": "ﾘ", "レ": "ﾚ", "ロ": "ﾛ", "ン": "ﾝ"})
NAME_SPACES = [" ", "　", ""]
MAILBOXES = ["user", "taro", "h.", "info"]
KANJI_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")
CHUNK = 20_000
SAMPLE_EVERY = 400  # about 2,500 callers a million people


def _typed_phone(rng: random.Random, digits: str) -> str:
    a, b, c = (digits[:3], digits[3:7], digits[7:]) if len(digits) == 11 else (
        digits[:2], digits[2:6], digits[6:])
    return rng.choice([f"{a}-{b}-{c}", f"+81-{a[1:]}-{b}-{c}", f"{a}-{b}-{c}".translate(TO_WIDE),
                       f"({a}){b}-{c}", digits, f"{a} {b} {c}"])


def _era(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    if 1926 <= y <= 1988:
        return f"昭和{y - 1925}年{m}月{d}日"
    if y >= 1989:
        return f"平成{y - 1988}年{m}月{d}日"
    return f"{y}年{m}月{d}日"


def _address_variant(rng: random.Random, address: str) -> str:
    """The address as a caller says it: 丁目・番・号 for hyphens, full-width digits, or both."""
    town, _, rest = address.partition("|")
    street = rest.split(" ")[0].split("　")[0]
    # Half the callers leave out the building and room the record holds (found through the
    # key without the room, ``name_place``).
    building = rest[len(street):] if rng.random() < 0.5 else ""
    numbers = street.split("-")
    style = rng.randrange(3)
    if style == 0 and len(numbers) == 3:
        return f"{town}{numbers[0]}丁目{numbers[1]}番{numbers[2]}号{building}"
    if style == 1:
        return (town + rest).translate(TO_WIDE)
    return town + rest.replace("-", "−")


def make_chunk(args: tuple[int, int, int, int, str]) -> tuple[bytes, bytes, list[dict], int]:
    """People ``start``..``start+count`` (ids from ``first_id``): COPY text of the person and
    key rows, the callers sampled, and the number of keys."""
    import django

    django.setup()
    from django.utils import timezone

    from rouei.core.crypto import aeads, blind_indexer, index_keys, seal
    from rouei.people.models import NoticeStatus, digest_prefix
    from rouei.people.registry import PersonRecord, lookup_values, new_reference

    start, count, first_id, incident_id, seed = args
    rng = random.Random(f"{seed}:{start}")
    # The import's own HMAC (``preparing``): the key's padded blocks hashed once.
    index_digest, cipher = blind_indexer(index_keys()[0]), aeads()[0]
    stamp = timezone.now().isoformat()
    # Every value a row holds but the sealed record is one of COPY's plain values (ids, ISO
    # times, the JSON of item ids, the controllers above, t/f): checked once here, not per row.
    for value in (stamp, *CONTROLLERS, *map(_items_json, ITEM_SETS),
                  NoticeStatus.NOT_NOTIFIED.value):
        _copy_value(value)
    row_tail = {(confirmed, controller, has_email, has_postal):
                f"\t{'tf'[not confirmed]}\t{controller}\t{'tf'[not has_email]}"
                f"\t{'tf'[not has_postal]}\t{NoticeStatus.NOT_NOTIFIED.value}"
                for confirmed in (True, False) for controller in CONTROLLERS
                for has_email in (True, False) for has_postal in (True, False)}
    row_head = f"\t{stamp}\t{stamp}\t{incident_id}\t"
    key_head = f"\t{incident_id}\t"
    items_json = [_items_json(items) for items in ITEM_SETS]
    random_float, choice = rng.random, rng.choice
    people, keys, sample = [], [], []
    previous = None
    for index in range(start, start + count):
        person_id = first_id + index
        household = previous is not None and random_float() < 0.08
        g, g_kana = choice(GIVEN)
        if household:
            f, f_kana, town, rest, landline = previous
        else:
            f, f_kana = choice(FAMILY)
            town = choice(TOWNS)
            # ``int(random() * n)`` rather than ``randint``: the same uniform draws at a
            # fifth of the cost (ten draws a person, a hundred million for 10 M people).
            rest = (f"{1 + int(random_float() * 9)}-{1 + int(random_float() * 30)}"
                    f"-{1 + int(random_float() * 20)}{choice(BUILDINGS)}")
            landline = f"0{3 + int(random_float() * 97)}{10**7 + int(random_float() * 9 * 10**7)}"[:10]
        name = f"{f}{choice(NAME_SPACES)}{g}"
        kana = f"{f_kana} {g_kana}"
        if random_float() < 0.2:
            kana = kana.translate(HALF_KANA)
        mobile = f"0{choice('987')}0{index % 10**8:08d}"
        phones = (mobile, landline) if random_float() < 0.3 else (mobile,)
        email = (f"{choice(MAILBOXES)}{index}@{choice(DOMAINS)}"
                 if random_float() > 0.12 else "")
        birth = (f"{1940 + int(random_float() * 66)}-{1 + int(random_float() * 12):02d}"
                 f"-{1 + int(random_float() * 28):02d}")
        has_postal = random_float() > 0.04
        former = (f"{choice(FAMILY)[0]}{g}",) if random_float() < 0.1 else ()
        address = town + rest if has_postal else ""
        record = PersonRecord(
            ref=new_reference(), name=name, kana=kana,
            postal_code=(f"{100 + int(random_float() * 900)}{int(random_float() * 10000):04d}"
                         if has_postal else ""),
            address=address, email=email, phones=phones,
            birth_date=birth, former_names=former)
        items = int(random_float() * len(ITEM_SETS))
        # The record sealed as the import seals it (``preparing``: AES-GCM, ``crypto.seal``):
        # a sealed token is URL-safe base64 after its prefix, none of COPY's specials.
        people.append(f"{person_id}{row_head}{seal(record.to_json(), cipher)}\t"
                      f"{items_json[items]}"
                      f"{row_tail[random_float() < 0.85, choice(CONTROLLERS), bool(email), has_postal]}")
        # The address's two forms (with and without the room) memoised: ~400,000 distinct
        # addresses for millions of people; the keys are ``lookup_values``' own.
        for kind, value in lookup_values(record, _address_forms(address)):
            digest = index_digest(kind, value)
            keys.append(f"{person_id}{key_head}{kind}\t\\\\x{digest.hex()}\t"
                        f"{digest_prefix(digest)}")
        previous = (f, f_kana, town, rest, landline)
        if index % SAMPLE_EVERY == 0:
            sample.append(_caller(rng, record, town, rest))
        if index % SAMPLE_EVERY == SAMPLE_EVERY // 2 and rng.random() < 0.4:
            # A caller who is not in the registry (10 % of the calls): a phone nobody has.
            sample.append({"phone": _typed_phone(rng, f"0{rng.choice('987')}1{index:08d}"[:11]),
                           "expect": "none"})
    return ("\n".join(people) + "\n").encode(), ("\n".join(keys) + "\n").encode(), sample, \
        len(keys)


def _caller(rng: random.Random, record, town: str, rest: str) -> dict:
    """What a caller gives, typed as people type it; ``expect`` says who should be found."""
    way = rng.random()
    if way < 0.35:
        return {"phone": _typed_phone(rng, record.phones[0]), "expect": record.ref}
    if way < 0.55 and record.email:
        return {"email": record.email.upper() if rng.random() < 0.5 else record.email,
                "expect": record.ref}
    if way < 0.75:
        return {"name": record.name.replace(" ", "　") if rng.random() < 0.5 else record.name,
                "birth_date": _era(record.birth_date) if rng.random() < 0.4
                else record.birth_date.replace("-", "/"), "expect": record.ref}
    if way < 0.9 or not record.address:
        spaced = record.ref.lower().replace("-", " ")
        return {"ref": spaced if rng.random() < 0.5 else record.ref.translate(TO_WIDE),
                "birth_date": record.birth_date, "expect": record.ref}
    return {"name": record.name, "address": _address_variant(rng, f"{town}|{rest}"),
            "expect": record.ref}


def _items_json(items: list[str]) -> str:
    return json.dumps(sorted(items))


@lru_cache(maxsize=1 << 20)
def _address_forms(address: str) -> tuple[str | None, str | None]:
    """``identity.address`` of ``address`` with and without the room, as ``lookup_values``
    computes them when not given: pure functions of the text, so computed once per address."""
    from rouei.scanning import identity

    if not address:
        return None, None
    return identity.address(address), identity.address(address, room=False)


_COPY_SPECIALS = re.compile(r"[\t\n\\\r]")


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    text = str(value)
    # Tokens, ISO times, JSON of ids and the controllers above hold none of COPY's specials.
    if _COPY_SPECIALS.search(text):
        raise ValueError("a value COPY would need escaped")
    return text


def check_keys(first_id: int, people: int, count: int = 500) -> int:
    """The keys loaded for ``count`` people spread over the registry are exactly the app's:
    each person's record read back through the model (decrypted) and indexed afresh by
    ``rouei.people.registry.digests`` (``lookup_values`` and ``blind_index``, no memo of the
    loader's), compared with the key rows written. Stops the bench on any difference."""
    from rouei.people.models import Person, PersonKey
    from rouei.people.registry import digests

    rng = random.Random(people)
    ids = sorted({first_id + rng.randrange(people) for _ in range(count)})
    stored: dict[int, set] = {}
    for person_id, kind, digest in PersonKey.objects.filter(person_id__in=ids).values_list(
            "person_id", "kind", "digest"):
        stored.setdefault(person_id, set()).add((kind, bytes(digest)))
    for person in Person.objects.filter(pk__in=ids):
        if stored.get(person.pk, set()) != set(digests(person.record())):
            raise SystemExit(f"person {person.pk}: the keys loaded are not the app's")
    if len(stored) != len(ids):
        raise SystemExit("a sampled person has no keys")
    return len(ids)


def psql(sql: str, db: str = "postgres", pg: str = "127.0.0.1", capture: bool = False) -> str:
    done = subprocess.run(["psql", "-h", pg, "-U", "postgres", "-d", db, "-q", "-At",
                           "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                          capture_output=True, text=True)
    return done.stdout if capture else ""


SETUP = """
import json, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth import get_user_model
from rouei.api.actions import do_create_api_token
from rouei.incidents import actions
User = get_user_model()
lead = User.objects.create_user("lead", password=None)
incident = actions.do_create_incident(title="大規模漏えい（ベンチ）", facts={}, actor=lead)
tokens = []
for n in range(int(sys.argv[1])):
    operator = User.objects.create_user(f"operator{n:02d}", password=None)
    actions.do_add_member(incident, operator, "legal", actor=lead)
    tokens.append(do_create_api_token(operator, name="CTI", actor=lead).secret)
print(json.dumps({"incident": incident.pk, "tokens": tokens}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--operators", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--db", default="rouei_bench_people_large")
    parser.add_argument("--pg", default="127.0.0.1")
    parser.add_argument("--seed", default="12")
    parser.add_argument("--minutes", type=float,
                        help="stop COPYing after this long and build the indexes over the "
                             "people loaded so far (a registry as large as the time allows)")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    data_dir = OUT / "data"
    subprocess.run(["rm", "-rf", str(data_dir)], check=True)
    env = {"DATABASE_URL": f"postgres://postgres@{args.pg}:5432/{args.db}",
           "ROUEI_DATA_DIR": str(data_dir), "ROUEI_REQUIRE_MFA": "0",
           "DJANGO_SETTINGS_MODULE": "rouei.config.settings"}
    os.environ.update(env)
    psql(f"DROP DATABASE IF EXISTS {args.db}", pg=args.pg)
    psql(f"CREATE DATABASE {args.db}", pg=args.pg)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", SETUP, str(args.operators)], check=True,
                          capture_output=True, text=True)
    setup = json.loads(done.stdout.strip().splitlines()[-1])
    incident_id = setup["incident"]

    import django

    django.setup()
    from django.db import connection, transaction

    from rouei.people.maintenance import record_current_key_rules
    from rouei.people.models import Person, PersonKey

    table, keys_table = Person._meta.db_table, PersonKey._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
        first_id = cursor.fetchone()[0]
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                       [table, first_id + args.people])
        # Both tables' constraints (the key table's primary key too) and secondary indexes,
        # dropped for the load and built after it, as a restore does: ~9 keys a person with
        # random digests inserted one by one into a B-tree of 90 M rows would visit its pages
        # at random, while building it after the load is one sort (session 11).
        constraints, indexes = [], []
        for name in (keys_table, table):
            cursor.execute("SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
                           "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') "
                           "ORDER BY contype DESC", [name])
            # Primary keys first when built again; foreign keys last.
            rows = sorted(cursor.fetchall(), key=lambda r: "puf".index(r[2]))
            if name == table:  # the person table keeps its primary key (the keys' target)
                rows = [r for r in rows if r[2] != "p"]
            constraints += [(name, con, definition) for con, definition, _kind in rows]
            cursor.execute("SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE "
                           "i.tablename = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                           "WHERE c.conname = i.indexname)", [name])
            indexes += cursor.fetchall()
        for name, con, _definition in reversed(constraints):
            cursor.execute(f'ALTER TABLE "{name}" DROP CONSTRAINT "{con}"')
        for index, _definition in indexes:
            cursor.execute(f'DROP INDEX "{index}"')
    connection.close()

    chunks = [(start, min(CHUNK, args.people - start), first_id, incident_id, args.seed)
              for start in range(0, args.people, CHUNK)]
    sample: list[dict] = []
    key_rows = loaded_people = 0
    computed = time.perf_counter()
    stop = computed + args.minutes * 60 if args.minutes else None
    # One transaction for the load, with the tables emptied in it, so that COPY can FREEZE:
    # its rows are written already frozen and their pages marked all-visible (PostgreSQL 14+),
    # what the VACUUM after an ordinary load does in a second pass over ~20 GB at 10 M people
    # (the look-up's index-only scans need the visibility map). The tables are logged as the
    # app's are: nothing else differs from an import's rows.
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool, \
            transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'TRUNCATE "{table}", "{keys_table}" CASCADE')
        raw = cursor.cursor
        for n, (people, keys, callers, count) in enumerate(pool.imap(make_chunk, chunks)):
            with raw.copy(f'COPY "{table}" (id, created_at, updated_at, incident_id, sealed, '
                          'items, confirmed, controller, has_email, has_postal, notice_status) '
                          'FROM STDIN (FREEZE)') as copy:
                copy.write(people)
            with raw.copy(f'COPY "{keys_table}" (person_id, incident_id, kind, digest, digest_prefix) '
                          'FROM STDIN (FREEZE)') as copy:
                copy.write(keys)
            sample.extend(callers)
            key_rows += count
            loaded_people += chunks[n][1]
            if stop is not None and time.perf_counter() > stop:
                pool.terminate()
                break
            if n % 10 == 0:
                print(f"{(n + 1) * CHUNK:,} people, {time.perf_counter() - computed:.0f} s",
                      flush=True)
    loaded = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '2GB'")
        for name, con, definition in constraints:
            cursor.execute(f'ALTER TABLE "{name}" ADD CONSTRAINT "{con}" {definition}')
        for _index, definition in indexes:
            cursor.execute(definition)
    # VACUUM, not only ANALYZE: it sets the visibility map, without which the look-up's
    # index-only scan of the key table still reads a heap page per key found (an import's
    # rows get this from autovacuum; the look-up bench must not wait for it). Django's
    # connection is in autocommit here, as VACUUM needs.
    with connection.cursor() as cursor:
        cursor.execute(f'VACUUM (ANALYZE) "{table}"')
        cursor.execute(f'VACUUM (ANALYZE) "{keys_table}"')
    indexed = time.perf_counter()
    checked = check_keys(first_id, loaded_people)
    # The keys are lookup_values' own, as an import into an empty registry records them.
    record_current_key_rules([incident_id])
    size = psql(f"SELECT pg_size_pretty(pg_database_size('{args.db}'))", pg=args.pg,
                capture=True).strip()
    result = {"people": loaded_people, "key_rows": key_rows, "callers": len(sample),
              "load_s": round(loaded - computed, 1), "index_s": round(indexed - loaded, 1),
              "total_s": round(indexed - started, 1), "database_size": size,
              "keys_checked_people": checked,
              "load_average": os.getloadavg(), "machine": machine()}
    (OUT / "setup.json").write_text(json.dumps({
        "env": env, "incident": incident_id, "tokens": setup["tokens"], "sample": sample,
        "load": result}, ensure_ascii=False))
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
