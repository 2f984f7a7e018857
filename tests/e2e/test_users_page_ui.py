"""/users in a real browser: the company's users listed with their role, custom role, manager and
state, searched and paged (the list is read as plain columns, issue 16), and a system admin's view
with each user's company. Set E2E_SHOTS=/some/dir to save screenshots."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from interviewer.db import session_scope
from interviewer.models import CustomRole, User, UserRole
from tests.e2e.test_assessment_ui import _shot, _sign_in, console_errors  # noqa: F401  (fixture)
from tests.factories import make_admin, make_tenant, make_user

pytestmark = pytest.mark.browser


def test_users_list_search_paging_and_admin_view(harness, page: Page, console_errors):
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    with session_scope() as s:
        role = CustomRole(company_id=acme.company.id, name="Interview lead", permissions=["interviews:read"])
        s.add(role)
        s.flush()
        role_id = role.id
    make_user(UserRole.EMPLOYEE, acme.company.id, "lena@acme.test", name="Lena Lead", custom_role_id=role_id)
    with session_scope() as s:
        s.get(User, acme.employee.id).manager_id = acme.hr.id
    for i in range(10):  # 13 users in Acme: two pages of 10
        make_user(UserRole.EMPLOYEE, acme.company.id, f"staff{i:02d}@acme.test", name=f"Staff {i:02d}",
                  active=i != 8)
    make_admin()
    base = harness.frontend_url.rstrip("/")

    _sign_in(page, base, "hr@acme.test")
    page.goto(f"{base}/users")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(10)
    expect(page.get_by_text("13 users")).to_be_visible()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    dev = rows.filter(has_text="dev@acme.test")
    expect(dev).to_contain_text("Acme Dev")
    expect(dev).to_contain_text("Employee")
    expect(dev).to_contain_text("Acme HR")  # the manager's name, not an id
    expect(rows.filter(has_text="lena@acme.test")).to_contain_text("Interview lead")
    expect(rows.filter(has_text="Globex")).to_have_count(0)
    _shot(page, "users-hr")

    page.get_by_role("button", name="Next page").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(rows).to_have_count(3)  # sorted by name: Staff 07-09 on the second page
    expect(rows.first).to_contain_text("Staff 07")
    expect(rows.filter(has_text="staff08@acme.test")).to_contain_text("Inactive")

    page.fill("#users-search", "lena")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Lena Lead")
    expect(page.get_by_text("1 user", exact=True)).to_be_visible()
    page.fill("#users-search", "globex")  # another company's domain: nothing
    expect(rows).to_have_count(0)

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, base, "admin@example.test")
    page.goto(f"{base}/users")
    page.fill("#users-search", "dev@")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="dev@globex.test")).to_contain_text("Globex")
    expect(rows.filter(has_text="dev@acme.test")).to_contain_text("Acme")
    _shot(page, "users-admin")
    assert re.search(r"/users", page.url)
    assert console_errors == [], "\n\n".join(console_errors)
