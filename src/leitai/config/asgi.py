"""ASGI entry point (uvicorn): pages, API and server-sent event streams."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leitai.config.settings")
application = get_asgi_application()
