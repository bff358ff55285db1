def test_healthz_is_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_checks_database_and_redis(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "checks": {"database": "ok", "redis": "ok"}}


def test_readyz_is_503_while_the_database_is_down_and_healthz_stays_200(stopped_postgres_app):
    client = stopped_postgres_app.test_client()

    ready = client.get("/readyz")

    assert ready.status_code == 503
    error = ready.get_json()["error"]
    assert error["code"] == "service_unavailable"
    assert error["details"] == {"checks": {"database": "unavailable", "redis": "ok"}}
    assert client.get("/healthz").status_code == 200


def test_readyz_is_503_while_redis_is_down(make_app, unused_redis_url):
    client = make_app(REDIS_URL=unused_redis_url).test_client()

    ready = client.get("/readyz")

    assert ready.status_code == 503
    assert ready.get_json()["error"]["details"] == {
        "checks": {"database": "ok", "redis": "unavailable"}
    }
    assert client.get("/healthz").status_code == 200
