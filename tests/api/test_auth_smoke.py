from interviewer.models import UserRole
from tests.factories import PASSWORD, make_tenant


def test_login_me_logout_roundtrip(api):
    tenant = make_tenant()
    r = api.post("/api/v1/auth/login", json={"email": "hr@acme.test", "password": PASSWORD})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer"
    assert body["user"]["role"] == UserRole.HR.value
    assert body["user"]["company_id"] == str(tenant.company.id)
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    me = api.get("/api/v1/auth/me", headers=headers)
    assert me.status_code == 200 and me.json()["email"] == "hr@acme.test"
    assert api.post("/api/v1/auth/logout", headers=headers).status_code == 204
    again = api.get("/api/v1/auth/me", headers=headers)
    assert again.status_code == 401
    assert again.json()["error_code"] == "AUTH_004"
