from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Registers the bearer-token security scheme with drf-spectacular.
        from core import schema  # noqa: F401
