"""``rouei manage createsuperuser``: Django's command, with the password validators applied in
the non-interactive form too (``--noinput`` with ``DJANGO_SUPERUSER_PASSWORD``), which Django
itself does not check. (``rouei.accounts`` is listed before ``django.contrib.auth`` in
INSTALLED_APPS so that this command is the one that runs.)"""

from __future__ import annotations

import os

from django.contrib.auth.management.commands import createsuperuser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


class Command(createsuperuser.Command):
    def handle(self, *args, **options):
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if not options.get("interactive", True) and password is not None:
            field = self.UserModel.USERNAME_FIELD
            username = options.get(field) or os.environ.get(f"DJANGO_SUPERUSER_{field.upper()}")
            email = options.get("email") or os.environ.get("DJANGO_SUPERUSER_EMAIL") or ""
            candidate = self.UserModel(**{field: username or ""}, email=email)
            try:
                validate_password(password, candidate)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
        return super().handle(*args, **options)
