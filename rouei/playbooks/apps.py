from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlaybooksConfig(AppConfig):
    name = "rouei.playbooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from rouei.core import incident_apps as ia
        from rouei.playbooks import cards, scheduling
        from rouei.playbooks.choices import AUDIT_ACTIONS

        ia.register(ia.IncidentApp(
            label=self.label, slug="tasks", prefix="playbooks", urls="rouei.playbooks.urls",
            namespace="playbooks",
            menu=(ia.MenuEntry(_("Tasks"), "playbooks:tasks", here="tasks"),),
            nav=(ia.NavEntry(_("Deadlines"), "playbooks:dashboard", order=20),),
            cards=(ia.Card("playbooks/_open_tasks.html", cards.open_tasks, order=10,
                           slot="top", key=cards.open_tasks_key, reads=cards.READS,
                           names=cards.NAMES),),
            audit_actions=AUDIT_ACTIONS,
            on_incident_created=scheduling.on_incident_created,
            on_facts_changed=scheduling.on_facts_changed,
            on_member_removed=scheduling.on_member_removed,
            preview_member_removal=scheduling.preview_member_removal,
            duty_inputs=scheduling.duty_inputs,
        ))
