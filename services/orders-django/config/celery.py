"""The Celery app of orders-django. It only sends: the outbox relay puts one
`<subscriber>.handle_event` task per subscriber on that subscriber's queue. No worker of this
service consumes anything."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("orders")
app.config_from_object("django.conf:settings", namespace="CELERY")
