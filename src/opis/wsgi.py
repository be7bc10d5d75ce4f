"""WSGI entry point for servers (``gunicorn opis.wsgi``)."""

from django.core.wsgi import get_wsgi_application

from opis import config

config.configure_django()
application = get_wsgi_application()
