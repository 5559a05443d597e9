"""The registry of affected people at scale (issue 12): import, look-up, print data.

    uv run --group bench python bench/people_registry.py --rows 1000000

1. Writes a realistic customer export (seeded): names with and without the ideographic space,
   readings in full- and half-width kana, postal codes with and without 〒 and hyphen, phones in
   six styles (+81, full-width, parentheses, no hyphen, a lost leading 0), e-mails in mixed
   case, birth dates in 西暦 and 和暦, an order number and a product code (decoys), the shop's
   own phone, a 備考 free-text column in ~70% of rows, and 3% re-registrations of the same
   person typed differently.
   (和暦 dates exist: 昭和 to 1989-01-07, 平成 from 1989-01-08, the first year written 元年.)
2. The floor: PostgreSQL's own COPY of the same CSV into a plain table of text columns, in the
   same run (``psql \\copy``: the fastest a database can take the file).
3. ``rouei people import`` into a fresh PostgreSQL database (encryption and blind indexes
   included): people per second, the ratio to the floor, peak RSS (``--rows`` 100k and 1M show
   whether memory grows with the file).
4. Look-ups: ``--operators`` threads (default 50), each a session of its own asking the API
   ``POST /api/v1/incidents/{id}/people/lookup`` on loopback with a phone, an e-mail or a name
   with a birth date from the file (typed differently from the file): p50/p99.
5. ``rouei people print-data`` for the whole registry: seconds.

``--import-only``: steps 1–3 alone (with the load average before and after the import).

Everything runs against PostgreSQL at ``--pg`` (default the local server); the bench database
``rouei_bench_people`` (``--db``) is dropped and created. Results: /tmp/rouei-bench/results/people.json.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WORK, machine, rouei_command, run_timed

DB = "rouei_bench_people"
FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田",
          "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水", "髙橋", "山﨑"]
FAMILY_KANA = ["サトウ", "スズキ", "タカハシ", "タナカ", "イトウ", "ワタナベ", "ヤマモト", "ナカムラ",
               "コバヤシ", "カトウ", "ヨシダ", "ヤマダ", "ササキ", "ヤマグチ", "マツモト", "イノウエ",
               "キムラ", "ハヤシ", "サイトウ", "シミズ", "タカハシ", "ヤマサキ"]
GIVEN = ["太郎", "花子", "一郎", "美咲", "健太", "陽菜", "大輔", "結衣", "翔太", "さくら", "直樹",
         "愛", "拓也", "真由美", "誠", "恵子", "大翔", "凛", "蓮", "葵"]
GIVEN_KANA = ["タロウ", "ハナコ", "イチロウ", "ミサキ", "ケンタ", "ヒナ", "ダイスケ", "ユイ", "ショウタ",
              "サクラ", "ナオキ", "アイ", "タクヤ", "マユミ", "マコト", "ケイコ", "ヒロト", "リン",
              "レン", "アオイ"]
TOWNS = ["東京都千代田区千代田", "大阪府大阪市北区梅田", "愛知県名古屋市中区栄", "福岡県福岡市博多区博多駅前",
         "北海道札幌市中央区北一条西", "宮城県仙台市青葉区中央", "広島県広島市中区基町",
         "神奈川県横浜市西区高島", "京都府京都市下京区四条通", "沖縄県那覇市久茂地"]
NOTES = ["再配達希望", "ギフト包装", "電話連絡は夕方以降でお願いします", "前回の注文と同じ住所",
         "領収書を同封してください", "置き配可", "", "母の日のプレゼントです", "お急ぎ便"]
HEADER = ["会員番号", "氏名", "フリガナ", "郵便番号", "住所", "電話番号", "メールアドレス", "生年月日",
          "注文番号", "商品コード", "店舗電話", "備考"]
TO_WIDE = str.maketrans("0123456789-", "０１２３４５６７８９－")
HALF_KANA = str.maketrans({"ア": "ｱ", "イ": "ｲ", "ウ": "ｳ", "エ": "ｴ", "オ": "ｵ", "カ": "ｶ",
                           "キ": "ｷ", "ク": "ｸ", "ケ": "ｹ", "コ": "ｺ", "サ": "ｻ", "シ": "ｼ",
                           "ス": "ｽ", "タ": "ﾀ", "ト": "ﾄ", "ナ": "ﾅ", "ハ": "ﾊ", "マ": "ﾏ",
                           "ヤ": "ﾔ", "ラ": "ﾗ", "リ": "ﾘ", "レ": "ﾚ", "ロ": "ﾛ", "ン": "ﾝ"})


# The names above are the commonest; alone (22 × 20 names) they make one person in ~440 share a
# name, so that at a million rows tens of thousands of different people share a name and a
# birth date and are merged into one (and at ten million, most are): no real list is like that.
# ``names="wide"`` (the default) keeps them as the head, at roughly their share of the real
# population (the 22 commonest family names are ~1 in 5 Japanese), and draws the rest from the
# project's name lexicon (SudachiDict's 姓 and 名, rouei/scanning/detectors/lexicon/) with their
# readings from SudachiDict: ~1.7e-6 of pairs of rows then share a name. ``names="narrow"`` is
# the export of sessions 10-14, row for row the same (to compare with their figures).
NAME_TABLES = ("wide", "narrow")
COMMON_FAMILY_SHARE = 0.22
COMMON_GIVEN_SHARE = 0.10
WIDE_FAMILY_NAMES = 5_000
WIDE_GIVEN_NAMES = 10_000
LEXICON = Path(__file__).resolve().parent.parent / "rouei" / "scanning" / "detectors" / "lexicon"


@functools.cache
def wide_names(seed: int = 12) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(family names, given names) beyond the common ones: (kanji, katakana reading), a seeded
    sample of the lexicon's words of two or three characters that SudachiDict reads as one
    person's name of that kind."""
    from sudachipy import Dictionary

    tokenizer = Dictionary(dict="core").create()
    rng = random.Random(seed)

    def sample(file: str, tag: str, wanted: int, common: list[str]) -> list[tuple[str, str]]:
        words = [w for w in (LEXICON / file).read_text(encoding="utf-8").split()
                 if 2 <= len(w) <= 3 and w not in common]
        rng.shuffle(words)
        chosen: list[tuple[str, str]] = []
        for word in words:
            morphemes = tokenizer.tokenize(word)
            if len(morphemes) != 1:
                continue
            m = morphemes[0]
            reading = m.reading_form()
            if m.part_of_speech()[:4] != ("名詞", "固有名詞", "人名", tag) or not all(
                    "\u30a1" <= c <= "\u30fc" for c in reading):
                continue
            chosen.append((word, reading))
            if len(chosen) >= wanted:
                break
        return chosen

    return (sample("family_names.txt", "姓", WIDE_FAMILY_NAMES, FAMILY),
            sample("given_names.txt", "名", WIDE_GIVEN_NAMES, GIVEN))


