"""Settings per environment: `base` holds what is shared, the others what differs.

DJANGO_SETTINGS_MODULE picks one: `config.settings.production` (the default in manage.py and
wsgi.py), `config.settings.dev` (set by `make dev`) or `config.settings.test` (set by pytest).
"""
