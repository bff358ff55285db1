"""IsAdmin wants a user token with the admin role; IsService a service token with the service role.

No token is a 401; a valid token without the right audience or role is a 403.
"""

import pytest

from tests.conftest import client_with

pytestmark = pytest.mark.django_db

CREATE = "/api/things/admin/articles/"
PING = "/internal/ping/"


def test_an_admin_may_use_admin_endpoints(admin_client):
    response = admin_client.post(CREATE, {"title": "Hello"}, format="json")

    assert response.status_code == 201


def test_a_customer_may_not_use_admin_endpoints(customer_client):
    response = customer_client.post(CREATE, {"title": "Hello"}, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_an_admin_role_in_a_service_token_is_not_an_admin(make_token):
    client = client_with(make_token(roles=["admin", "service"], aud="shop-internal"))

    assert client.post(CREATE, {"title": "Hello"}, format="json").status_code == 403


def test_nobody_without_a_token_is_401_not_403(api_client):
    assert api_client.post(CREATE, {"title": "Hello"}, format="json").status_code == 401
    assert api_client.get(PING).status_code == 401


def test_a_service_may_call_internal_endpoints(service_client):
    response = service_client.get(PING)

    assert (response.status_code, response.json()) == (200, {"caller": "service:orders"})


@pytest.mark.parametrize(
    ("roles", "aud"),
    [(["admin"], "shop"), (["service"], "shop"), (["customer"], "shop-internal")],
    ids=["an admin user", "a user token claiming the service role", "a service without the role"],
)
def test_others_may_not_call_internal_endpoints(make_token, roles, aud):
    response = client_with(make_token(roles=roles, aud=aud)).get(PING)

    assert response.status_code == 403
    assert response.json()["error"]["message"] == "This is for service tokens only."
