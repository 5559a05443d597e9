from django.apps import AppConfig


class ScansConfig(AppConfig):
    name = "rouei.scans"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from rouei.core import incident_apps as ia
        from rouei.scans import cards
        from rouei.scans.choices import AUDIT_ACTIONS
        from rouei.workers.status import on_task_lost

        on_task_lost(_scan_task_lost)

        ia.register(ia.IncidentApp(
            label=self.label, slug="scans", urls="rouei.scans.urls", namespace="scans",
            cards=(ia.Card("scans/_incident_section.html", cards.recent_scans, order=20),),
            audit_actions=AUDIT_ACTIONS,
        ))


def _scan_task_lost(task_path: str, args: list, requeued: bool) -> None:
    # jobs.py is imported only when needed: its @task fixes the tasks backend on import.
    from rouei.scans.jobs import scan_task_lost

    scan_task_lost(task_path, args, requeued)
