"""The compose stack, `make dev` and the documentation describe one configuration.

deploy/compose/compose.yaml runs every process of `make dev` (the root Procfile, scripts/dev.py)
in containers. These tests hold the three together without starting anything:

- the compose file follows the Compose Specification, and the Dockerfiles pass hadolint and
  build what docs promise: multi-stage, the agreed Debian bases, an unprivileged user, a
  HEALTHCHECK, nothing secret;
- each service runs the same commands as in `make dev`, one-shot jobs included (signing key,
  migrations, demo data), in the order the healthchecks and `depends_on` conditions enforce;
- the variables: the environment compose gives a service passes that service's own
  production configuration check; compose sets no variable the service does not read; every
  variable a service reads is documented (its README or docs/conventions.md); every variable
  `make dev` gives a service and the service reads in production is set in compose too;
- .env.example gives every variable compose needs, every secret in it is a demo-only value,
  and compose.yaml holds no secret of its own.

Which variables a service reads is found in its configuration modules (the only places the
house style lets code read the environment): the calls of the environment readers there.
"""

import ast
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from compose_pydantic import models as compose_models

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_DIR = ROOT / "deploy" / "compose"
COMPOSE_FILE = COMPOSE_DIR / "compose.yaml"
ENV_EXAMPLE = COMPOSE_DIR / ".env.example"
POSTGRES_INIT = COMPOSE_DIR / "postgres" / "init-databases.sh"
GATEWAY_DIR = ROOT / "deploy" / "gateway"
CONVENTIONS = ROOT / "docs" / "conventions.md"
SHOPCORE = ROOT / "libs" / "django-shopcore" / "shopcore"
HADOLINT = Path(sys.executable).parent / "hadolint"

sys.path.insert(0, str(ROOT / "scripts"))

import compose_stack  # noqa: E402 (scripts/compose_stack.py: how `make up` makes .env)
import dev  # noqa: E402 (scripts/dev.py: the services, their processes and settings)

