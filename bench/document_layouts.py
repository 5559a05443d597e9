"""Laying out the documents: the kinds' Jinja templates against the Python layouts they replaced
(same content, same minutes).

    uv run python bench/document_layouts.py --timeline 300 --repeat 200 --before-commit 6b66a6d

1. A fresh SQLite database in ``WORK/document-layouts`` with the demo incident (``rouei demo``'s
   facts, timeline, evidence, tasks, 12,000 people), plus ``--timeline`` extra timeline entries
   of mixed free text (an incident some weeks old: the PPC report's chronology grows with it),
   a 速報 filed with a receipt number (so the 確報 compares with it), and the content of every
   kind and stage (``kind.build``), kept as JSON.
2. Each kind's ``layout(content)`` ``--repeat`` times: now (the template), and with
   ``--before-commit`` the ``layout.py`` modules of that commit loaded from git (pure Python,
   the same content). Both must give the same Layout; the figures are per layout, median of 5
   rounds. Results: WORK/results/document_layouts.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WORK, machine

REPO = Path(__file__).resolve().parent.parent

SETUP = """
import datetime as dt, json, sys
import django; django.setup()
from django.core.management import call_command
call_command('migrate', verbosity=0)
from django.contrib.auth import get_user_model
from rouei.cli.web_commands import prepare_demo
from rouei.documents.kinds import all_kinds
from rouei.incidents import actions
from rouei.incidents.models import Incident
extra = int(sys.argv[1])
incident = Incident.objects.get(pk=prepare_demo()['incident_id'])
lead = get_user_model().objects.get(username='demo')
start = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)
texts = ['対応メモ {i}: 関係部署（情報システム部・法務）と状況を確認した',
         'Call {i} from the card company | 件数の照会 (3,100件 → 確認中)',
         '顧客からの問合せ{i}件目：「カードの不正利用がありました」\\n折り返し対応済み',
         'ﾌｫﾚﾝｼﾞｯｸ調査会社と打合せ #{i}（ログ保全・ＷＡＦ設定の確認）']
for i in range(extra):
    actions.do_add_timeline_event(incident, kind='action', at=start + dt.timedelta(hours=i),
                                  text=texts[i % len(texts)].format(i=i), actor=lead)
actions.do_record_filed_report(incident, kind='preliminary', filed_at=dt.datetime.now(dt.UTC),
                               channel='ppc_form', receipt_number='PPC-2026-000123',
                               filed_by=lead, actor=lead)
now = dt.datetime(2026, 12, 6, 3, 0, tzinfo=dt.UTC)
out = {}
for kind in all_kinds():
    for stage in kind.stages or (None,):
        out[f'{kind.slug}:{stage}'] = kind.build(incident, stage, now)
print(json.dumps(out, ensure_ascii=False))
"""

OLD_LAYOUTS = {"ppc-report": "ppc_report", "controller-notice": "controller_notice",
               "board-report": "board_report", "prevention-plan": "prevention_plan",
               "public-notice": "public_notice"}


def load_old_layouts(commit: str) -> dict:
    """The ``layout`` functions of ``commit``'s kinds/<kind>/layout.py, as modules of their old
    names (the controller notice's imports the PPC report's)."""
    functions = {}
    for slug, folder in sorted(OLD_LAYOUTS.items(), key=lambda x: x[0] != "ppc-report"):
        name = f"rouei.documents.kinds.{folder}.layout"
        source = subprocess.run(["git", "show", f"{commit}:rouei/documents/kinds/{folder}/"
                                 "layout.py"], cwd=REPO, check=True, capture_output=True,
                                text=True).stdout
        spec = importlib.util.spec_from_loader(name, loader=None)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        exec(compile(source, f"{commit}:{folder}/layout.py", "exec"), module.__dict__)  # noqa: S102 - the project's own code at a commit
        functions[slug] = module.layout
    return functions


def per_layout_ms(function, content, repeat: int) -> float:
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            function(content)
        rounds.append((time.perf_counter() - start) * 1000 / repeat)
    return round(statistics.median(rounds), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeline", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--before-commit", default=None)
    args = parser.parse_args()

    data = WORK / "document-layouts"
    data.mkdir(parents=True, exist_ok=True)
    for old in data.glob("db.sqlite3*"):
        old.unlink()
    env = {**os.environ, "ROUEI_DATA_DIR": str(data),
           "DJANGO_SETTINGS_MODULE": "rouei.config.settings"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", SETUP, str(args.timeline)], cwd=REPO, env=env,
                          check=True, capture_output=True, text=True)
    contents = json.loads(done.stdout.strip().splitlines()[-1])

    os.environ.update({"ROUEI_DATA_DIR": str(data),
                       "DJANGO_SETTINGS_MODULE": "rouei.config.settings"})
    import django

    django.setup()
    from rouei.documents.kinds import get_kind

    old = load_old_layouts(args.before_commit) if args.before_commit else {}
    load_before = os.getloadavg()[0]
    rows = []
    for key, content in contents.items():
        slug = key.split(":")[0]
        kind = get_kind(slug)
        row = {"kind": key, "fields": len(kind.layout(content).fields()),
               "template_ms": per_layout_ms(kind.layout, content, args.repeat)}
        if slug in old:
            same = dataclasses.asdict(old[slug](content)) == dataclasses.asdict(
                kind.layout(content))
            row.update(python_ms=per_layout_ms(old[slug], content, args.repeat),
                       same_layout=same)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False))
    result = {"command": " ".join(["python", "bench/document_layouts.py", *sys.argv[1:]]),
              "data": f"demo incident + {args.timeline} timeline entries of mixed free text, "
                      "a 速報 filed; every kind and stage",
              "machine": machine(), "load_before": round(load_before, 2),
              "load_after": round(os.getloadavg()[0], 2), "rows": rows}
    out = WORK / "results" / "document_layouts.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(out)


if __name__ == "__main__":
    main()
