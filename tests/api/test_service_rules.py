"""Rules that used to differ between the UI and the API now live in the service alone (issue 13,
item 14): the cancel reason's length, and who may read ``GET /companies/{id}``."""

from __future__ import annotations

import pytest

from interviewer.core import errors as E
from interviewer.db import session_scope
from interviewer.models import Interview, InterviewStatus, User
from interviewer.services import companies as company_service
from interviewer.services import interviews as interview_service
from interviewer.services.authz import actor_for
from tests.api.test_interviews_support import World, future, iso, load_interview
from tests.factories import auth, make_admin


def _spec_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_code"] == code and body["detail"] and body["timestamp"]


def test_cancel_reason_is_optional_but_bounded_by_the_service(api):
    w = World()
    first, second, third = (w.schedule(api, scheduled_at=iso(future(48 + 2 * i))) for i in range(3))
    url = "/api/v1/interviews/{}/cancel"
    _spec_error(api.put(url.format(first["id"]), json={"reason": "  no "}, headers=w.hr), 422, "VAL_001")
    _spec_error(api.put(url.format(first["id"]), json={"reason": "x" * 1001}, headers=w.hr), 422, "VAL_001")
    assert load_interview(first["id"]).status == InterviewStatus.SCHEDULED  # nothing changed
    assert api.put(url.format(first["id"]), json={"reason": "Role on hold"}, headers=w.hr).status_code == 200
    assert api.put(url.format(second["id"]), json={}, headers=w.hr).status_code == 200  # no reason at all
    with session_scope() as s:  # the UI calls the same function: same rule, same message
        actor = actor_for(s, s.get(User, w.acme.hr.id))
        with pytest.raises(E.ValidationError, match="3 to 1000 characters"):
            interview_service.cancel_interview(s, actor, load_interview(third["id"]).id, "ab")
        assert interview_service.cancel_interview(s, actor, load_interview(third["id"]).id, "   ").status \
            == InterviewStatus.CANCELLED
    assert isinstance(load_interview(third["id"]), Interview)


def test_company_details_are_for_system_admins_in_the_service(api):
    w = World()
    admin = make_admin()
    url = f"/api/v1/companies/{w.acme.company.id}"
    assert api.get(url, headers=auth(admin)).json()["name"] == "Acme"
    _spec_error(api.get(url, headers=w.hr), 403, "PERM_001")
    with session_scope() as s:
        with pytest.raises(E.PermissionDeniedError):
            company_service.get_company(s, actor_for(s, s.get(User, w.acme.hr.id)), w.acme.company.id)
