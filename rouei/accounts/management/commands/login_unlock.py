"""``rouei manage login_unlock USERNAME``: lift a sign-in lock before its 15 minutes end."""

from django.core.management.base import BaseCommand

from rouei.accounts.actions import do_unlock_login


class Command(BaseCommand):
    help = "Lift the sign-in lock on a user name (after checking who is asking). Audited."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if do_unlock_login(username, actor=None):
            self.stdout.write("OK: unlocked")
        else:
            self.stdout.write("not locked")
