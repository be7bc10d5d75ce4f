"""WSGI entry point for servers (``gunicorn opis.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opis.settings")
application = get_wsgi_application()
