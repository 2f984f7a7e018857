"""Routes of the hiring pages (registered by interviewer.pages.register_pages): job templates and
their questions, interviews and their reports, and the company's AI settings."""

import reflex as rx


def register_hiring_pages(app: rx.App, title: str) -> None:
    """Adds this area's pages to the app."""
    from interviewer.pages.interviews import interviews_page
    from interviewer.pages.interviews_report import interview_report_page
    from interviewer.pages.jobs import jobs_page
    from interviewer.pages.jobs_editor import job_editor_page
    from interviewer.pages.settings_ai import settings_ai_page
    from interviewer.state.ai_settings_state import AISettingsState
    from interviewer.state.interviews_report_state import ReportState
    from interviewer.state.interviews_schedule_state import ScheduleState
    from interviewer.state.jobs_editor_state import JobEditorState
    from interviewer.state.jobs_state import JobsState

    app.add_page(jobs_page, route="/jobs", title=title.format("Jobs"), on_load=JobsState.load)
    app.add_page(job_editor_page, route="/jobs/[job_id]", title=title.format("Job"), on_load=JobEditorState.load)
    # /interviews?schedule=<candidate id> opens the scheduling dialog with that candidate chosen.
    app.add_page(interviews_page, route="/interviews", title=title.format("Interviews"), on_load=ScheduleState.load)
    app.add_page(interview_report_page, route="/interviews/[interview_id]", title=title.format("Interview report"),
                 on_load=ReportState.load)
    app.add_page(settings_ai_page, route="/settings/ai", title=title.format("AI settings"),
                 on_load=AISettingsState.load)
    from interviewer.pages.fairness import fairness_page
    from interviewer.state.fairness_state import FairnessState

    app.add_page(fairness_page, route="/fairness", title=title.format("Fairness audit"), on_load=FairnessState.load)
