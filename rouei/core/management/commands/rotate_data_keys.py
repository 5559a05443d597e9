"""``rouei manage rotate_data_keys``: re-encrypt personal data under the first key of
ROUEI_DATA_KEYS, so the older keys can then be removed from it."""

from django.core.management.base import BaseCommand, CommandError

from rouei.core.crypto import DecryptionError, rotate_all


class Command(BaseCommand):
    help = ("Re-encrypt every encrypted column under the first key of ROUEI_DATA_KEYS; then the "
            "other keys can be removed.")

    def handle(self, *args, **options):
        try:
            counts = rotate_all()
        except DecryptionError as exc:
            raise CommandError(f"{exc}: put the key that encrypted it back into "
                               "ROUEI_DATA_KEYS and run this again") from None
        for column, rows in counts.items():
            self.stdout.write(f"{column}: {rows}")
        self.stdout.write(f"OK: {sum(counts.values())} values re-encrypted under the first key")
