"""Whether two imports of the same export wrote the same registry (issue 12: a faster import
must store the same people, keys, merges and row errors).

    ROUEI_DATA_KEYS=… ROUEI_INDEX_KEYS=… uv run python bench/people_import_compare.py DB_A DB_B

Both databases must have been imported under the same keys (set ``ROUEI_DATA_KEYS`` and
``ROUEI_INDEX_KEYS`` for both runs of ``bench/people_registry.py`` and for this script). The
reference numbers are drawn at random per import, so they and their digests are left out; every
person must still have exactly one. Prints, per database, the number of people and key rows
and a SHA-256 of the sorted listing (each person's decrypted record, items, flags and key
digests), and the import's audit counts (rows, imported, merged, rejected); exits 1 if the
two differ. The key rows are compared by their content (person, kind, digest), whatever the key
table's layout; where it keeps the digest's first 8 bytes as well (``digest_prefix``,
migration 0017), each row's is checked against its digest (and the run fails if one is not).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

SNAPSHOT = """
import hashlib, json, dataclasses, collections
import django; django.setup()
from rouei.core.models import AuditEvent
from rouei.people.models import Person, PersonKey
keys = collections.defaultdict(list)
refs = collections.Counter()
for pid, kind, digest in PersonKey.objects.values_list("person_id", "kind", "digest").iterator(
        chunk_size=50000):
    if kind == "ref":
        refs[pid] += 1
    else:
        keys[pid].append((kind, bytes(digest).hex()))
listing = []
for person in Person.objects.all().iterator(chunk_size=5000):
    record = dataclasses.asdict(dataclasses.replace(person.record(), ref=""))
    listing.append(json.dumps([record, person.items, person.confirmed, person.controller,
                               person.has_email, person.has_postal, person.notice_status,
                               sorted(keys[person.pk]), refs[person.pk]],
                              sort_keys=True, ensure_ascii=False))
listing.sort()
event = AuditEvent.objects.filter(action="people.import").order_by("-pk").first()
# Where the key table keeps the digest's first 8 bytes (migration 0017): the rows whose prefix
# is not their digest's (0 expected), reported beside the snapshot, not compared.
from django.db import connection
with connection.cursor() as cursor:
    columns = {c.name for c in connection.introspection.get_table_description(
        cursor, PersonKey._meta.db_table)}
prefix = None
if "digest_prefix" in columns:
    from rouei.people.models import digest_prefix
    prefix = sum(p != digest_prefix(d) for d, p in PersonKey.objects.values_list(
        "digest", "digest_prefix").iterator(chunk_size=50000))
print(json.dumps({"wrong_prefixes": prefix,
    "people": len(listing), "key_rows": sum(map(len, keys.values())) + sum(refs.values()),
    "one_ref_each": all(refs[p] == 1 for p in Person.objects.values_list("pk", flat=True)),
    "sha256": hashlib.sha256("\\n".join(listing).encode()).hexdigest(),
    "import": {k: event.details.get(k) for k in ("rows", "imported", "merged", "rejected",
                                                 "people")} if event else None}))
"""


def snapshot(db: str, pg: str = "127.0.0.1") -> dict:
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@{pg}:5432/{db}",
           "DJANGO_SETTINGS_MODULE": "rouei.config.settings"}
    done = subprocess.run([sys.executable, "-c", SNAPSHOT], env=env, check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    first, second = snapshot(sys.argv[1]), snapshot(sys.argv[2])
    print(json.dumps({sys.argv[1]: first, sys.argv[2]: second}, indent=2))
    prefixes = [first.pop("wrong_prefixes"), second.pop("wrong_prefixes")]
    if any(prefixes):
        print("keys whose digest_prefix is not their digest's:", prefixes)
        sys.exit(1)
    same = first == second and first["one_ref_each"]
    print("same registry" if same else "DIFFERENT registries",
          hashlib.sha256(json.dumps(first, sort_keys=True).encode()).hexdigest()[:12])
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