# Base images of the final stage and of build stages (issue 5): Debian-based official images.
RUNTIME_BASES = {"python:3.11-slim-bookworm", "nginx"}
BUILD_BASES = {"python:3.11-slim-bookworm", "node:20-bookworm-slim"}
# Set by the images for the interpreter, not read by the shop's code.
RUNTIME_VARIABLES = {"PATH", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE"}
# make dev's own bookkeeping: where its local files go (read by the dev settings only).
DEV_ONLY_VARIABLES = {"DATA_DIR", "PYTHONUNBUFFERED"}
# Names that hold a secret wherever they appear.
SECRET_NAME = re.compile(r"SECRET|PASSWORD|SERVICE_CLIENTS|PRIVATE_KEY$")
ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
# The methods of the services' environment readers (auth/config.py, notify/config.py,
# shopcore/env.py) and the helpers of gunicorn.conf.py; their first string argument is the
# variable's name.
READER_METHODS = {
    "required", "optional", "integer", "seconds", "boolean", "url", "rate_limit",
    "str", "secret", "int", "float", "bool", "list", "choice", "origins", "path",
    "directory", "database", "getenv", "_positive_int",
}  # fmt: skip


# --- reading the files -------------------------------------------------------------------------


def load_compose() -> dict[str, Any]:
    # safe_load resolves the anchors and `<<` merge keys, as compose does.
    return yaml.safe_load(COMPOSE_FILE.read_text())


def read_env_file(path: Path) -> dict[str, str]:
    return compose_stack.read_env_file(path)


_INTERPOLATION = re.compile(
    r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
)


def interpolate(value: str, variables: Mapping[str, str]) -> str:
    """Compose's `${NAME}`, `${NAME:-default}`, `${NAME:?error}` and `$$`, for the tests."""

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name", "op", "arg")
        value = variables.get(name)
        if op in (":-", "-") and (value is None or (op == ":-" and value == "")):
            return arg
        if op in (":?", "?") and (value is None or (op == ":?" and value == "")):
            raise AssertionError(f"compose needs {name}: {arg}")
        assert value is not None, f"compose reads ${{{name}}}, which .env.example does not set"
        return value

    return _INTERPOLATION.sub(replace, value)


def referenced_variables(text: str) -> set[str]:
    return {match.group("name") for match in _INTERPOLATION.finditer(text) if match.group("name")}


@dataclass(frozen=True)
class Dockerfile:
    path: Path
    stages: list[tuple[str, list[tuple[str, str]]]]  # (FROM image, [(INSTRUCTION, arguments)])

    @classmethod
    def read(cls, path: Path) -> "Dockerfile":
        text = re.sub(r"\\\n", " ", path.read_text())
        stages: list[tuple[str, list[tuple[str, str]]]] = []
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            instruction, _, arguments = line.partition(" ")
            instruction = instruction.upper()
            if instruction == "FROM":
                stages.append((arguments.split()[0], []))
            else:
                assert stages, f"{path}: {instruction} before the first FROM"
                stages[-1][1].append((instruction, arguments.strip()))
        return cls(path=path, stages=stages)

    @property
    def final(self) -> list[tuple[str, str]]:
        return self.stages[-1][1]

    def env(self) -> dict[str, str]:
        """ENV of the final stage (what every container of the image starts with)."""
        values = {}
        for instruction, arguments in self.final:
            if instruction == "ENV":
                for word in shlex.split(arguments):
                    name, _, value = word.partition("=")
                    values[name] = value
        return values


def dockerfiles() -> list[Path]:
    return sorted([*ROOT.glob("services/*/Dockerfile"), GATEWAY_DIR / "Dockerfile"])


# --- the services ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShopService:
    """One service of scripts/dev.py, with its image and containers in compose."""

    dev: Any  # dev.Service
    compose: dict[str, Any]

    @property
    def name(self) -> str:
        return self.dev.name

    @property
    def directory(self) -> Path:
        return ROOT / "services" / self.dev.directory

    @property
    def dockerfile(self) -> Dockerfile:
        return Dockerfile.read(self.directory / "Dockerfile")

    @property
    def django(self) -> bool:
        return (self.directory / "manage.py").is_file()

    @property
    def containers(self) -> dict[str, dict[str, Any]]:
        wanted = f"services/{self.dev.directory}/Dockerfile"
        return {
            name: definition
            for name, definition in self.compose["services"].items()
            if definition.get("build", {}).get("dockerfile") == wanted
        }

    def environment(self, container: str | None = None) -> dict[str, str]:
        """What a container of the service starts with: the image's ENV, then compose's."""
        definition = self.containers[container or self.dev.web_process]
        settings = read_env_file(ENV_EXAMPLE)
        given = {
            name: interpolate(str(value), settings)
            for name, value in definition.get("environment", {}).items()
        }
        return {**self.dockerfile.env(), **given}

    def config_files(self) -> list[Path]:
        """Where the service reads the environment: its configuration modules."""
        files = [self.directory / "gunicorn.conf.py"]
        if self.django:
            settings = self.directory / "config" / "settings"
            files += [settings / "base.py", settings / "production.py"]
            files += [self.directory / "config" / name for name in ("celery.py", "wsgi.py")]
            files += [self.directory / "manage.py", *sorted(SHOPCORE.glob("*.py"))]
        else:
            files += sorted(self.directory.glob("*/config.py"))
        return [path for path in files if path.is_file()]

    def variables_read(self) -> set[str]:
        names: set[str] = set()
        for path in self.config_files():
            names |= variables_read_by(ast.parse(path.read_text()))
        return names


def variables_read_by(tree: ast.AST) -> set[str]:
    """Names of environment variables a module reads through the readers the services use."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            function = node.func
            called = (
                function.attr
                if isinstance(function, ast.Attribute)
                else getattr(function, "id", "")
            )
            strings = [
                argument.value
                for argument in node.args
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str)
            ]
            receiver = ast.unparse(function.value) if isinstance(function, ast.Attribute) else ""
            environ_call = called in {"get", "setdefault"} and receiver.endswith("environ")
            if (called in READER_METHODS or environ_call or called == "_argon2_cost") and strings:
                if ENV_NAME.match(strings[0]):
                    names.add(strings[0])
            elif called == "log_level" and not node.args:
                names.add("LOG_LEVEL")  # the reader's default name
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value).endswith("os.environ"):
            key = node.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                names.add(key.value)
    return names


def shop_services() -> list[ShopService]:
    compose = load_compose()
    return [ShopService(dev=service, compose=compose) for service in dev.SERVICES]


SERVICES = shop_services()


def by_service(test: Any) -> Any:
    return pytest.mark.parametrize("service", SERVICES, ids=[s.name for s in SERVICES])(test)


# --- the files themselves ----------------------------------------------------------------------


def test_the_compose_file_follows_the_compose_specification() -> None:
    data = {key: value for key, value in load_compose().items() if not key.startswith("x-")}
    compose_models.ComposeSpecification.model_validate(data)


@pytest.mark.parametrize("path", dockerfiles(), ids=lambda path: str(path.relative_to(ROOT)))
def test_dockerfile_passes_hadolint_at_warning_level(path: Path) -> None:
    result = subprocess.run(
        [str(HADOLINT), "--failure-threshold", "warning", "--no-color", str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", dockerfiles(), ids=lambda path: str(path.relative_to(ROOT)))
def test_image_is_multi_stage_unprivileged_and_checks_its_health(path: Path) -> None:
    dockerfile = Dockerfile.read(path)
    assert len(dockerfile.stages) >= 2, "build in one stage, run from a clean one"
    *build_stages, (runtime_base, runtime) = dockerfile.stages
    for base, _ in build_stages:
        assert base in BUILD_BASES
    name, _, tag = runtime_base.partition(":")
    assert runtime_base in RUNTIME_BASES or (name in RUNTIME_BASES and tag.endswith("-bookworm"))
    instructions = [instruction for instruction, _ in runtime]
    users = [arguments for instruction, arguments in runtime if instruction == "USER"]
    assert users, "the final stage must switch to an unprivileged user"
    assert users[-1].split(":")[0] not in {"0", "root"}
    assert users[-1].split(":")[0].isdecimal(), "by number, so runAsNonRoot can check it"
    assert "HEALTHCHECK" in instructions
    # Nothing secret is baked in: no ENV or ARG with a secret's name.
    for instruction, arguments in (step for _, steps in dockerfile.stages for step in steps):
        if instruction in {"ENV", "ARG"}:
            for word in shlex.split(arguments):
                assert not SECRET_NAME.search(word.partition("=")[0]), f"{instruction} {word}"


def test_the_build_context_leaves_local_state_and_secrets_out() -> None:
    rules = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert rules[0] == "*", "everything is left out unless let back in"
    allowed = [rule[1:].rstrip("/") for rule in rules if rule.startswith("!")]
    for path in (".data", ".venv", ".git", "deploy/compose/.env", "reports"):
        assert not any(path == entry or path.startswith(f"{entry}/") for entry in allowed), path
    assert "**/.env" in rules


# --- the processes -----------------------------------------------------------------------------


def procfile_command(process: str, directory: str) -> list[str]:
    """A Procfile line without the `exec scripts/with_env.py <dir>` that make dev puts first."""
    words = shlex.split(dev.procfile_commands()[process])
    prefix = ["exec", "scripts/with_env.py", directory]
    assert words[:3] == prefix, f"{process}: {words}"
    return words[3:]


def shell_commands(command: list[str], environment: Mapping[str, str]) -> list[list[str]]:
    """`sh -c "a && b"` as [a, b], with the shell's `$NAME`s expanded; any other as itself."""
    if command[:2] != ["sh", "-c"]:
        return [command]
    expanded = re.sub(r"\$([A-Z_][A-Z0-9_]*)", lambda m: environment[m.group(1)], command[2])
    return [shlex.split(part) for part in expanded.split("&&")]


@by_service
def test_every_process_of_make_dev_runs_in_compose_with_the_same_command(
    service: ShopService,
) -> None:
    containers = service.containers
    for process in service.dev.processes:
        if process == "mail":
            # make dev's mail sink; compose runs Mailpit, whose API the sink imitates.
            assert "mailpit" in service.compose["services"]
            continue
        assert process in containers, f"compose has no {process}"
        assert containers[process]["command"] == procfile_command(process, service.dev.directory)


@by_service
def test_one_shot_jobs_run_the_setup_of_make_dev_in_order(service: ShopService) -> None:
    environment = service.environment()
    expected = [
        [word.format_map(environment) for word in shlex.split(command)]
        for command in service.dev.setup
    ]
    jobs = [c for c in service.containers.values() if c.get("restart") == "no"]
    settings = read_env_file(ENV_EXAMPLE)
    run = [
        command
        for job in jobs
        for command in shell_commands(
            [interpolate(word, settings) for word in job["command"]], environment
        )
    ]
    assert run == expected


@by_service
def test_every_container_of_a_service_has_the_same_environment(service: ShopService) -> None:
    environments = {name: service.environment(name) for name in service.containers}
    first = environments[service.dev.web_process]
    assert all(environment == first for environment in environments.values()), environments


# --- the variables -----------------------------------------------------------------------------


def container_paths_in_the_repository(environment: Mapping[str, str]) -> dict[str, str]:
    """The image's copies of contracts/ are the repository's own files."""
    return {
        name: value.replace("/app/contracts/", f"{ROOT}/contracts/")
        for name, value in environment.items()
    }


CONFIG_CHECK = {
    "flask": "import importlib, sys; importlib.import_module(sys.argv[1] + '.config').Config()",
    "django": "import django; django.setup()",
}


@by_service
def test_the_compose_environment_passes_the_services_configuration_check(
    service: ShopService,
) -> None:
    # The production configuration, read exactly as the container reads it: it names every
    # missing or malformed variable at once. Nothing connects to a database or Redis.
    environment = container_paths_in_the_repository(service.environment())
    environment = {
        name: value for name, value in environment.items() if name not in RUNTIME_VARIABLES
    }
    if service.django:
        command = [sys.executable, "-c", CONFIG_CHECK["django"]]
    else:
        # The package of gunicorn's "auth:create_app()".
        package = service.containers[service.dev.web_process]["command"][-1].split(":")[0]
        command = [sys.executable, "-c", CONFIG_CHECK["flask"], package]
    result = subprocess.run(
        command,
        cwd=service.directory,
        env={"PATH": os.environ["PATH"], "PYTHONPATH": str(service.directory), **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]


@by_service
def test_compose_sets_only_variables_the_service_reads(service: ShopService) -> None:
    given = set(service.environment()) - RUNTIME_VARIABLES
    assert given - service.variables_read() == set()


@by_service
def test_every_variable_the_service_reads_is_documented(service: ShopService) -> None:
    documents = (service.directory / "README.md").read_text() + CONVENTIONS.read_text()
    undocumented = {
        name for name in service.variables_read() if not re.search(rf"\b{name}\b", documents)
    }
    assert undocumented == set()


@by_service
def test_what_make_dev_gives_a_service_compose_gives_it_too(service: ShopService) -> None:
    stack = dev.Stack(
        data_dir=Path("/nonexistent"),
        gateway_host="127.0.0.1",
        gateway_port=8080,
        ports=dict(dev.GATEWAY_UPSTREAM_PORTS),
        redis_url="redis://127.0.0.1:6379/0",
        secrets={s.name: {"secret_key": "x" * 50, "client_secret": "y" * 20} for s in dev.SERVICES},
    )
    from_make_dev = set(stack.service_env(service.dev)) - DEV_ONLY_VARIABLES
    # Names make dev sets for every service alike (the other services' addresses) count only
    # where the service reads them.
    wanted = from_make_dev & service.variables_read()
    assert wanted - set(service.environment()) == set()
    # ... and the values that must agree across the stack do.
    assert stack.service_env(service.dev)["JWT_ISSUER"] == service.environment()["JWT_ISSUER"]


def compose_defaults() -> dict[str, str]:
    """`${NAME:-default}` of compose.yaml: the value when .env does not set NAME."""
    return {
        match.group("name"): match.group("arg")
        for match in _INTERPOLATION.finditer(COMPOSE_FILE.read_text())
        if match.group("op") == ":-"
    }


def test_env_example_gives_every_variable_compose_reads_and_only_those() -> None:
    example = read_env_file(ENV_EXAMPLE)
    referenced = referenced_variables(COMPOSE_FILE.read_text())
    assert set(example) - referenced == set()
    # A variable .env.example leaves unset has a default in compose and is described there,
    # commented out, with the value to uncomment.
    commented = set(re.findall(r"^# ([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.MULTILINE))
    for name in referenced - set(example):
        assert name in compose_defaults(), f"{name} has neither a value nor a default"
        assert name in commented, f".env.example does not describe {name}"
    # Every value that is a secret is a demo-only one, which `make up` replaces.
    for name, value in example.items():
        if SECRET_NAME.search(name):
            assert value.startswith(compose_stack.DEMO_PREFIX), name


def test_compose_holds_no_secret_of_its_own() -> None:
    for name, definition in load_compose()["services"].items():
        for variable, value in definition.get("environment", {}).items():
            if SECRET_NAME.search(variable) and variable != "JWT_PRIVATE_KEY_FILE":
                # What is left once the ${...} references are taken out: separators and
                # client ids, never a secret.
                literal = _INTERPOLATION.sub("", str(value))
                assert not re.search(r"[A-Za-z0-9]{8,}", literal), f"{name}: {variable}"


def test_make_up_writes_fresh_secrets_into_env_and_never_overwrites(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    assert compose_stack.ensure_env_file(env_file, ENV_EXAMPLE) is True
    first = read_env_file(env_file)
    example = read_env_file(ENV_EXAMPLE)
    assert set(first) == set(example)
    for name, value in example.items():
        if value.startswith(compose_stack.DEMO_PREFIX):
            assert re.fullmatch(r"[0-9a-f]{64}", first[name]), name
        else:
            assert first[name] == value
    assert oct(env_file.stat().st_mode & 0o777) == "0o600"
    env_file.write_text("LOG_LEVEL=DEBUG\n")
    assert compose_stack.ensure_env_file(env_file, ENV_EXAMPLE) is False
    assert env_file.read_text() == "LOG_LEVEL=DEBUG\n"


# --- start-up order, restarts, limits, storage -------------------------------------------------


def test_the_stack_starts_in_order_and_recovers() -> None:
    services = load_compose()["services"]
    web_processes = {service.dev.web_process for service in SERVICES}
    for name, definition in services.items():
        for dependency, rule in definition.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            target = services[dependency]
            if rule["condition"] == "service_healthy":
                assert target.get("healthcheck", {}).get("disable") is not True
            if target.get("restart") == "no":
                assert rule["condition"] == "service_completed_successfully"
        assert definition["networks"] == ["shop"], name
        limits = definition.get("deploy", {}).get("resources", {}).get("limits", {})
        if "loadtest" not in definition.get("profiles", []):
            assert {"cpus", "memory"} <= set(limits), f"{name} has no resource limits"
        if definition.get("restart") == "no" and not definition.get("profiles"):
            # A one-shot job; `up --wait` needs someone to wait for its exit.
            assert any(
                other.get("depends_on", {}).get(name, {}).get("condition")
                == "service_completed_successfully"
                for other in services.values()
            ), f"nothing waits for the one-shot {name}"
        elif not definition.get("profiles"):
            assert definition["restart"] == "unless-stopped", name
    gateway = services["gateway"]["depends_on"]
    assert {name: rule["condition"] for name, rule in gateway.items()} == dict.fromkeys(
        web_processes, "service_healthy"
    )


def test_data_lives_in_named_volumes() -> None:
    compose = load_compose()
    declared = set(compose["volumes"])
    used = {
        volume.split(":")[0]
        for definition in compose["services"].values()
        for volume in definition.get("volumes", [])
        if not volume.startswith((".", "/"))
    }
    assert used == declared == {"postgres-data", "redis-data", "auth-keys"}
    redis = compose["services"]["redis"]["command"]
    assert redis[redis.index("--appendonly") + 1] == "yes"
    assert redis[redis.index("--maxmemory-policy") + 1] == "noeviction"


def test_each_service_gets_its_own_database_and_role() -> None:
    script = POSTGRES_INIT.read_text()
    created = set(re.search(r"for service in ([a-z ]+); do", script).group(1).split())
    assert os.access(POSTGRES_INIT, os.X_OK), "the postgres image runs it only when executable"
    postgres_environment = load_compose()["services"]["postgres"]["environment"]
    for service in SERVICES:
        url = service.environment()["DATABASE_URL"]
        match = re.fullmatch(r"postgresql://(\w+):[^@]+@postgres:5432/(\w+)", url)
        assert match, url
        assert match.group(1) == match.group(2) == service.name
        assert service.name in created
        password = f"{service.name.upper()}_DB_PASSWORD"
        assert f"${{{password}:" in str(postgres_environment[password])
        assert f":${{{password}:" in COMPOSE_FILE.read_text()


def test_compose_defaults_are_the_documented_defaults() -> None:
    gateway_defaults = read_env_file(GATEWAY_DIR / "gateway.env")
    auth_readme = (ROOT / "services" / "auth-flask" / "README.md").read_text()
    for name, default in compose_defaults().items():
        if name in gateway_defaults:
            assert default == gateway_defaults[name], name
        elif name.startswith("RATE_LIMIT_"):
            assert f"| `{name}` | no | `{default}` |" in auth_readme, name


def test_the_gateway_gets_every_placeholder_of_its_template() -> None:
    template = (GATEWAY_DIR / "templates" / "shop.conf.template").read_text()
    placeholders = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)\}", template))
    gateway = load_compose()["services"]["gateway"]
    given = set(gateway["environment"]) | set(Dockerfile.read(GATEWAY_DIR / "Dockerfile").env())
    for env_file in gateway["env_file"]:
        given |= set(read_env_file(COMPOSE_DIR / env_file))
    assert placeholders - given == set()
    filter_pattern = Dockerfile.read(GATEWAY_DIR / "Dockerfile").env()["NGINX_ENVSUBST_FILTER"]
    assert all(re.search(filter_pattern, name) for name in placeholders)
    assert not re.search(filter_pattern, "HOSTNAME")


def test_published_ports_answer_on_this_machine_only_by_default() -> None:
    for name, definition in load_compose()["services"].items():
        for port in definition.get("ports", []):
            assert port.startswith(("127.0.0.1:", "${GATEWAY_HOST:-127.0.0.1}:")), f"{name}: {port}"
