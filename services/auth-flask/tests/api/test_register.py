from auth.extensions import db
from auth.models import OutboxEvent, RefreshToken, User

STRONG = "Analytical-Engine-1843"


def _register(client, **body):
    payload = {"email": "ada@example.com", "password": STRONG, "name": "Ada Lovelace", **body}
    return client.post("/api/auth/register", json=payload)


def _user_count() -> int:
    return db.session.query(User).count()


def test_register_creates_a_customer_and_logs_in(client, bearer):
    response = _register(client, email="  Ada@Example.COM ")

    assert response.status_code == 201
    body = response.get_json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert body["user"]["email"] == "ada@example.com"
    assert body["user"]["roles"] == ["customer"]
    assert body["user"]["name"] == "Ada Lovelace"
    assert set(body["user"]) == {"id", "email", "name", "roles", "created_at"}
    assert "refresh_token" not in body
    me = client.get("/api/auth/me", headers=bearer(body["access_token"]))
    assert me.get_json()["id"] == body["user"]["id"]


def test_register_announces_the_account_with_one_user_registered_event(client, assert_valid_event):
    response = client.post(
        "/api/auth/register",
        json={"email": "Ada@Example.com", "password": STRONG, "name": " Ada Lovelace "},
        headers={"X-Request-ID": "register-1"},
    )

    user = response.get_json()["user"]
    event = db.session.query(OutboxEvent).one()
    envelope = event.payload
    assert_valid_event(envelope)
    assert envelope["type"] == "user.registered"
    assert envelope["source"] == "auth"
    assert envelope["correlation_id"] == "register-1"
    assert envelope["data"] == {
        "user_id": user["id"],
        "email": "ada@example.com",
        "name": "Ada Lovelace",
    }
    assert envelope["id"] == str(event.id)
    # The event happened when the account was created.
    assert envelope["time"] == user["created_at"].replace("+00:00", "Z")
    assert event.published_at is None  # the relay publishes it


def test_a_refused_registration_announces_nothing(client):
    assert _register(client).status_code == 201

    assert _register(client, email="ADA@example.com").status_code == 409
    assert _register(client, email="grace@example.com", password="password123").status_code == 400

    assert db.session.query(OutboxEvent).count() == 1


def test_register_sets_the_refresh_token_only_as_a_strict_http_only_cookie(client):
    response = _register(client)

    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("refresh_token=")
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Path=/api/auth" in cookie
    assert "Secure" not in cookie  # COOKIE_SECURE=false in the test environment
    assert response.headers["Cache-Control"] == "no-store"
    token = client.get_cookie("refresh_token", path="/api/auth").value
    stored = db.session.query(RefreshToken).one()
    assert stored.token_hash != token
    assert len(stored.token_hash) == 64


def test_cookie_is_secure_when_configured(make_app):
    client = make_app(COOKIE_SECURE="true").test_client()

    response = _register(client)

    assert "Secure" in response.headers["Set-Cookie"]


def test_registering_a_taken_email_is_a_conflict_whatever_its_case(client):
    assert _register(client).status_code == 201

    response = _register(client, email="ADA@example.com", name="Someone Else")

    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "conflict"
    assert error["details"] == {"email": ["This email address is already registered."]}
    assert _user_count() == 1


def test_weak_password_is_rejected_with_field_details(client):
    response = _register(client, password="password123")

    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert "password" in error["details"]
    assert _user_count() == 0


def test_password_containing_the_name_is_rejected(client):
    response = _register(client, password="Lovelace-Rules-1843")

    assert response.status_code == 400
    assert response.get_json()["error"]["details"]["password"] == [
        "Do not use your name or email address in your password."
    ]


def test_server_owned_fields_cannot_be_set(client):
    response = _register(client, roles=["admin"], id=1)

    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"] == {"roles": ["Unknown field."], "id": ["Unknown field."]}
    assert _user_count() == 0


def test_wrong_types_and_missing_fields_are_rejected(client):
    response = client.post(
        "/api/auth/register", json={"email": 42, "password": ["x"], "name": None}
    )

    details = response.get_json()["error"]["details"]
    assert response.status_code == 400
    assert set(details) == {"email", "password", "name"}
    missing = client.post("/api/auth/register", json={})
    assert set(missing.get_json()["error"]["details"]) == {"email", "password", "name"}
    assert _user_count() == 0


def test_malformed_email_and_blank_name_are_rejected(client):
    response = _register(client, email="not-an-email", name="   ")

    details = response.get_json()["error"]["details"]
    assert set(details) == {"email", "name"}
    assert _user_count() == 0


def test_invalid_json_is_rejected(client):
    response = client.post(
        "/api/auth/register", data='{"email": "ada@example.com",', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"
    assert _user_count() == 0


def test_a_json_array_is_not_an_object(client):
    response = client.post("/api/auth/register", json=["ada@example.com"])

    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "validation_error"


def test_form_bodies_are_unsupported(client):
    response = client.post(
        "/api/auth/register",
        data={"email": "ada@example.com", "password": STRONG, "name": "Ada"},
    )

    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"
    assert _user_count() == 0
