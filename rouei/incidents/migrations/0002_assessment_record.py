"""Snapshots keep one language-neutral record of the assessment (``Assessment.to_record()``)
instead of two rendered copies (``to_dict("ja")`` and ``to_dict("en")``).

This migration adds ``record`` and fills it from the two old columns; 0003 drops them. The
conversion is written out here, not imported, so that it stays what it was when later code
changes: a text the old copies hold in Japanese and in English becomes one {"ja", "en"} pair.
"""

from django.db import migrations, models

RECORD_FORMAT = 1


def _pair(ja: str, en: str) -> dict:
    return {"ja": ja, "en": en}


def _regime_record(regime: str, ja: dict, en: dict) -> dict:
    findings = [*ja.get("trigger_details", []), *ja.get("exception_details", [])]
    findings_en = [*en.get("trigger_details", []), *en.get("exception_details", [])]
    return {
        "regime": regime,
        "report_required": ja.get("report_required"),
        "notify_required": ja.get("notify_required"),
        "findings": [{"id": f["id"], "kind": f["kind"], "label": _pair(f["label"], g["label"]),
                      "status": f["status"], "text": _pair(f["text"], g["text"]),
                      "citation": f["citation"], "unknowns": [], "exempts": []}
                     for f, g in zip(findings, findings_en, strict=True)],
        "triggers": list(ja.get("triggers", [])),
        "possible_triggers": list(ja.get("possible_triggers", [])),
        "exceptions": list(ja.get("exceptions", [])),
        "preliminary_report_window": ja.get("preliminary_report_window"),
        "final_report_days": ja.get("final_report_days"),
        "final_report_due": ja.get("final_report_due"),
        "reasons": [{"code": r["code"], "text": _pair(r["text"], s["text"]),
                     "citation": r["citation"]}
                    for r, s in zip(ja.get("reasons", []), en.get("reasons", []), strict=True)],
        "unknowns": [{"field": u["field"], "text": _pair(u["text"], v["text"])}
                     for u, v in zip(ja.get("unknowns", []), en.get("unknowns", []), strict=True)],
    }


def record_from_copies(ja: dict, en: dict, facts: dict) -> dict:
    """The record of a snapshot stored as ``to_dict("ja")`` and ``to_dict("en")`` of the
    assessment of ``facts``. The top-level unknowns (both laws) stay with the APPI result:
    reading the record back lists the same ones."""
    mn_ja, mn_en = ja.get("my_number_act"), en.get("my_number_act")
    version_ja, version_en = ja.get("rules_version") or {}, en.get("rules_version") or {}
    return {
        "format": RECORD_FORMAT,
        "facts": facts,
        "reference_date": ja["reference_date"],
        "appi": _regime_record("appi", ja, en),
        "my_number_act": _regime_record("my_number", mn_ja, mn_en or {}) if mn_ja else None,
        "rules_version": {"id": version_ja.get("id", ""),
                          "label_ja": version_ja.get("label", ""),
                          "label_en": version_en.get("label", ""),
                          "note_ja": version_ja.get("note", ""),
                          "note_en": version_en.get("note", "")},
    }


def _regime_copy(record: dict, lang: str) -> dict:
    def pick(pair: dict) -> str:
        return pair["ja"] if lang == "ja" else pair["en"]

    def finding(f: dict) -> dict:
        return {"id": f["id"], "kind": f["kind"], "label": pick(f["label"]),
                "status": f["status"], "text": pick(f["text"]), "citation": f["citation"]}

    return {
        "report_required": record["report_required"],
        "notify_required": record["notify_required"],
        "triggers": list(record["triggers"]),
        "possible_triggers": list(record["possible_triggers"]),
        "exceptions": list(record["exceptions"]),
        "trigger_details": [finding(f) for f in record["findings"] if f["kind"] == "trigger"],
        "exception_details": [finding(f) for f in record["findings"]
                              if f["kind"] == "exception"],
        "preliminary_report_window": record["preliminary_report_window"],
        "final_report_days": record["final_report_days"],
        "final_report_due": record["final_report_due"],
        "reasons": [{"code": r["code"], "text": pick(r["text"]), "citation": r["citation"]}
                    for r in record["reasons"]],
        "unknowns": [{"field": u["field"], "text": pick(u["text"])} for u in record["unknowns"]],
    }


def copy_from_record(record: dict, lang: str) -> dict:
    """Back to the old rendered copy in ``lang`` (to undo this migration)."""
    out = _regime_copy(record["appi"], lang)
    fields = {u["field"] for u in record["appi"]["unknowns"]}
    mn = record.get("my_number_act")
    if mn:
        out["unknowns"] += [{"field": u["field"], "text": u["text"]["ja" if lang == "ja" else "en"]}
                            for u in mn["unknowns"] if u["field"] not in fields]
    version = record["rules_version"]
    facts = record["facts"]
    knew = facts.get("knew_at")
    out.update({
        "knew_date": _knew_date(knew) if knew else None,
        "reference_date": record["reference_date"],
        "my_number_act": _regime_copy(mn, lang) if mn else None,
        "rules_version": {"id": version["id"],
                          "label": version["label_ja" if lang == "ja" else "label_en"],
                          "note": version["note_ja" if lang == "ja" else "note_en"]},
    })
    return out


def _knew_date(iso: str) -> str:
    import datetime as dt
    from zoneinfo import ZoneInfo

    moment = dt.datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("Asia/Tokyo"))
    return moment.astimezone(ZoneInfo("Asia/Tokyo")).date().isoformat()


def forward(apps, schema_editor):
    Snapshot = apps.get_model("incidents", "AssessmentSnapshot")
    for snapshot in Snapshot.objects.select_related("facts_version").iterator():
        snapshot.record = record_from_copies(snapshot.result, snapshot.result_en,
                                             snapshot.facts_version.facts)
        snapshot.save(update_fields=["record"])


def backward(apps, schema_editor):
    Snapshot = apps.get_model("incidents", "AssessmentSnapshot")
    for snapshot in Snapshot.objects.iterator():
        snapshot.result = copy_from_record(snapshot.record, "ja")
        snapshot.result_en = copy_from_record(snapshot.record, "en")
        snapshot.save(update_fields=["result", "result_en"])


class Migration(migrations.Migration):

    dependencies = (
        ("incidents", "0001_initial"),
    )

    operations = (
        migrations.AddField(
            model_name="assessmentsnapshot",
            name="record",
            field=models.JSONField(null=True, verbose_name="assessment"),
        ),
        # Nullable while they go (0003 drops them), so that undoing 0003 can add them back
        # empty for ``backward`` to fill.
        migrations.AlterField(
            model_name="assessmentsnapshot",
            name="result",
            field=models.JSONField(null=True, verbose_name="assessment"),
        ),
        migrations.AlterField(
            model_name="assessmentsnapshot",
            name="result_en",
            field=models.JSONField(null=True, verbose_name="assessment (English)"),
        ),
        migrations.RunPython(forward, backward),
    )
