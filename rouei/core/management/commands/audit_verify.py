"""``rouei manage audit_verify`` (and ``rouei audit verify``): check the audit hash chain."""

from django.core.management.base import BaseCommand, CommandError

from rouei.core.audit import verify_chain
from rouei.core.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; name the first broken link and fail if any."

    def handle(self, *args, **options):
        broken = verify_chain()
        if broken is not None:
            raise CommandError(f"BROKEN: {broken}")
        self.stdout.write(f"OK: {AuditEvent.objects.count()} events")
