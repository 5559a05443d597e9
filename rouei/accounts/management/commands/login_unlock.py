"""``rouei manage login_unlock USERNAME`` (or ``--address IP``): clear a sign-in delay now."""

from django.core.management.base import BaseCommand, CommandError

from rouei.accounts.actions import do_unlock_login


class Command(BaseCommand):
    help = ("Clear the sign-in delay on a user name, or with --address on a client address "
            "(after checking who is asking). Audited.")

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="")
        parser.add_argument("--address", default="", help="a client address instead of a name")

    def handle(self, *args, username, address, **options):
        if bool(username) == bool(address):
            raise CommandError("give a user name or --address, not both")
        if do_unlock_login(username, address=address, actor=None):
            self.stdout.write("OK: unlocked")
        else:
            self.stdout.write("not locked")
