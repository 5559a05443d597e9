"""An incident-scoped app as a newcomer would write it: this folder and one settings line."""

from django.apps import AppConfig


class SampleAppConfig(AppConfig):
    name = "tests.core.sample_app"
    label = "sample_app"

    def ready(self):
        from rouei.core import incident_apps as ia
        from tests.core.sample_app import views

        ia.register(ia.IncidentApp(
            label=self.label, slug="sample", urls="tests.core.sample_app.urls",
            namespace="sample_app",
            menu=(ia.MenuEntry("見本", "sample_app:page", here="sample"),),
            cards=(ia.Card("sample_app/_card.html", views.card),),
            audit_actions={"sample.touch": "見本の操作"},
        ))
