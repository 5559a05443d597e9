"""What PostgreSQL spends writing an import's blind indexes, per table layout (issue 12).

    uv run --group bench python bench/people_key_layouts.py --people 100000 --rounds 2

Apart from rouei: ``--people`` people's key rows (random 16-byte digests, ``--keys`` a person,
the first of them the reference number's), written by binary COPY (as ``bulk.write_key_run``
does) in sorted runs of ``--batch`` people (the import holds ~100,000 people's keys and writes
them as one run: ``imports.KEY_RUN_ROWS``), each run sorted in its layout's primary-key order,
then a COMMIT, into each layout of the key table in a fresh table of database ``--db``, all in
one transaction as an import is. Measured per layout: the PostgreSQL backend's CPU (user+sys
from ``/proc/<pid>/stat``) and the wall time, from the first COPY to the end of the COMMIT, the
table's and its primary key's sizes. The layouts run alternated, ``--rounds`` times.
Results: /tmp/rouei-bench/results/people_key_layouts.json.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np
import psycopg

KINDS = ("ref", "phone", "email", "name_birth", "kana_birth", "name_phone", "name_email",
         "name_address", "name_place")
TICK = os.sysconf("SC_CLK_TCK")
HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
TRAILER = b"\xff\xff"

# Each layout: (CREATE statements, the COPY's columns in order (a kind's name last: see
# ``encode``), the order its rows are sorted in). Columns: incident (bigint), person (bigint), kind (varchar: its name), code (smallint:
# its place in KINDS), digest (bytea, 16 bytes), prefix (bigint: the digest's first 8 bytes).
BRIN = "CREATE INDEX k_person ON k USING brin (person_id);"
REF = "CREATE UNIQUE INDEX k_ref ON k (incident_id, digest) WHERE kind = 'ref';"
REF_CODE = "CREATE UNIQUE INDEX k_ref ON k (incident_id, digest) WHERE kind = 0;"
LAYOUTS = {
    # today: kind varchar(12) in the primary key (incident, kind, digest, person)
    "today": ("CREATE TABLE k (incident_id bigint NOT NULL, kind varchar(12) NOT NULL, "
              "digest bytea NOT NULL, person_id bigint NOT NULL, "
              "PRIMARY KEY (incident_id, kind, digest, person_id));" + BRIN + REF,
              ("incident", "digest", "person", "kind"), "kind"),
    # kind as its code (smallint), still in the primary key
    "kind_smallint": ("CREATE TABLE k (incident_id bigint NOT NULL, kind smallint NOT NULL, "
                      "digest bytea NOT NULL, person_id bigint NOT NULL, "
                      "PRIMARY KEY (incident_id, kind, digest, person_id));" + BRIN + REF_CODE,
                      ("incident", "code", "digest", "person"), "kind"),
    # the primary key without kind (the digest holds it), kind's name in the heap
    "no_kind": ("CREATE TABLE k (incident_id bigint NOT NULL, digest bytea NOT NULL, "
                "person_id bigint NOT NULL, kind varchar(12) NOT NULL, "
                "PRIMARY KEY (incident_id, digest, person_id));" + BRIN + REF,
                ("incident", "digest", "person", "kind"), "digest"),
    # the same, kind as its code in the heap
    "no_kind_smallint": ("CREATE TABLE k (incident_id bigint NOT NULL, digest bytea NOT NULL, "
                         "person_id bigint NOT NULL, kind smallint NOT NULL, "
                         "PRIMARY KEY (incident_id, digest, person_id));" + BRIN + REF_CODE,
                         ("incident", "digest", "person", "code"), "digest"),
    # the digest's first 8 bytes as a bigint in the primary key (incident, prefix, person); the
    # full digest and kind's name in the heap (a look-up rechecks the digest there)
    "prefix": ("CREATE TABLE k (incident_id bigint NOT NULL, prefix bigint NOT NULL, "
               "person_id bigint NOT NULL, digest bytea NOT NULL, kind varchar(12) NOT NULL, "
               "PRIMARY KEY (incident_id, prefix, person_id));" + BRIN + REF,
               ("incident", "prefix", "person", "digest", "kind"), "prefix"),
    # the same, kind as its code
    "prefix_smallint": ("CREATE TABLE k (incident_id bigint NOT NULL, prefix bigint NOT NULL, "
                        "person_id bigint NOT NULL, kind smallint NOT NULL, "
                        "digest bytea NOT NULL, "
                        "PRIMARY KEY (incident_id, prefix, person_id));" + BRIN + REF_CODE,
                        ("incident", "prefix", "person", "code", "digest"), "prefix"),
    # the prefix alone, no full digest anywhere (not a candidate: a false match at ~1e-11 a
    # look-up could not be told apart; the floor of the narrow index)
    "prefix_only": ("CREATE TABLE k (incident_id bigint NOT NULL, prefix bigint NOT NULL, "
                    "person_id bigint NOT NULL, kind smallint NOT NULL, "
                    "PRIMARY KEY (incident_id, prefix, person_id));" + BRIN +
                    "CREATE UNIQUE INDEX k_ref ON k (incident_id, prefix) WHERE kind = 0;",
                    ("incident", "prefix", "person", "code"), "prefix"),
    # today's columns, no index at all: PostgreSQL's floor for these rows
    "no_index": ("CREATE TABLE k (incident_id bigint NOT NULL, kind varchar(12) NOT NULL, "
                 "digest bytea NOT NULL, person_id bigint NOT NULL);",
                 ("incident", "digest", "person", "kind"), "kind"),
}
COLUMN_NAMES = {"incident": "incident_id", "person": "person_id", "kind": "kind",
                "code": "kind", "digest": "digest", "prefix": "prefix"}
FIXED = {"incident": ">i8", "person": ">i8", "code": ">i2", "prefix": ">i8"}


def make_runs(people: int, keys: int, batch: int, seed: int) -> list[dict]:
    """Each run's rows as columns: person ids, kind codes, the digest's two 64-bit words."""
    rng = np.random.default_rng(seed)
    runs = []
    for start in range(1, people + 1, batch):
        n = min(batch, people + 1 - start)
        ids = np.repeat(np.arange(start, start + n, dtype=np.int64), keys)
        codes = np.tile(np.arange(keys, dtype=np.int16), n)
        words = rng.integers(0, 2**64 - 1, size=(n * keys, 2), dtype=np.uint64, endpoint=True)
        runs.append({"person": ids, "code": codes, "first": words[:, 0], "second": words[:, 1]})
    return runs


def encode(run: dict, columns: tuple[str, ...], order: str) -> bytes:
    """A run's rows in COPY's binary format, sorted in the layout's order. A kind's name, when
    written, is the last column, so each row is a fixed part and the name (its length)."""
    first = run["first"]
    signed = first.view(np.int64)
    if order == "kind":  # kind, then digest (its unsigned words), then person
        names = np.array([KINDS[c] for c in range(len(KINDS))])
        rank = np.argsort(np.argsort(names)).astype(np.int16)[run["code"]]  # the name's order
        rank = run["code"] if "code" in columns else rank
        at = np.lexsort((run["person"], run["second"], first, rank))
    elif order == "digest":
        at = np.lexsort((run["person"], run["second"], first))
    else:
        at = np.lexsort((run["person"], signed))
    fields = [("count", ">i2")]
    for column in columns:
        if column == "kind":
            continue
        fields.append((f"{column}_size", ">i4"))
        fields += ([("digest_first", ">u8"), ("digest_second", ">u8")] if column == "digest"
                   else [(column, FIXED[column])])
    text_kind = "kind" in columns
    longest = max(len(k) for k in KINDS)
    if text_kind:
        fields += [("kind_size", ">i4"), ("kind", f"S{longest}")]
    rows = np.zeros(len(at), dtype=fields)
    rows["count"] = len(columns)
    for column in columns:
        if column == "kind":
            continue
        rows[f"{column}_size"] = 16 if column == "digest" else np.dtype(FIXED[column]).itemsize
        if column == "digest":
            rows["digest_first"], rows["digest_second"] = first[at], run["second"][at]
        elif column == "incident":
            rows["incident"] = 7
        elif column == "prefix":
            rows["prefix"] = signed[at]
        else:
            rows[column] = run[column][at]
    if not text_kind:
        return rows.tobytes()
    lengths = np.array([len(k) for k in KINDS], dtype=np.int64)[run["code"][at]]
    rows["kind_size"] = lengths
    rows["kind"] = np.array([k.encode() for k in KINDS], dtype=f"S{longest}")[run["code"][at]]
    matrix = rows.view(np.uint8).reshape(len(at), rows.dtype.itemsize)
    keep = np.arange(rows.dtype.itemsize) < (rows.dtype.itemsize - longest + lengths)[:, None]
    return matrix[keep].tobytes()


def backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def run(dsn: str, layout: str, runs: list[dict]) -> dict:
    create, columns, order = LAYOUTS[layout]
    names = ", ".join(COLUMN_NAMES[c] for c in columns)
    blocks = [encode(r, columns, order) for r in runs]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS k")
        conn.execute("CHECKPOINT")
        pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        load = os.getloadavg()[0]
        conn.autocommit = False
        cpu0, wall0 = backend_cpu(pid), time.perf_counter()
        with conn.cursor() as cur:
            cur.execute(create)
            for block in blocks:
                with cur.copy(f"COPY k ({names}) FROM STDIN (FORMAT BINARY)") as cp:
                    cp.write(HEADER)
                    cp.write(block)
                    cp.write(TRAILER)
        conn.commit()
        cpu, wall = backend_cpu(pid) - cpu0, time.perf_counter() - wall0
        size, pkey = conn.execute(
            "SELECT pg_total_relation_size('k'), coalesce((SELECT pg_relation_size(conindid) "
            "FROM pg_constraint WHERE conrelid = 'k'::regclass AND contype = 'p'), 0)").fetchone()
        conn.execute("DROP TABLE k")
    keys = sum(len(r["person"]) for r in runs)
    return {"layout": layout, "rows": keys, "backend_cpu_s": round(cpu, 2),
            "us_a_key": round(cpu / keys * 1e6, 2), "wall_s": round(wall, 2),
            "load": round(load, 1), "mb": round(size / 1e6, 1), "pkey_mb": round(pkey / 1e6, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--keys", type=int, default=8, help="key rows a person, ref included")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--db", default="s17_impdb_layouts")
    parser.add_argument("--layouts", default=",".join(LAYOUTS))
    parser.add_argument("--batch", type=int, default=100_000,
                        help="people a sorted run (the import holds ~100,000 people's keys)")
    args = parser.parse_args()
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres",
                         autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {args.db}")
        conn.execute(f"CREATE DATABASE {args.db}")
    dsn = f"postgresql://postgres@127.0.0.1:5432/{args.db}"
    runs = make_runs(args.people, args.keys, args.batch, 12)
    results = []
    for _ in range(args.rounds):
        for layout in args.layouts.split(","):
            results.append(run(dsn, layout, runs))
            print(json.dumps(results[-1]), flush=True)
    out = Path("/tmp/rouei-bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "people_key_layouts.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
