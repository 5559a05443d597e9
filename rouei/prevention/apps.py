from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _member_removed(*, incident, user, actor):
    from rouei.core.incident_apps import Reaction
    from rouei.prevention.actions import release_measures

    released = release_measures(incident, user)
    return Reaction(audit_details={"measures_unassigned": released}) if released else None


class PreventionConfig(AppConfig):
    name = "rouei.prevention"
    label = "prevention"
    verbose_name = _("Recurrence prevention")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from rouei.core import incident_apps as ia
        from rouei.prevention import cards
        from rouei.prevention.choices import AUDIT_ACTIONS

        ia.register(ia.IncidentApp(
            label=self.label, slug="prevention", urls="rouei.prevention.urls",
            namespace="prevention",
            menu=(ia.MenuEntry(_("Prevention plan"), "prevention:index", here="prevention"),),
            cards=(ia.Card("prevention/_card.html", cards.prevention, slot="body", order=45,
                           key=cards.prevention_key, reads=cards.READS),),
            audit_actions=AUDIT_ACTIONS,
            on_member_removed=_member_removed,
        ))
