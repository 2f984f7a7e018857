"""The user list read as plain columns, with one statement built per filter shape (issue 16): every
combination of filters, sort, order and page gives exactly the users a plain Python filter of the
table gives, in the same order, with the right total, and never another company's."""

from __future__ import annotations

import itertools

from sqlmodel import select

from interviewer.db import session_scope
from interviewer.models import User, UserRole
from interviewer.models.schemas import UserPublic
from interviewer.services import users as user_service
from interviewer.services.authz import actor_for
from tests.factories import make_admin, make_tenant, make_user


def _expected(users: list[User], *, company_id, term, role, is_active, sort, descending) -> list[str]:
    rows = [u for u in users
            if (company_id is None or u.company_id == company_id)
            and (term is None or term in u.name.lower() or term in u.email)
            and (role is None or u.role == role)
            and (is_active is None or u.is_active == is_active)]
    key = {"name": lambda u: u.name, "email": lambda u: u.email, "created_at": lambda u: u.created_at,
           "role": lambda u: u.role.value}[sort]
    rows.sort(key=lambda u: str(u.id))  # the tie-break, ascending in both orders
    rows.sort(key=key, reverse=descending)
    return [u.email for u in rows]


def test_every_filter_shape_sort_and_page_matches_a_plain_filter():
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    for i, (role, active) in enumerate(itertools.product((UserRole.HR, UserRole.EMPLOYEE), (True, False))):
        for k in range(3):
            make_user(role, acme.company.id, f"p{i}{k}@acme.test", name=f"Person {(i * 7 + k * 3) % 5}",
                      active=active)
    make_user(UserRole.EMPLOYEE, globex.company.id, "person@globex.test", name="Person 1")
    make_admin()
    with session_scope() as s:
        everyone = list(s.exec(select(User)).all())
        hr = actor_for(s, s.get(User, acme.hr.id))
        admin = actor_for(s, s.exec(select(User).where(User.role == UserRole.SYSTEM_ADMIN)).one())
        checked = 0
        for actor, company in ((hr, None), (admin, None), (admin, globex.company.id)):
            scope = acme.company.id if actor is hr else company
            for term, role, active in itertools.product((None, "person"), (None, UserRole.EMPLOYEE), (None, False)):
                for sort, descending in itertools.product(("name", "email", "created_at", "role"), (False, True)):
                    want = _expected(everyone, company_id=scope, term=term, role=role, is_active=active,
                                     sort=sort, descending=descending)
                    for page in (1, 2, 9):
                        rows, total = user_service.list_users(
                            s, actor, page=page, per_page=4, search=term, role=role, is_active=active,
                            company_id=company, sort=sort, descending=descending)
                        assert all(isinstance(r, UserPublic) for r in rows)
                        assert [r.email for r in rows] == want[(page - 1) * 4:page * 4], (actor.role, term, role,
                                                                                            active, sort, page)
                        assert total == len(want)
                        checked += 1
        assert checked == 3 * 8 * 8 * 3
        # a company's user never sees another company's, whatever the filters
        rows, _ = user_service.list_users(s, hr, per_page=100, search="person")
        assert rows and all(r.company_id == acme.company.id for r in rows)
