"""``rouei manage audit_verify`` (and ``rouei audit verify``): check the audit trail with the
audit keys and against the signed checkpoints outside the database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rouei.core.audit import verify_trail

# What each break means, in Japanese first (the English detail follows on the next line).
SUMMARY = {
    "hash_mismatch": "監査記録が改ざんされています（署名が一致しません）",
    "prev_hash_mismatch": "監査記録の連鎖が切れています（記録の差し替え）",
    "sequence_gap": "監査記録が削除されています",
    "head_mismatch": "監査ログの末尾が削除または改ざんされています",
    "head_missing": "監査ログの末尾情報が削除されています",
    "unknown_key": "設定にない鍵で署名された監査記録があります（偽造、または鍵の削除）",
    "unkeyed_row": "署名のない監査記録が追加されています（偽造）",
    "truncated": "監査ログの末尾が削除されたか、古いデータベースが戻されています",
    "wiped": "監査ログが全件削除されています",
    "checkpoint_mismatch": "監査ログがチェックポイントと一致しません（書き換え、または古いデータベースの復元）",
    "checkpoint_altered": "チェックポイントファイルが改ざんされています",
    "checkpoint_unreadable": "チェックポイントファイルが壊れているか編集されています",
    "checkpoints_missing": "警告: チェックポイントファイルがないため、末尾の削除や古いデータベースの復元を確認できません",
}


class Command(BaseCommand):
    help = ("Verify the audit trail: every row's signature and link, and the trail against the "
            "signed checkpoints outside the database; name the first break and fail if any.")

    def add_arguments(self, parser):
        parser.add_argument("--checkpoints", type=Path, default=None,
                            help="the checkpoint file to check against (default: "
                                 "ROUEI_AUDIT_CHECKPOINTS, or audit-checkpoints.jsonl in the "
                                 "data directory); a syslog extract works too")
        parser.add_argument("--checkpoints-from", choices=["file", "s3"], default="file",
                            help="where to read the checkpoints: the file (default) or the "
                                 "object storage bucket (ROUEI_AUDIT_S3_BUCKET)")
        parser.add_argument("--no-checkpoints", action="store_true",
                            help="check the database alone (a missing checkpoint file is "
                                 "otherwise a failure)")

    def handle(self, *args, checkpoints=None, no_checkpoints=False, checkpoints_from="file",
               **options):
        if checkpoints_from not in {"file", "s3"}:
            raise CommandError("--checkpoints-from is file or s3")
        source = None
        if checkpoints_from == "s3":
            if checkpoints is not None:
                raise CommandError("--checkpoints names a file; --checkpoints-from s3 reads "
                                   "the bucket: give one of them")
            source = _s3_source()
        result = verify_trail(checkpoint_file=checkpoints, use_checkpoints=not no_checkpoints,
                              source=source)
        if result.broken is not None:
            summary = SUMMARY.get(result.broken.code, "監査ログの検証に失敗しました")
            raise CommandError(f"BROKEN / 改ざん検出: {summary}\n{result.broken}"
                               + sink_warnings(result))
        self.stdout.write(describe(result))


def _s3_source():
    from django.core.exceptions import ImproperlyConfigured

    from rouei.core.checkpoint_s3 import S3Sink

    try:
        return S3Sink()
    except ImproperlyConfigured as exc:
        raise CommandError(str(exc)) from None


def sink_warnings(result) -> str:
    """One line per checkpoint sink whose last write failed."""
    return "".join(
        f"\nWARNING / 注意: チェックポイントの書き込み先 {row.name} への書き込みが失敗しています "
        f"/ the checkpoint sink is failing since {row.failing_since:%Y-%m-%d %H:%M:%S %Z} "
        f"({row.failures:,} failed writes in all, last error {row.last_error or '-'}); "
        "the file has every checkpoint" for row in result.failing_sinks)


def describe(result) -> str:
    """What was checked, against what: the line a reviewer keeps."""
    keys = f"{result.keys} audit key{'s' if result.keys != 1 else ''}"
    text = f"OK: {result.events:,} events checked (signatures with {keys}, links)"
    if result.checkpoint_file is None:
        text += ("\nWARNING / 注意: not checked against checkpoints (--no-checkpoints): removed "
                 "newest rows or an older copy of the database would not be found / "
                 "チェックポイントと照合していません")
    elif result.last_checkpoint is None:
        text += f"; no checkpoints yet in {result.checkpoint_file} (the trail is empty)"
    else:
        last = result.last_checkpoint
        text += (f" against {result.checkpoints:,} checkpoint"
                 f"{'s' if result.checkpoints != 1 else ''} in {result.checkpoint_file}, "
                 f"the last at {last.at} (sequence {last.sequence:,})")
    if result.written is not None:
        text += (f"\nnew checkpoint: sequence {result.written.sequence:,}, "
                 f"head {result.written.head[:12]}…")
    text += "\n監査ログは改ざんされていません / the audit trail is intact"
    return text + sink_warnings(result)
