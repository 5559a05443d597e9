"""``rouei manage mfa_reset USERNAME``: for someone who lost both phone and recovery codes."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from rouei.accounts.actions import do_reset_mfa


class Command(BaseCommand):
    help = ("Remove a user's authenticator apps and recovery codes (they set up two-factor "
            "sign-in again at their next sign-in). Recorded in the audit trail.")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError("no such user")
        removed = do_reset_mfa(user, actor=None)
        self.stdout.write(f"OK: {removed} authenticator app(s) and the recovery codes removed")
