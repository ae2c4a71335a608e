import os

from django.core.wsgi import get_wsgi_application

from annotator.settings.env import settings_module

os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())
application = get_wsgi_application()

# Import the views now: under gunicorn --preload the workers share them (copy-on-write) and
# no worker's first request pays for the imports (issue 12).
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018
