"""What PostgreSQL spends writing an import's blind indexes, per table layout (issue 12).

    uv run --group bench python bench/people_key_layouts.py --people 100000 --rounds 2

Apart from rouei: ``--people`` people's key rows (random 16-byte digests, ``--keys`` a person,
the first of them the reference number's), COPYed in batches of 10,000 people sorted by
(kind, digest) as the import writes them, then a COMMIT, into each layout of the key table in a
fresh table of database ``--db``, all in one transaction as an import is. Measured per layout:
the PostgreSQL backend's CPU (user+sys from ``/proc/<pid>/stat``) and the wall time, from the
first COPY to the end of the COMMIT. The layouts run alternated, ``--rounds`` times.
``--batch`` sets the people a COPY (the import's 10,000 by default): the same keys written in
fewer, larger sorted runs.
Results: /tmp/rouei-bench/results/people_key_layouts.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import time
from pathlib import Path

import psycopg

KINDS = ("ref", "phone", "email", "name_birth", "kana_birth", "name_phone", "name_email",
         "name_address", "name_place")
BATCH = 10_000
TICK = os.sysconf("SC_CLK_TCK")

CURRENT = """
CREATE TABLE k (incident_id integer NOT NULL, kind varchar(12) NOT NULL, digest bytea NOT NULL,
                person_id bigint NOT NULL, PRIMARY KEY (incident_id, kind, digest, person_id));
CREATE INDEX k_person ON k (person_id);
CREATE UNIQUE INDEX k_ref ON k (incident_id, digest) WHERE kind = 'ref';
"""

LAYOUTS = {
    # today: the composite primary key, a B-tree on person_id, the reference's unique index
    "current": (CURRENT, ""),
    # the same with person_id as BRIN (a batch's people are contiguous)
    "person_brin": (CURRENT.replace("ON k (person_id)", "ON k USING brin (person_id)"), ""),
    # no index on person_id at all: what the B-tree costs
    "no_person_index": (CURRENT.replace("CREATE INDEX k_person ON k (person_id);", ""), ""),
    # the reference number's key on the person row: no ref rows and no partial index here
    "ref_on_person": (CURRENT.replace(
        "CREATE UNIQUE INDEX k_ref ON k (incident_id, digest) WHERE kind = 'ref';", "")
        .replace("ON k (person_id)", "ON k USING brin (person_id)"), "no_ref"),
    # the keys never read during an import (phone, e-mail, reading + birth date, name + place)
    # COPYed into a temporary table and inserted at the end in primary-key order; person_id BRIN
    "defer_lookup_only": (CURRENT.replace("ON k (person_id)", "ON k USING brin (person_id)"),
                          "defer"),
    # as a restore does: COPY into the bare table, the same indexes built once at the end
    "index_at_end": ("CREATE TABLE k (incident_id integer NOT NULL, kind varchar(12) NOT NULL,"
                     " digest bytea NOT NULL, person_id bigint NOT NULL);",
                     "build"),
    # person_id BRIN (today's layout), kind compared bytewise (COLLATE "C") instead of under
    # the database's collation (C.UTF-8 through libc here: strcoll for unequal kinds)
    "kind_collate_c": (CURRENT.replace("ON k (person_id)", "ON k USING brin (person_id)")
                       .replace("varchar(12)", 'varchar(12) COLLATE "C"'), ""),
    # person_id BRIN, kind as a small integer (its code, not its name)
    "kind_smallint": (CURRENT.replace("ON k (person_id)", "ON k USING brin (person_id)")
                      .replace("kind varchar(12)", "kind smallint")
                      .replace("WHERE kind = 'ref'", "WHERE kind = 0"), "smallint"),
    # person_id BRIN, the table unlogged: what the write-ahead log costs (not a candidate: an
    # unlogged table is emptied after a crash)
    "unlogged": (CURRENT.replace("ON k (person_id)", "ON k USING brin (person_id)")
                 .replace("CREATE TABLE", "CREATE UNLOGGED TABLE"), ""),
    # the bare table: PostgreSQL's floor for these rows
    "no_index": ("CREATE TABLE k (incident_id integer NOT NULL, kind varchar(12) NOT NULL,"
                 " digest bytea NOT NULL, person_id bigint NOT NULL);", ""),
}
BUILD = ("ALTER TABLE k ADD PRIMARY KEY (incident_id, kind, digest, person_id);"
         "CREATE INDEX k_person ON k USING brin (person_id);"
         "CREATE UNIQUE INDEX k_ref ON k (incident_id, digest) WHERE kind = 'ref';")


DEFERRED = frozenset({"phone", "email", "kana_birth", "name_place"})


def batches(people: int, keys: int, seed: int, with_ref: bool,
            deferred: frozenset[str] = frozenset(), batch: int = BATCH) -> list[tuple[bytes, bytes]]:
    """COPY text of each batch, its rows sorted by (kind, digest) as ``bulk.insert_keys``:
    (the rows of the other kinds, the rows of the ``deferred`` kinds)."""
    rng = random.Random(seed)
    kinds = KINDS[:keys] if with_ref else KINDS[1:keys]
    out = []
    for start in range(1, people + 1, batch):
        rows = sorted((kind, rng.randbytes(16), pid)
                      for pid in range(start, min(start + batch, people + 1)) for kind in kinds)
        now, later = io.StringIO(), io.StringIO()
        for kind, digest, pid in rows:
            (later if kind in deferred else now).write(
                f"7\t{kind}\t\\\\x{digest.hex()}\t{pid}\n")
        out.append((now.getvalue().encode(), later.getvalue().encode()))
    return out


def _coded(block: bytes) -> bytes:
    """A batch's COPY text with each kind as its code (its place in ``KINDS``)."""
    codes = {k.encode(): str(i).encode() for i, k in enumerate(KINDS)}
    return b"\n".join(b"\t".join((f[0], codes[f[1]], *f[2:])) if len(f := line.split(b"\t")) > 1
                      else line for line in block.split(b"\n"))


def backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def run(dsn: str, layout: str, data: list[bytes]) -> dict:
    create, extra = LAYOUTS[layout]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS k")
        conn.execute("CHECKPOINT")
        pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        load = os.getloadavg()[0]
        conn.autocommit = False
        cpu0, wall0 = backend_cpu(pid), time.perf_counter()
        with conn.cursor() as cur:
            cur.execute(create)
            if extra == "defer":
                cur.execute("CREATE TEMP TABLE t (LIKE k) ON COMMIT DROP")
            for block, later in data:
                with cur.copy("COPY k (incident_id, kind, digest, person_id) FROM STDIN") as cp:
                    cp.write(block)
                if later:
                    with cur.copy("COPY t (incident_id, kind, digest, person_id) FROM STDIN"
                                  ) as cp:
                        cp.write(later)
            if extra == "defer":
                cur.execute("INSERT INTO k SELECT * FROM t ORDER BY incident_id, kind, digest, "
                            "person_id")
            if extra == "build":
                cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
                cur.execute(BUILD)
        conn.commit()
        cpu, wall = backend_cpu(pid) - cpu0, time.perf_counter() - wall0
        size = conn.execute("SELECT pg_total_relation_size('k')").fetchone()[0]
        conn.execute("DROP TABLE k")
    return {"layout": layout, "rows": sum(now.count(b"\n") + later.count(b"\n") for now, later in data),
            "backend_cpu_s": round(cpu, 2), "wall_s": round(wall, 2),
            "load": round(load, 1), "mb": round(size / 1e6, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--keys", type=int, default=8, help="key rows a person, ref included")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--db", default="s12_impdb_layouts")
    parser.add_argument("--layouts", default=",".join(LAYOUTS))
    parser.add_argument("--batch", type=int, default=BATCH,
                        help="people a COPY (the import writes 10,000 at a time)")
    args = parser.parse_args()
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres",
                         autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {args.db}")
        conn.execute(f"CREATE DATABASE {args.db}")
    dsn = f"postgresql://postgres@127.0.0.1:5432/{args.db}"
    with_ref = batches(args.people, args.keys, 12, True, batch=args.batch)
    without_ref = batches(args.people, args.keys, 12, False, batch=args.batch)
    split = batches(args.people, args.keys, 12, True, DEFERRED, batch=args.batch)
    coded = [(_coded(now), later) for now, later in with_ref]
    results = []
    for _ in range(args.rounds):
        for layout in args.layouts.split(","):
            data = {"no_ref": without_ref, "defer": split,
                    "smallint": coded}.get(LAYOUTS[layout][1], with_ref)
            results.append(run(dsn, layout, data))
            print(json.dumps(results[-1]), flush=True)
    out = Path("/tmp/rouei-bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "people_key_layouts.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
