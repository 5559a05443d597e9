"""Dumps made by the real tools (mysqldump, pg_dump) from a small EC-CUBE-like shop database,
for the dump reader's tests. ``python -m tests.scanning.readers.dump_tools`` rewrites the
checked-in fixtures in ``dumps/`` (MariaDB on 127.0.0.1:3306 as root without a password,
PostgreSQL on 127.0.0.1:5432 as postgres, trust); the tests also run the tools themselves when
they and the servers are there (``live_mysqldump`` / ``live_pg_dump``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

HERE = Path(__file__).parent / "dumps"

# What the shop's customers hold: tricky on purpose (quotes, backslashes, line breaks, tabs,
# commas and parentheses, Japanese), one NULL, one binary column.
CUSTOMERS = [
    (1, "山田", "太郎", "ヤマダ", "タロウ", "100", "0001", 13, "千代田区千代田", "1-1",
     "taro.yamada@example.jp", "09012345678", "1980-04-01"),
    (2, "O'Brien", "花子", "オブライエン", "ハナコ", "530", "0001", 27, "大阪市北区梅田",
     "2-2-2 梅田ビル\\5F", "hanako@example.com", "0312345678", None),
    (3, "佐藤", "一郎", "サトウ", "イチロウ", "060", "0001", 1, "札幌市中央区北1条西",
     "3-3\n（裏口）", "ichiro@example.net", "08011112222", "1975-12-31"),
    (4, "鈴木", "次郎", "スズキ", "ジロウ", "980", "0001", 4, "仙台市青葉区\t中央",
     "4-4 (A,B),(C)", "jiro@example.org", "07033334444", "1990-01-15"),
]
COLUMNS = ("customer_id", "name01", "name02", "kana01", "kana02", "zip01", "zip02", "pref",
           "addr01", "addr02", "email", "phone_number", "birth")
NOTES = [(1, 1, "配達は午後 'いつも' お願いします"), (2, 3, None)]


def _sql_literal(value: object, backslashes: bool) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    text = str(value).replace("'", "''")
    if backslashes:
        text = text.replace("\\", "\\\\")
    return f"'{text}'"


def _script(backslashes: bool, suffix: str) -> str:
    rows = ",\n".join("(" + ", ".join(_sql_literal(v, backslashes) for v in row) + ")"
                      for row in CUSTOMERS)
    notes = ",\n".join("(" + ", ".join(_sql_literal(v, backslashes) for v in row) + ")"
                       for row in NOTES)
    blob = "0x48656C6C6F" if backslashes else "'\\x48656c6c6f'"
    return f"""
CREATE TABLE dtb_customer{suffix} (
  customer_id integer PRIMARY KEY, name01 varchar(255) NOT NULL, name02 varchar(255),
  kana01 varchar(255), kana02 varchar(255), zip01 varchar(3), zip02 varchar(4), pref smallint,
  addr01 varchar(255), addr02 varchar(255), email varchar(255), phone_number varchar(14),
  birth date);
INSERT INTO dtb_customer{suffix} VALUES {rows};
CREATE TABLE dtb_note{suffix} (id integer PRIMARY KEY, customer_id integer, note text,
  secret {"blob" if backslashes else "bytea"});
INSERT INTO dtb_note{suffix} (id, customer_id, note) VALUES {notes};
UPDATE dtb_note{suffix} SET secret = {blob};
"""


def _have(tool: str) -> bool:
    return shutil.which(tool) is not None


def mysql_available() -> str | None:
    """None if mysqldump and the server are there, else why not."""
    if not (_have("mysql") and _have("mysqldump")):
        return "mysql / mysqldump are not installed"
    probe = subprocess.run(["mysql", "-h127.0.0.1", "-uroot", "-e", "SELECT 1"],
                           check=False, capture_output=True, timeout=20)
    return None if probe.returncode == 0 else "no MariaDB/MySQL server on 127.0.0.1:3306"


def pg_available() -> str | None:
    if not (_have("psql") and _have("pg_dump")):
        return "psql / pg_dump are not installed"
    probe = subprocess.run(["psql", "-h127.0.0.1", "-Upostgres", "-c", "SELECT 1"],
                           check=False, capture_output=True, timeout=20)
    return None if probe.returncode == 0 else "no PostgreSQL server on 127.0.0.1:5432"


def live_mysqldump(*options: str) -> bytes:
    """A mysqldump of a fresh database holding the shop's tables (dropped afterwards)."""
    database = f"rouei_dump_{uuid.uuid4().hex[:12]}"
    base = ["mysql", "-h127.0.0.1", "-uroot", "--default-character-set=utf8mb4"]
    subprocess.run([*base, "-e", f"CREATE DATABASE {database} CHARACTER SET utf8mb4"],
                   check=True, timeout=60)
    try:
        subprocess.run([*base, database], input=_script(True, "").encode(), check=True,
                       timeout=60)
        return subprocess.run(
            ["mysqldump", "-h127.0.0.1", "-uroot", "--default-character-set=utf8mb4",
             *options, database], check=True, capture_output=True, timeout=120).stdout
    finally:
        subprocess.run([*base, "-e", f"DROP DATABASE IF EXISTS {database}"], check=False,
                       timeout=60)


def live_pg_dump(*options: str) -> bytes:
    """A pg_dump (plain) of a fresh database holding the shop's tables (dropped afterwards)."""
    database = f"rouei_dump_{uuid.uuid4().hex[:12]}"
    env = {**os.environ, "PGCLIENTENCODING": "UTF8"}
    base = ["psql", "-h127.0.0.1", "-Upostgres", "-v", "ON_ERROR_STOP=1", "-q"]
    subprocess.run([*base, "-c", f"CREATE DATABASE {database} ENCODING 'UTF8' TEMPLATE template0"],
                   check=True, timeout=60, env=env)
    try:
        subprocess.run([*base, "-d", database], input=_script(False, "").encode(), check=True,
                       timeout=60, env=env)
        return subprocess.run(["pg_dump", "-h127.0.0.1", "-Upostgres", "--no-owner", *options,
                               database], check=True, capture_output=True, timeout=120,
                              env=env).stdout
    finally:
        subprocess.run([*base, "-c", f"DROP DATABASE IF EXISTS {database}"], check=False,
                       timeout=60, env=env)


FIXTURES = {
    "mysqldump.sql": live_mysqldump,
    "mysqldump_skip_extended.sql": lambda: live_mysqldump("--skip-extended-insert",
                                                          "--hex-blob"),
    "pg_dump.sql": live_pg_dump,
    "pg_dump_inserts.sql": lambda: live_pg_dump("--inserts"),
    "pg_dump_column_inserts.sql": lambda: live_pg_dump("--column-inserts"),
}

if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    for name, make in FIXTURES.items():
        (HERE / name).write_bytes(make())
        print(name)
