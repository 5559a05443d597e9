"""``rouei manage intake USER [--remove]``: who may see and record complaints and alerts before an
incident (the group 「受付窓口 / intake」); audited."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from rouei.intake.actions import do_set_intake_member


class Command(BaseCommand):
    help = "Add USER to the intake group (complaints and signals), or take them out (--remove)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--remove", action="store_true")

    def handle(self, *args, username, remove, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no such user: {username}")
        changed = do_set_intake_member(user, not remove, actor=None)
        verb = "removed from" if remove else "added to"
        self.stdout.write(f"{username} {verb} the intake group" if changed
                          else f"{username}: nothing to change")
