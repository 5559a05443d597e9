from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "rouei.people"
    label = "people"
    verbose_name = _("Affected people")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from rouei.core import incident_apps as ia
        from rouei.people import cards
        from rouei.people.choices import AUDIT_ACTIONS

        ia.register(ia.IncidentApp(
            label=self.label, slug="people", urls="rouei.people.urls", namespace="people",
            prefix="claims",
            menu=(ia.MenuEntry(_("Affected people"), "people:registry", here="people"),
                  ia.MenuEntry(_("Contact window"), "people:window", need="answer_window",
                               here="window")),
            cards=(ia.Card("people/_incident_people.html", cards.registry_card, order=40,
                           key=cards.registry_card_key),),
            audit_actions=AUDIT_ACTIONS,
        ))
