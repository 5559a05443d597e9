"""The look-up's query plans on the bulk loader's registry, and what they read.

    uv run --group bench python bench/people_lookup_plans.py [--setup FILE] [--per-kind 20]

For callers of each kind in the loader's sample (phone; e-mail; name + birth date; reference
number + birth date; name + address), the SQL ``rouei.people.services.find`` sends (the same
statement, the same digests) run under ``EXPLAIN (ANALYZE, BUFFERS)``: the first caller's plan in
full, and for ``--per-kind`` callers the execution times and the buffers (shared hits and reads)
— cold callers read pages no earlier caller did. Also the registry's table and index sizes
beside ``shared_buffers`` (what stays in PostgreSQL's cache and what comes from the OS).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WORK, machine

KINDS = ("phone", "email", "name_birth", "ref_birth", "name_address")


def _kind(caller: dict) -> str:
    if "ref" in caller:
        return "ref_birth"
    if "address" in caller:
        return "name_address"
    if "name" in caller:
        return "name_birth"
    return "email" if "email" in caller else "phone"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", type=Path, default=WORK / "people-large" / "setup.json")
    parser.add_argument("--per-kind", type=int, default=20)
    args = parser.parse_args()
    setup = json.loads(args.setup.read_text())
    os.environ.update(setup["env"])
    import django

    django.setup()
    from django.db import connection

    from rouei.incidents.models import Incident
    from rouei.people import services
    from rouei.people.models import Person, PersonKey
    from rouei.people.registry import Query

    incident = Incident.objects.get(pk=setup["incident"])
    by_kind: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    for caller in setup["sample"]:
        if caller["expect"] != "none":
            by_kind[_kind(caller)].append(caller)
    result: dict = {"registry": setup["load"]["people"], "kinds": {}}
    with connection.cursor() as cursor:
        cursor.execute("SHOW shared_buffers")
        result["shared_buffers"] = cursor.fetchone()[0]
        sizes = {}
        for table in (Person._meta.db_table, PersonKey._meta.db_table):
            cursor.execute("SELECT c.relname, pg_size_pretty(pg_relation_size(c.oid)) FROM "
                           "pg_class c WHERE c.oid = %s::regclass OR c.oid IN (SELECT indexrelid "
                           "FROM pg_index WHERE indrelid = %s::regclass)", [table, table])
            sizes.update(dict(cursor.fetchall()))
        result["sizes"] = sizes
        for kind, callers in by_kind.items():
            runs = []
            for n, caller in enumerate(callers[:args.per_kind]):
                facts = {k: v for k, v in caller.items() if k != "expect"}
                query = Query.build(**facts)
                keys = query.digests()
                pairs = [(k, d) for k, digests in keys for d in digests]
                params = services.find_params(keys, incident.pk)
                sql = services._find_sql(services._ranks(keys), len(pairs))
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                if n == 0:
                    result["kinds"][kind] = {"plan": plan.splitlines()}
                # The statement's own buffers: the plan's first "Buffers:" line (its root).
                top = next(line for line in plan.splitlines() if "Buffers:" in line)
                hit, read = (int(m.group(1)) if m else 0 for m in (
                    re.search(r"hit=(\d+)", top), re.search(r"read=(\d+)", top)))
                execution = float(re.search(r"Execution Time: ([\d.]+)", plan).group(1))
                runs.append((execution, hit, read))
            if runs:
                result["kinds"][kind].update({
                    "callers": len(runs),
                    "execution_ms_median": round(statistics.median(r[0] for r in runs), 3),
                    "execution_ms_max": round(max(r[0] for r in runs), 3),
                    "buffers_hit_median": statistics.median(r[1] for r in runs),
                    "buffers_read_median": statistics.median(r[2] for r in runs)})
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    result["machine"] = machine()
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
