"""The WSGI application gunicorn serves: `gunicorn --config gunicorn.conf.py config.wsgi`."""

import os
import sys

from django.core.wsgi import get_wsgi_application

from shopcore.env import ConfigurationError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

try:
    application = get_wsgi_application()
except ConfigurationError as error:
    # One readable message instead of a traceback; gunicorn stops with it.
    sys.exit(str(error))
