"""Start Django for the commands that need the database (the domain commands do not)."""

from __future__ import annotations

import os


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rouei.config.settings")
    import django

    django.setup()
