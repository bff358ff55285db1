"""/healthz answers while the process lives; /readyz only while its dependencies answer."""

import testenv


def test_healthz_and_readyz_when_everything_answers(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json() == {"status": "ready", "checks": {"database": "ok", "redis": "ok"}}


def test_readyz_fails_while_redis_is_down_and_healthz_does_not(make_app):
    app = make_app(REDIS_URL=f"redis://127.0.0.1:{testenv.free_port()}/0")
    client = app.test_client()

    ready = client.get("/readyz")

    assert ready.status_code == 503
    error = ready.get_json()["error"]
    assert error["code"] == "service_unavailable"
    assert error["details"]["checks"] == {"database": "ok", "redis": "unavailable"}
    assert client.get("/healthz").status_code == 200


def test_readyz_fails_while_the_database_is_down(make_app):
    port = testenv.free_port()
    app = make_app(DATABASE_URL=f"postgresql://postgres@127.0.0.1:{port}/notify")

    ready = app.test_client().get("/readyz")

    assert ready.status_code == 503
    assert ready.get_json()["error"]["details"]["checks"]["database"] == "unavailable"


def test_the_inbox_answers_503_not_500_while_the_database_is_down(make_app, peers):
    app = make_app(DATABASE_URL=f"postgresql://postgres@127.0.0.1:{testenv.free_port()}/notify")
    token = peers.user_token(1)

    response = app.test_client().get(
        "/api/notifications/", headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "service_unavailable"
