"""The inbox API: a user sees and changes only their own notifications."""

import pytest
from sqlalchemy import select
from tests.factories import NotificationFactory

from notify.extensions import db
from notify.models import Notification


@pytest.fixture
def auth(peers):
    """Authorization headers for a user, with a token signed as auth signs them."""

    def headers(user_id: int, **token_options) -> dict[str, str]:
        return {"Authorization": f"Bearer {peers.user_token(user_id, **token_options)}"}

    return headers


def test_the_list_holds_only_the_callers_notifications_newest_first(client, auth):
    mine = NotificationFactory.create_batch(3, user_id=1)
    NotificationFactory.create_batch(2, user_id=2)

    response = client.get("/api/notifications/", headers=auth(1))

    assert response.status_code == 200
    body = response.get_json()
    assert body["count"] == 3
    assert [item["id"] for item in body["results"]] == [n.id for n in reversed(mine)]
    first = body["results"][0]
    assert set(first) == {"id", "type", "title", "body", "link", "created_at", "read_at"}
    assert first["created_at"].endswith("Z")
    assert first["read_at"] is None
    assert response.headers["Cache-Control"] == "private, no-store"


def test_the_list_is_paginated(client, auth):
    NotificationFactory.create_batch(5, user_id=1)

    first = client.get("/api/notifications/?page_size=2", headers=auth(1)).get_json()
    last = client.get("/api/notifications/?page=3&page_size=2", headers=auth(1)).get_json()

    assert (first["count"], first["page"], first["total_pages"]) == (5, 1, 3)
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert first["next"].endswith("/api/notifications/?page=2&page_size=2")
    assert len(last["results"]) == 1
    assert last["next"] is None
    assert last["previous"].endswith("/api/notifications/?page=2&page_size=2")


@pytest.mark.parametrize(
    ("query", "field"),
    [("page=0", "page"), ("page=x", "page"), ("page_size=101", "page_size")],
)
def test_out_of_range_paging_is_a_validation_error(client, auth, query, field):
    response = client.get(f"/api/notifications/?{query}", headers=auth(1))

    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["details"]


def test_unread_count_counts_only_the_callers_unread(client, auth):
    NotificationFactory.create_batch(3, user_id=1)
    NotificationFactory(user_id=1, read_at=NotificationFactory.created_at.function(99))
    NotificationFactory.create_batch(4, user_id=2)

    response = client.get("/api/notifications/unread-count/", headers=auth(1))

    assert response.status_code == 200
    assert response.get_json() == {"unread": 3}


def test_marking_read_sets_read_at_once(client, auth):
    notification = NotificationFactory(user_id=1)

    first = client.post(f"/api/notifications/{notification.id}/read/", headers=auth(1))
    again = client.post(f"/api/notifications/{notification.id}/read/", headers=auth(1), json={})

    assert first.status_code == 200
    assert first.get_json()["read_at"] is not None
    assert again.get_json()["read_at"] == first.get_json()["read_at"]
    unread = client.get("/api/notifications/unread-count/", headers=auth(1)).get_json()
    assert unread == {"unread": 0}


def test_another_users_notification_is_not_found_and_stays_unread(client, auth):
    theirs = NotificationFactory(user_id=2)

    response = client.post(f"/api/notifications/{theirs.id}/read/", headers=auth(1))

    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None
    # Exactly what a notification that does not exist at all answers: no id probing.
    missing = client.post("/api/notifications/999999/read/", headers=auth(1))
    assert missing.get_json() == response.get_json()


def test_read_all_marks_only_the_callers_notifications(client, auth):
    NotificationFactory.create_batch(3, user_id=1)
    NotificationFactory.create_batch(2, user_id=2)

    response = client.post("/api/notifications/read-all/", headers=auth(1))

    assert response.status_code == 204
    assert response.data == b""
    assert client.get("/api/notifications/unread-count/", headers=auth(1)).get_json() == {
        "unread": 0
    }
    assert client.get("/api/notifications/unread-count/", headers=auth(2)).get_json() == {
        "unread": 2
    }


@pytest.mark.parametrize("field", ["read_at", "user_id", "id"])
def test_unknown_fields_are_refused_and_change_nothing(client, auth, field):
    notification = NotificationFactory(user_id=1)

    response = client.post(
        f"/api/notifications/{notification.id}/read/",
        headers=auth(1),
        json={field: "2020-01-01T00:00:00Z"},
    )

    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["details"]
    db.session.expire_all()
    assert db.session.get(Notification, notification.id).read_at is None


def test_a_body_that_is_not_json_is_refused(client, auth):
    notification = NotificationFactory(user_id=1)
    url = f"/api/notifications/{notification.id}/read/"

    broken = client.post(url, headers=auth(1), data="{", content_type="application/json")
    form = client.post(url, headers=auth(1), data="a=b", content_type="text/plain")
    listed = client.post(url, headers=auth(1), json=["read"])

    assert broken.status_code == 400
    assert broken.get_json()["error"]["code"] == "invalid_json"
    assert form.status_code == 415
    assert form.get_json()["error"]["code"] == "unsupported_media_type"
    assert listed.status_code == 400
    assert listed.get_json()["error"]["code"] == "validation_error"
    assert db.session.scalar(select(Notification.read_at)) is None


def test_a_huge_body_is_refused(client, auth):
    response = client.post(
        "/api/notifications/read-all/", headers=auth(1), json={"x": "y" * 20_000}
    )

    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


def test_a_non_numeric_id_is_not_found(client, auth):
    response = client.post("/api/notifications/abc/read/", headers=auth(1))

    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_a_method_the_resource_lacks_is_405_in_the_error_shape(client, auth):
    response = client.delete("/api/notifications/", headers=auth(1))

    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_the_request_id_is_kept_when_sane_and_made_when_not(client, auth):
    kept = client.get("/api/notifications/", headers={**auth(1), "X-Request-ID": "abc-123"})
    made = client.get("/api/notifications/", headers={**auth(1), "X-Request-ID": 'bad id {"x": 1}'})

    assert kept.headers["X-Request-ID"] == "abc-123"
    assert made.headers["X-Request-ID"] not in ("", 'bad id {"x": 1}')
