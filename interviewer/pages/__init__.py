"""Page registration: every route of the web app is added here."""

import reflex as rx

TITLE = "{} | AI Interviewer"


def register_pages(app: rx.App) -> None:
    from interviewer.pages.admin import companies_page, company_requests_page
    from interviewer.pages.dashboard import dashboard_page, me_page
    from interviewer.pages.login import index_page, login_page
    from interviewer.pages.outbox import outbox_page
    from interviewer.pages.public import register_company_page, set_password_page, signup_page, verify_email_page
    from interviewer.pages.roles import roles_page
    from interviewer.pages.users import users_page
    from interviewer.state.admin_state import CompaniesState, CompanyRequestsState
    from interviewer.state.auth_state import AuthState
    from interviewer.state.dashboard_state import DashboardState, MeState
    from interviewer.state.outbox_state import OutboxState
    from interviewer.state.public_state import SetPasswordState, VerifyEmailState
    from interviewer.state.roles_state import RolesState
    from interviewer.state.users_state import UsersState

    # Signed-out pages.
    app.add_page(index_page, route="/", title="AI Interviewer", on_load=AuthState.route_home)
    app.add_page(login_page, route="/login", title=TITLE.format("Sign in"), on_load=AuthState.open_login)
    from interviewer.pages.not_found import not_found_page

    app.add_page(not_found_page, route="404", title=TITLE.format("Page not found"))
    app.add_page(register_company_page, route="/register-company", title=TITLE.format("Register your company"))
    app.add_page(signup_page, route="/signup", title=TITLE.format("Candidate sign-up"))
    app.add_page(verify_email_page, route="/verify-email", title=TITLE.format("Confirm your email"),
                 on_load=VerifyEmailState.verify)
    app.add_page(set_password_page, route="/set-password", title=TITLE.format("Choose your password"),
                 on_load=SetPasswordState.open)
    from interviewer.pages.password import change_password_page, forgot_password_page, reset_password_page
    from interviewer.state.password_state import ChangePasswordState, ForgotPasswordState, ResetPasswordState

    app.add_page(forgot_password_page, route="/forgot-password", title=TITLE.format("Forgot password"),
                 on_load=ForgotPasswordState.open)
    app.add_page(reset_password_page, route="/reset-password", title=TITLE.format("Choose a new password"),
                 on_load=ResetPasswordState.open)
    app.add_page(change_password_page, route="/account/password", title=TITLE.format("Change password"),
                 on_load=ChangePasswordState.open)
    from interviewer.pages.privacy_request import privacy_request_page
    from interviewer.state.privacy_request_state import PrivacyRequestState

    app.add_page(privacy_request_page, route="/privacy-request", title=TITLE.format("Your data"),
                 on_load=PrivacyRequestState.open)
    from interviewer.pages.interview_live import interview_live_page
    from interviewer.state.interview_live_state import InterviewLiveState

    app.add_page(interview_live_page, route="/interview/[token]", title=TITLE.format("Your interview"),
                 on_load=InterviewLiveState.load)

    # Signed-in pages: each on_load resolves the user (refreshing tokens) and loads its data;
    # every event handler authorises again through the services.
    from interviewer.state.accommodation_requests_state import AccommodationRequestsState

    app.add_page(dashboard_page, route="/dashboard", title=TITLE.format("Dashboard"),
                 on_load=[DashboardState.load, AccommodationRequestsState.load])
    from interviewer.state.password_state import ChangePasswordState

    app.add_page(me_page, route="/me", title=TITLE.format("My profile"),
                 on_load=[MeState.load, ChangePasswordState.open])
    from interviewer.pages.availability import availability_page
    from interviewer.state.availability_state import AvailabilityState

    app.add_page(availability_page, route="/availability", title=TITLE.format("My availability"),
                 on_load=AvailabilityState.load)
    app.add_page(company_requests_page, route="/admin/company-requests", title=TITLE.format("Company requests"),
                 on_load=CompanyRequestsState.load)
    app.add_page(companies_page, route="/admin/companies", title=TITLE.format("Companies"),
                 on_load=CompaniesState.load)
    app.add_page(users_page, route="/users", title=TITLE.format("Users"), on_load=UsersState.load)
    app.add_page(roles_page, route="/roles", title=TITLE.format("Roles"), on_load=RolesState.load)
    app.add_page(outbox_page, route="/outbox", title=TITLE.format("Outbox"), on_load=OutboxState.load)

    # Recruiting pages (candidates, imports, resume checks) and hiring pages (jobs, interviews, reports).
    from interviewer.pages.routes_candidates import register_candidate_pages
    from interviewer.pages.routes_hiring import register_hiring_pages

    register_candidate_pages(app, TITLE)
    register_hiring_pages(app, TITLE)
