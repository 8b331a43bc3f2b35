"""Halo sandbox authentication and scopes over real HTTP: tokens, bad secrets, tenants, expiry, 403s."""

from __future__ import annotations

import httpx
import pytest

from halo_accounts.sandbox.halo.demo_seed import DEMO_APPLICATION as DEMO_APP

READ_ONLY = {"client_id": "reader", "client_secret": "reader-secret", "scopes": ["read:invoices", "read:customers"]}
CUSTOMERS = {"client_id": "crm", "client_secret": "crm-secret", "scopes": ["edit:customers"]}
SEED = {
    "applications": [DEMO_APP, READ_ONLY, CUSTOMERS],
    "clients": [{"id": 1, "name": "Smith & Jones Ltd"}],
    "taxes": [{"id": 1, "name": "Standard 20%", "code": "T1", "value": 20.0}],
}


def _token(url: str, client_id: str, secret: str, scope: str = "", query: str = "") -> httpx.Response:
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret, "scope": scope}
    return httpx.post(f"{url}/auth/token{query}", data=form)


def test_authinfo_and_token(halo_sandbox) -> None:
    halo = halo_sandbox(SEED)
    info = httpx.get(f"{halo.url}/api/authinfo").json()
    assert info == {"auth_url": f"{halo.url}/auth", "tenant_id": halo.tenant_id}
    reply = _token(info["auth_url"].removesuffix("/auth"), "demo", "demo-secret", "all admin")
    assert reply.status_code == 200
    body = reply.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["scope"].split() == ["all", "admin"]
    ok = httpx.get(f"{halo.url}/api/Client", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert ok.json()["clients"][0]["name"] == "Smith & Jones Ltd"


def test_bad_secret_and_unknown_client_are_invalid_client(halo_sandbox) -> None:
    halo = halo_sandbox(SEED)
    for client_id, secret in (("demo", "wrong"), ("nobody", "demo-secret")):
        reply = _token(halo.url, client_id, secret)
        assert reply.status_code == 401
        assert reply.json() == {"error": "invalid_client"}


def test_wrong_grant_type_is_refused(halo_sandbox) -> None:
    halo = halo_sandbox(SEED)
    reply = httpx.post(f"{halo.url}/auth/token", data={"grant_type": "password", "client_id": "demo"})
    assert reply.status_code == 400 and reply.json()["error"] == "unsupported_grant_type"


def test_tenant_is_checked(halo_sandbox) -> None:
    halo = halo_sandbox(SEED, tenant="acme")
    assert _token(halo.url, "demo", "demo-secret", query="?tenant=acme").status_code == 200
    assert _token(halo.url, "demo", "demo-secret", query=f"?tenant={halo.tenant_id}").status_code == 200
    wrong = _token(halo.url, "demo", "demo-secret", query="?tenant=globex")
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_request"


def test_requests_without_a_valid_token_get_401(halo_sandbox) -> None:
    halo = halo_sandbox(SEED)
    assert httpx.get(f"{halo.url}/api/Client").status_code == 401
    reply = httpx.get(f"{halo.url}/api/Client", headers={"Authorization": "Bearer nonsense"})
    assert reply.status_code == 401 and "invalid_token" in reply.headers["www-authenticate"]


def test_expired_tokens_are_refused_and_renewed(halo_sandbox, halo_api) -> None:
    halo = halo_sandbox(SEED)
    api = halo_api(halo)
    assert api.get("/api/Client").status_code == 200
    halo.expire_tokens()
    assert api.get("/api/Client").status_code == 401
    fresh = halo_api(halo)
    assert fresh.get("/api/Client").status_code == 200


def test_token_lifetime_is_configurable(halo_sandbox) -> None:
    halo = halo_sandbox(SEED, token_lifetime=0)
    token = _token(halo.url, "demo", "demo-secret").json()
    assert token["expires_in"] == 0
    assert httpx.get(f"{halo.url}/api/Client", headers={"Authorization": f"Bearer {token['access_token']}"}
                     ).status_code == 401


def test_requested_scope_narrows_and_all_excludes_admin(halo_sandbox, halo_api) -> None:
    halo = halo_sandbox({**SEED, "applications": [{"client_id": "a", "client_secret": "s", "scopes": ["all"]}]})
    assert _token(halo.url, "a", "s", "read:invoices admin").json()["scope"] == "read:invoices"
    assert _token(halo.url, "a", "s", "admin").status_code == 400
    api = halo_api(halo, "a", "s", "all")
    refused = api.post("/api/Tax", json=[{"name": "Exempt", "code": "T2", "value": 0}])
    assert refused.status_code == 403 and "admin" in refused.json()["Message"]
    assert api.post("/api/Control", json=[{"useqb": False}]).status_code == 403
    assert api.get("/api/Control").status_code == 200  # conventions.CONTROL_READ_NEEDS_ADMIN


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "/api/Invoice", None, 200),
        ("GET", "/api/Client/1", None, 200),
        ("POST", "/api/Invoice", [{"client_id": 1, "lines": []}], 403),
        ("POST", "/api/Client", [{"name": "New"}], 403),
        ("GET", "/api/Item", None, 403),
        ("POST", "/api/InvoicePayment", [{"invoice_id": 1, "amount": 1}], 403),
    ],
)
def test_read_only_application(halo_sandbox, halo_api, method, path, body, status) -> None:
    api = halo_api(halo_sandbox(SEED), "reader", "reader-secret", "")
    reply = api.request(method, path, json=body)
    assert reply.status_code == status
    if status == 403:
        assert "Required permission" in reply.json()["Message"]


def test_edit_scope_implies_read_and_admin_writes_tax(halo_sandbox, halo_api) -> None:
    halo = halo_sandbox(SEED)
    crm = halo_api(halo, "crm", "crm-secret", "")
    assert crm.get("/api/Client").status_code == 200
    assert crm.post("/api/Client", json=[{"name": "Made by CRM"}]).status_code == 200
    assert crm.get("/api/Invoice").status_code == 403
    admin = halo_api(halo)
    saved = admin.post("/api/Tax", json=[{"name": "Exempt", "code": "T2", "value": 0}]).json()
    assert saved[0]["id"] == 2 and saved[0]["code"] == "T2"