def _name(rng: random.Random, names: str) -> tuple[str, str, str, str]:
    """(family, its reading, given, its reading)."""
    if names == "narrow":
        f, g = rng.randrange(len(FAMILY)), rng.randrange(len(GIVEN))
        return FAMILY[f], FAMILY_KANA[f], GIVEN[g], GIVEN_KANA[g]
    family, given = wide_names()
    if rng.random() < COMMON_FAMILY_SHARE:
        f = rng.randrange(len(FAMILY))
        family_pair = FAMILY[f], FAMILY_KANA[f]
    else:
        family_pair = family[rng.randrange(len(family))]
    if rng.random() < COMMON_GIVEN_SHARE:
        g = rng.randrange(len(GIVEN))
        given_pair = GIVEN[g], GIVEN_KANA[g]
    else:
        given_pair = given[rng.randrange(len(given))]
    return (*family_pair, *given_pair)


def _phone(rng: random.Random, digits: str) -> str:
    a, b, c = digits[:3], digits[3:7], digits[7:]
    style = rng.randrange(6)
    return [f"{a}-{b}-{c}", f"+81-{a[1:]}-{b}-{c}", f"{a}-{b}-{c}".translate(TO_WIDE),
            f"({a}){b}-{c}", digits, digits[1:]][style]


# 和暦 as forms write it: 昭和 to 1989-01-07, 平成 from 1989-01-08, the first year 元年.
SHOWA_END, HEISEI_START = (1989, 1, 7), (1989, 1, 8)


def _era_date(y: int, m: int, d: int) -> str | None:
    if (y, m, d) <= SHOWA_END and y >= 1926:
        era, year = "昭和", y - 1925
    elif (y, m, d) >= HEISEI_START and y <= 2018:
        era, year = "平成", y - 1988
    else:
        return None
    return f"{era}{'元' if year == 1 else year}年{m}月{d}日"


