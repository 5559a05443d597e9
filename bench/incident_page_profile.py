"""Where one render of the incident page goes (issue 15): CPU per page, queries, each card.

    uv run --group bench python bench/incident_page_profile.py [--pages 30] [--profile 25]

Runs on the database ``bench/incident_page.py`` set up (``--db``, default ``rouei_bench_perf``;
run that script once first), in this process with Django's test client, as the first bench
member. Prints, for ``--pages`` renders after a warm-up: the CPU time per page (min and
median: the min is the least disturbed by other work on the machine), the number of queries and
their wall time, the queries that repeat, each card's context and template time, and the
``--profile`` heaviest functions of a cProfile run (cumulative CPU time).
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import json
import os
import pstats
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WORK

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--profile", type=int, default=25, help="functions to list (0: none)")
    parser.add_argument("--pg", default="127.0.0.1")
    parser.add_argument("--db", default="rouei_bench_perf")
    args = parser.parse_args()
    setup = json.loads((WORK / "incident_page" / "setup.json").read_text())
    os.environ.update({"DATABASE_URL": f"postgres://postgres@{args.pg}:5432/{args.db}",
                       "ROUEI_DATA_DIR": str(WORK / "incident_page" / "data"),
                       "ROUEI_REQUIRE_MFA": "0", "DJANGO_SETTINGS_MODULE": "rouei.config.settings"})
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from rouei.core import incident_apps

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.cookies["sessionid"] = setup["sessions"][0]
    url = f"/incidents/{setup['incident']}/"

    card_times: dict[str, list[float]] = defaultdict(list)
    def timed(name, func):
        def wrapper(*a, **kw):
            start = time.process_time()
            try:
                return func(*a, **kw)
            finally:
                card_times[name].append(time.process_time() - start)
        return wrapper

    from django.template import loader
    render_to_string = loader.render_to_string
    import rouei.core.templatetags.incident_apps as tags

    def timed_render(template_name, *a, **kw):
        start = time.process_time()
        try:
            return render_to_string(template_name, *a, **kw)
        finally:
            card_times[f"{template_name} (template)"].append(time.process_time() - start)

    tags.render_to_string = timed_render
    for app in incident_apps.registered():
        incident_apps.register(dataclasses.replace(app, cards=tuple(
            dataclasses.replace(card, context=timed(f"{card.template} (context)", card.context))
            for card in app.cards)))

    def page() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"the page answered {response.status_code}")

    for _ in range(3):
        page()
    card_times.clear()
    cpu, queries, sql_ms = [], [], []
    repeated: Counter = Counter()
    for _ in range(args.pages):
        with CaptureQueriesContext(connection) as captured:
            start = time.process_time()
            page()
            cpu.append(time.process_time() - start)
        queries.append(len(captured.captured_queries))
        sql_ms.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        shapes = Counter(_shape(q["sql"]) for q in captured.captured_queries)
        repeated.update({s: n for s, n in shapes.items() if n > 1})
    report = {
        "pages": args.pages, "load_average": os.getloadavg(),
        "cpu_ms_min": round(min(cpu) * 1000, 1),
        "cpu_ms_median": round(statistics.median(cpu) * 1000, 1),
        "queries": max(queries), "sql_wall_ms_median": round(statistics.median(sql_ms), 1),
        "cards_cpu_ms_median": {name: round(statistics.median(t) * 1000, 2)
                                for name, t in sorted(card_times.items())},
        "repeated_queries_per_page": {s: n // args.pages for s, n in repeated.most_common(10)},
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if args.profile:
        profiler = cProfile.Profile(time.process_time)  # CPU, not waits on the database
        profiler.enable()
        for _ in range(10):
            page()
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.profile)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.profile)
        print(out.getvalue())


def _shape(sql: str) -> str:
    """A query without its literal values, to see the ones a page repeats."""
    import re

    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)[:160]


if __name__ == "__main__":
    main()
