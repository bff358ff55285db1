import os
import stat
import subprocess
import sys
from pathlib import Path

from auth.cli import DEMO_USERS
from auth.extensions import db
from auth.keys import load_private_key
from auth.models import User
from auth.passwords import password_problems

SERVICE_DIR = Path(__file__).resolve().parent.parent


def test_seed_demo_creates_the_demo_accounts_once(app, login):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])

    assert first.exit_code == second.exit_code == 0
    assert "Created admin admin@shop.example." in first.output
    assert "Kept admin admin@shop.example." in second.output
    users = {user.email: user.role for user in db.session.query(User)}
    assert users == {"admin@shop.example": "admin", "customer@shop.example": "customer"}
    for demo in DEMO_USERS:
        response = login(demo["email"], demo["password"])
        assert response.status_code == 200
        assert response.get_json()["user"]["roles"] == [demo["role"].value]


def test_demo_passwords_pass_our_own_rules():
    for demo in DEMO_USERS:
        assert password_problems(demo["password"], email=demo["email"], name=demo["name"]) == []


def test_create_admin_with_a_password_option(app, login):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "Boss@Example.com", "--password", "Brass-Compass-Tundra-7"]
    )

    assert result.exit_code == 0, result.output
    assert login("boss@example.com", "Brass-Compass-Tundra-7").get_json()["user"]["roles"] == [
        "admin"
    ]


def test_create_admin_reads_the_password_from_stdin(app, login):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "boss@example.com", "--name", "The Boss"],
        input="Brass-Compass-Tundra-7\n",
    )

    assert result.exit_code == 0, result.output
    assert login("boss@example.com", "Brass-Compass-Tundra-7").status_code == 200


def test_create_admin_refuses_weak_passwords_and_taken_emails(app, user):
    runner = app.test_cli_runner()

    weak = runner.invoke(
        args=["create-admin", "--email", "boss@example.com", "--password", "admin12345"]
    )
    taken = runner.invoke(
        args=["create-admin", "--email", "ada@example.com", "--password", "Brass-Compass-Tundra-7"]
    )

    assert weak.exit_code == 1
    assert "too easy to guess" in weak.output
    assert taken.exit_code == 1
    assert "already registered" in taken.output
    assert db.session.query(User).count() == 1


def test_keys_generate_writes_a_private_key_and_never_overwrites_by_accident(app, tmp_path):
    path = tmp_path / "jwt.pem"
    runner = app.test_cli_runner()

    created = runner.invoke(args=["keys", "generate", str(path)])
    original = path.read_bytes()
    refused = runner.invoke(args=["keys", "generate", str(path)])
    kept = runner.invoke(args=["keys", "generate", "--if-missing", str(path)])

    assert created.exit_code == 0
    assert load_private_key(path).key_size == 2048
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert refused.exit_code == 1
    assert "--force" in refused.output
    assert kept.exit_code == 0
    assert path.read_bytes() == original


def test_keys_rotate_needs_a_previous_key_path(make_app, key_files):
    current, _previous = key_files
    app = make_app(JWT_PRIVATE_KEY_FILE=str(current), JWT_PREVIOUS_KEY_FILE="")

    result = app.test_cli_runner().invoke(args=["keys", "rotate"])

    assert result.exit_code == 1
    assert "JWT_PREVIOUS_KEY_FILE" in result.output


def test_the_real_cli_generates_the_first_key_before_any_key_exists(base_environ, tmp_path):
    """`flask keys generate` must work while JWT_PRIVATE_KEY_FILE does not exist yet."""
    key = tmp_path / "first.pem"
    environ = {**os.environ, **base_environ, "JWT_PRIVATE_KEY_FILE": str(key)}

    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "auth", "keys", "generate", str(key)],
        cwd=SERVICE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert load_private_key(key).key_size == 2048
