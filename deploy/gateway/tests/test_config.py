"""The template itself: every placeholder has a value, and nginx accepts the result."""

from pathlib import Path

import gateway
import pytest
from conftest import nginx_binaries

# Set by each way of running the shop (make dev, compose, Kubernetes), not defaulted.
PER_DEPLOYMENT = {
    "AUTH_UPSTREAM",
    "CATALOG_UPSTREAM",
    "ORDERS_UPSTREAM",
    "NOTIFY_UPSTREAM",
    "SPA_ROOT",
    "GATEWAY_CACHE_DIR",
}


def sample_values(tmp_path: Path, **overrides: str) -> dict[str, str]:
    values = gateway.settings(
        {
            **{name: "127.0.0.1:9" for name in PER_DEPLOYMENT if name.endswith("_UPSTREAM")},
            "SPA_ROOT": str(tmp_path),
            "GATEWAY_CACHE_DIR": str(tmp_path / "cache"),
        },
        environ={},
    )
    values.update(overrides)
    return values


def test_every_placeholder_is_defaulted_or_set_per_deployment() -> None:
    used = gateway.placeholders(gateway.TEMPLATE.read_text())
    defaulted = set(gateway.read_defaults())

    assert used == defaulted | PER_DEPLOYMENT


def test_nginx_own_variables_are_not_placeholders() -> None:
    text = gateway.TEMPLATE.read_text()

    rendered = gateway.render(text, dict.fromkeys(gateway.placeholders(text), "x"))

    assert "$request_id" in rendered
    assert "$upstream_cache_status" in rendered
    assert "${" not in rendered


def test_a_missing_value_is_an_error_naming_it(tmp_path: Path) -> None:
    values = sample_values(tmp_path)
    del values["CATALOG_UPSTREAM"]

    with pytest.raises(gateway.GatewayConfigError, match="CATALOG_UPSTREAM"):
        gateway.render(gateway.TEMPLATE.read_text(), values)


def test_the_environment_overrides_a_default(tmp_path: Path) -> None:
    values = gateway.settings({}, environ={"GATEWAY_LOGIN_RATE": "3r/m", "UNRELATED": "1"})

    assert values["GATEWAY_LOGIN_RATE"] == "3r/m"
    assert "UNRELATED" not in values


@pytest.mark.parametrize("binary", nginx_binaries())
def test_nginx_accepts_the_rendered_configuration(binary: str, tmp_path: Path) -> None:
    gateway.write_local_config(tmp_path / "run", sample_values(tmp_path))

    gateway.check_config(binary, tmp_path / "run")


@pytest.mark.parametrize("binary", nginx_binaries())
def test_nginx_rejects_a_malformed_setting(binary: str, tmp_path: Path) -> None:
    gateway.write_local_config(tmp_path / "run", sample_values(tmp_path, GATEWAY_LOGIN_RATE="fast"))

    with pytest.raises(gateway.GatewayConfigError, match="rate"):
        gateway.check_config(binary, tmp_path / "run")