def _birth(rng: random.Random) -> str:
    y, m, d = rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28)
    if (rng.random() < 0.2 and y <= 1988) or (rng.random() < 0.1 and y >= 1989):
        wareki = _era_date(y, m, d)
        if wareki:
            return wareki
    return f"{y}/{m:02d}/{d:02d}" if rng.random() < 0.5 else f"{y}-{m:02d}-{d:02d}"


def write_export(path: Path, rows: int, seed: int = 12, names: str = "wide") -> list[dict]:
    """The export; returns a sample of people (as typed at a window) for the look-ups."""
    sample: list[dict] = []
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(export_rows(rows, seed, sample, names))
    return sample


def export_path(rows: int, names: str = "wide") -> Path:
    """Where the benches keep the export of ``rows`` rows (one file per name tables)."""
    return WORK / "people" / (f"export_{rows}.csv" if names == "narrow"
                              else f"export_{rows}_{names}.csv")


def export_rows(rows: int, seed: int = 12, sample: list[dict] | None = None,
                names: str = "wide"):
    """The export's rows as text, as a CSV holds them (``sample`` collects people for the
    look-ups)."""
    import jaconv

    rng = random.Random(seed)
    sample = [] if sample is None else sample
    written = 0
    number = 0
    while written < rows:
        number += 1
        family, family_kana, given, given_kana = _name(rng, names)
        name = f"{family}{rng.choice([' ', '　', ''])}{given}"
        kana = f"{family_kana} {given_kana}"
        if rng.random() < 0.2:
            kana = (kana.translate(HALF_KANA) if names == "narrow"
                    else jaconv.z2h(kana, kana=True, ascii=False, digit=False))
        digits = f"0{rng.choice('987')}0{number % 10**8:08d}"
        phone = _phone(rng, digits)
        email = f"user{number}@{rng.choice(['example.jp', 'Example.co.jp', 'mail.example'])}"
        birth = _birth(rng)
        postal = f"{rng.randint(100, 999)}-{rng.randint(0, 9999):04d}"
        row = [f"M{number:09d}", name, kana,
               ("〒" + postal) if rng.random() < 0.3 else postal.replace("-", ""),
               f"{rng.choice(TOWNS)}{rng.randint(1, 9)}-{rng.randint(1, 30)}-"
               f"{rng.randint(1, 20)}", phone, email if rng.random() < 0.9 else "", birth,
               f"{rng.randint(10**15, 10**16 - 1)}", f"{rng.randint(10**11, 10**12 - 1)}",
               "03-1234-5678", rng.choice(NOTES) if rng.random() < 0.7 else ""]
        yield row
        written += 1
        if rng.random() < 0.03 and written < rows:  # re-registered, typed differently
            twin = list(row)
            twin[1] = name.replace(" ", "　") if " " in name else name
            twin[5] = _phone(rng, digits)
            twin[6] = email.upper() if email else ""
            yield twin
            written += 1
        if len(sample) < 5000 and rng.random() < 0.01:
            sample.append({"phone": f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"})
            if rng.random() < 0.5 and row[6]:
                sample[-1] = {"email": email.upper()}
            elif rng.random() < 0.5:
                sample[-1] = {"name": name.replace(" ", ""), "birth_date": birth}


def psql(sql: str, db: str = "postgres", pg: str = "127.0.0.1") -> None:
    subprocess.run(["psql", "-h", pg, "-U", "postgres", "-d", db, "-q", "-v", "ON_ERROR_STOP=1",
                    "-c", sql], check=True, capture_output=True)


def in_process_import(rows: int, names: str, db: str, pg: str, data_name: str):
    """For the benches that time one import inside this process: the export of ``rows`` rows,
    a new database ``db`` with the schema, Django set up on it and a bench user's incident.
    Returns (the export's path, the incident, the user, the PostgreSQL backend's pid)."""
    out = WORK / "people"
    out.mkdir(parents=True, exist_ok=True)
    export = export_path(rows, names)
    write_export(export, rows, names=names)
    psql(f"DROP DATABASE IF EXISTS {db}", pg=pg)
    psql(f"CREATE DATABASE {db}", pg=pg)
    data_dir = out / data_name
    data_dir.mkdir(exist_ok=True)
    os.environ.update({"DATABASE_URL": f"postgres://postgres@{pg}:5432/{db}",
                       "ROUEI_DATA_DIR": str(data_dir), "ROUEI_REQUIRE_MFA": "0",
                       "DJANGO_SETTINGS_MODULE": "rouei.config.settings"})
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from rouei.incidents import actions

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench", password="x" * 20)
    incident = actions.do_create_incident(title="bench", facts={}, actor=user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    return export, incident, user, backend


def floor_copy(path: Path, pg: str, db: str = DB) -> float:
    psql("DROP TABLE IF EXISTS floor_copy", db, pg)
    psql("CREATE TABLE floor_copy (" + ", ".join(f"c{i} text" for i in range(len(HEADER)))
         + ")", db, pg)
    start = time.perf_counter()
    psql(f"\\copy floor_copy FROM '{path}' WITH (FORMAT csv, HEADER true)", db, pg)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--operators", type=int, default=50)
    parser.add_argument("--lookups", type=int, default=5_000)
    parser.add_argument("--pg", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--db", default=DB, help="the bench database (dropped and created)")
    parser.add_argument("--names", choices=NAME_TABLES, default="wide",
                        help="the export's name tables (narrow: sessions 10-14's file)")
    parser.add_argument("--lookups-only", action="store_true",
                        help="only the look-ups, on the registry the last run imported")
    parser.add_argument("--import-only", action="store_true",
                        help="the floor and the import only (no look-ups, no print data)")
    args = parser.parse_args()
    if args.lookups_only:
        _lookups_again(args)
        return

    out = WORK / "people"
    out.mkdir(parents=True, exist_ok=True)
    export = export_path(args.rows, args.names)
    sample = write_export(export, args.rows, names=args.names)
    size_mb = export.stat().st_size / 1e6
    psql(f"DROP DATABASE IF EXISTS {args.db}", pg=args.pg)
    psql(f"CREATE DATABASE {args.db}", pg=args.pg)
    floor = floor_copy(export, args.pg, args.db)

    data_dir = out / "data"
    subprocess.run(["rm", "-rf", str(data_dir)], check=True)
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@{args.pg}:5432/{args.db}",
           "ROUEI_DATA_DIR": str(data_dir), "ROUEI_REQUIRE_MFA": "0",
           "ROUEI_PEOPLE_API_RATE": "1000000/min"}
    rouei = rouei_command()
    setup = ("import django; django.setup()\n"
             "from django.core.management import call_command\n"
             "call_command('migrate', verbosity=0)\n"
             "from django.contrib.auth import get_user_model\n"
             "from rouei.incidents import actions\n"
             "from rouei.api.actions import do_create_api_token\n"
             "u = get_user_model().objects.create_user('bench', password='x' * 20)\n"
             "i = actions.do_create_incident(title='bench', facts={}, actor=u)\n"
             "t = do_create_api_token(u, name='bench', actor=u)\n"
             "print(i.pk, t.secret)\n")
    done = subprocess.run([sys.executable, "-c", setup], env={
        **env, "DJANGO_SETTINGS_MODULE": "rouei.config.settings"}, check=True,
        capture_output=True, text=True)
    incident_id, token = done.stdout.split()
    (out / "lookup-setup.json").write_text(json.dumps({
        "env": {k: env[k] for k in ("DATABASE_URL", "ROUEI_DATA_DIR", "ROUEI_REQUIRE_MFA",
                                    "ROUEI_PEOPLE_API_RATE")},
        "incident": incident_id, "token": token, "sample": sample}))
    results = {"rows": args.rows, "file_mb": round(size_mb, 1), "floor_copy_s": round(floor, 2)}
    results["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
    results.update(_import(rouei, incident_id, export, env))
    results["load_average_after_import"] = [round(x, 2) for x in os.getloadavg()]
    if not args.import_only:
        results.update(_lookups(env, incident_id, token, sample[:args.lookups], args))
        results.update(_print_data(rouei, incident_id, out, env))
    results["machine"] = machine()
    results["ratio_to_copy"] = round(results["import_s"] / floor, 2)
    results["people_per_s"] = round(args.rows / results["import_s"])
    (WORK / "results").mkdir(parents=True, exist_ok=True)
    (WORK / "results" / "people.json").write_text(json.dumps(results, indent=2,
                                                             ensure_ascii=False))
    print(json.dumps(results, indent=2, ensure_ascii=False))


def _lookups_again(args) -> None:
    """The look-up step alone, against the database and data directory of the last full run
    (e.g. to compare two versions of the code on the same registry)."""
    saved = json.loads((WORK / "people" / "lookup-setup.json").read_text())
    env = {**os.environ, **saved["env"]}
    results = _lookups(env, saved["incident"], saved["token"], saved["sample"][:args.lookups],
                       args)
    results.update({"load_average": os.getloadavg(), "machine": machine()})
    print(json.dumps(results, indent=2, ensure_ascii=False))


def _import(rouei, incident_id, export, env) -> dict:
    old = dict(os.environ)
    os.environ.update(env)
    backends = _BackendCpu(env["DATABASE_URL"])
    try:
        run = run_timed([*rouei, "people", "import", incident_id, str(export), "--on-error",
                         "skip", "--json"], timeout=7200)
    finally:
        backends.stop()
        os.environ.clear()
        os.environ.update(old)
    return {"import_s": round(run.seconds, 2), "import_peak_rss_mb": round(run.peak_rss_mb),
            "import_cpu_s": round(run.cpu_seconds, 1), "import_rc": run.returncode,
            "postgres_backend_cpu_s": round(backends.seconds, 1)}


class _BackendCpu:
    """The CPU (user+sys, ``/proc/<pid>/stat``) of the PostgreSQL client backends connected to
    the bench database while the import runs (the import's own connection), sampled every
    50 ms: the database side's share, which the import tree's CPU does not include. A backend's
    last 50 ms may be missed."""

    def __init__(self, url: str):
        import psycopg

        self.conn = psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True)
        self.own = self.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        self.seen: dict[int, float] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        while not self.done.is_set():
            pids = [r[0] for r in self.conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_type = 'client backend' AND pid <> %s", [self.own])]
            for pid in pids:
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                self.seen[pid] = (int(fields[11]) + int(fields[12])) / tick
            time.sleep(0.05)

    def stop(self) -> None:
        self.done.set()
        self.thread.join()
        self.conn.close()

    @property
    def seconds(self) -> float:
        return sum(self.seen.values())


def _lookups(env, incident_id, token, sample, args) -> dict:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "rouei.config.wsgi", "-b",
         f"127.0.0.1:{args.port}", "-w", "2", "--threads", "8", "-k", "gthread",
         "--log-level", "warning"], env={**env, "DJANGO_SETTINGS_MODULE":
                                         "rouei.config.settings"})
    url = f"http://127.0.0.1:{args.port}/api/v1/incidents/{incident_id}/people/lookup"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/accounts/login/",
                                       timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        times: list[float] = []
        errors: list = []
        lock = threading.Lock()
        queue = list(sample)

        def operator() -> None:
            while True:
                with lock:
                    if not queue:
                        return
                    facts = queue.pop()
                body = json.dumps(facts).encode()
                request = urllib.request.Request(url, data=body, method="POST", headers={
                    "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
                start = time.perf_counter()
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 — http on loopback
                        response.read()
                except OSError as exc:  # an answer that is not a 200, or none: counted
                    with lock:
                        errors.append(getattr(exc, "code", type(exc).__name__))
                    continue
                with lock:
                    times.append(time.perf_counter() - start)

        threads = [threading.Thread(target=operator) for _ in range(args.operators)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait()
    times.sort()
    return {"lookups": len(times), "lookup_errors": len(errors),
            "lookup_error_kinds": sorted({str(e) for e in errors}),
            "operators": args.operators,
            "lookup_p50_ms": round(statistics.median(times) * 1000, 1),
            "lookup_p99_ms": round(times[int(len(times) * 0.99) - 1] * 1000, 1),
            "lookups_per_s": round(len(times) / wall, 1)}


def _print_data(rouei, incident_id, out, env) -> dict:
    old = dict(os.environ)
    os.environ.update(env)
    try:
        run = run_timed([*rouei, "people", "print-data", incident_id, "--out",
                         str(out / "print.csv")], timeout=3600)
    finally:
        os.environ.clear()
        os.environ.update(old)
    return {"print_data_s": round(run.seconds, 2), "print_rc": run.returncode}


if __name__ == "__main__":
    main()
