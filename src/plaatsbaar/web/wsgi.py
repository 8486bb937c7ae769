"""WSGI entry point: ``gunicorn plaatsbaar.web.wsgi`` (or ``plaatsbaar serve``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plaatsbaar.web.settings")
application = get_wsgi_application()
