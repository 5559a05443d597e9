"""WSGI entry point (gunicorn rouei.config.wsgi:application)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rouei.config.settings")
application = get_wsgi_application()
