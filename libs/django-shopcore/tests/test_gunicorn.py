"""The services' gunicorn logger never builds gunicorn's access line, which nobody reads."""

from datetime import timedelta

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger as GunicornLogger

from shopcore.gunicorn import Logger


class AtomsBuilt(Exception):
    pass


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch) -> Config:
    """gunicorn's configuration as the services give it: a logging configuration, no access log."""
    config = Config()
    config.set("logconfig_dict", {"version": 1, "disable_existing_loggers": False})
    config.set("accesslog", None)

    def refuse(*_args: object) -> None:
        raise AtomsBuilt

    monkeypatch.setattr(GunicornLogger, "atoms", refuse)
    return config


def test_gunicorns_own_logger_builds_the_line_the_services_throw_away(configured: Config) -> None:
    with pytest.raises(AtomsBuilt):
        GunicornLogger(configured).access(None, None, {}, timedelta(milliseconds=3))


def test_the_services_logger_does_not(configured: Config) -> None:
    assert Logger(configured).access(None, None, {}, timedelta(milliseconds=3)) is None
