import jwt

from auth.extensions import signing_keys


def test_jwks_is_served_at_both_paths(client, app):
    root = client.get("/.well-known/jwks.json")
    through_gateway = client.get("/api/auth/.well-known/jwks.json")

    assert root.status_code == through_gateway.status_code == 200
    assert root.get_json() == through_gateway.get_json()
    assert root.headers["Cache-Control"] == "public, max-age=300"
    (key,) = root.get_json()["keys"]
    assert key["kid"] == signing_keys.ring.current().kid
    assert key["alg"] == "RS256"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)  # no private members


def test_tokens_verify_with_pyjwk_client_style_lookup(client, login, user, app):
    """What the other services do: pick the JWKS key by kid and verify with pinned settings."""
    token = login("ada@example.com").get_json()["access_token"]
    jwks = jwt.PyJWKSet.from_dict(client.get("/.well-known/jwks.json").get_json())
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(key for key in jwks.keys if key.key_id == kid)

    claims = jwt.decode(
        token, key, algorithms=["RS256"], audience="shop", issuer=app.config["JWT_ISSUER"]
    )

    assert claims["sub"] == str(user.id)
    assert claims["roles"] == ["customer"]
    assert claims["exp"] - claims["iat"] == 900
    assert len(claims["jti"]) >= 16


def test_rotation_keeps_old_tokens_valid_and_publishes_both_keys(make_app, key_files, bearer):
    # No other app context may be active here: the CLI runs against whichever app is current.
    current, previous = key_files
    app = make_app(JWT_PRIVATE_KEY_FILE=str(current), JWT_PREVIOUS_KEY_FILE=str(previous))
    client = app.test_client()
    account = {"email": "grace@example.com", "password": "Compiler-Nanosecond-1952"}
    old_token = client.post("/api/auth/register", json={**account, "name": "Grace"}).get_json()[
        "access_token"
    ]
    old_kid = jwt.get_unverified_header(old_token)["kid"]

    result = app.test_cli_runner().invoke(args=["keys", "rotate"])

    assert result.exit_code == 0, result.output
    assert previous.exists()
    kids = [key["kid"] for key in client.get("/.well-known/jwks.json").get_json()["keys"]]
    assert len(kids) == 2
    assert kids[1] == old_kid
    assert client.get("/api/auth/me", headers=bearer(old_token)).status_code == 200
    new_token = client.post("/api/auth/login", json=account).get_json()["access_token"]
    assert jwt.get_unverified_header(new_token)["kid"] == kids[0] != old_kid
    assert client.get("/api/auth/me", headers=bearer(new_token)).status_code == 200

    # A second rotation retires the first key: its tokens stop verifying.
    assert app.test_cli_runner().invoke(args=["keys", "rotate"]).exit_code == 0
    assert client.get("/api/auth/me", headers=bearer(old_token)).status_code == 401
    assert client.get("/api/auth/me", headers=bearer(new_token)).status_code == 200
