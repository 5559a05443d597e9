"""The playbooks a fresh database starts with: ``data/initial_playbooks.yaml``.

``install`` takes the model classes so the data migration can pass its historical models. It
only adds playbooks whose kind is missing, so it never overwrites what an administrator edited.
"""

from __future__ import annotations

from pathlib import Path

import yaml

DATA = Path(__file__).with_name("data") / "initial_playbooks.yaml"


def load() -> list[dict]:
    """Each playbook with its task templates (the common tasks first, then its own), by order.
    A module (``common: false``, the card steps) adds to a cause's playbook: only its own."""
    spec = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    out = []
    for playbook in spec["playbooks"]:
        common = spec["common"] if playbook.get("common", True) else []
        tasks = sorted([*common, *playbook["tasks"]], key=lambda t: t["order"])
        out.append({**playbook, "tasks": tasks})
    return out


def install(playbook_model, template_model) -> int:
    """Create the missing playbooks; the number created."""
    created = 0
    for spec in load():
        if playbook_model.objects.filter(kind=spec["kind"]).exists():
            continue
        playbook = playbook_model.objects.create(
            kind=spec["kind"], name=spec["name"], name_en=spec["name_en"],
            description=spec.get("description", ""),
            description_en=spec.get("description_en", ""))
        for task in spec["tasks"]:
            rule, offset = task["due"]
            template_model.objects.create(
                playbook=playbook, key=task["key"], order=task["order"], title=task["title"],
                title_en=task["title_en"], description=task.get("description", ""),
                description_en=task.get("description_en", ""), role=task["role"],
                due_rule=rule, due_offset_days=offset)
        created += 1
    return created
