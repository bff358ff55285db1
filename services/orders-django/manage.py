#!/usr/bin/env python
"""Django's command-line utility: migrations, the outbox relay, the periodic jobs."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    from shopcore.env import ConfigurationError

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loads and checks the settings now
    except ConfigurationError as error:
        sys.exit(str(error))
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
