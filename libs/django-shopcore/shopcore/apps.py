from django.apps import AppConfig


class ShopcoreConfig(AppConfig):
    name = "shopcore"
    verbose_name = "Shop core"

    def ready(self) -> None:
        # Registers the bearer-token security scheme with drf-spectacular.
        from shopcore import schema  # noqa: F401
