"""Routes of the candidates pages (registered by interviewer.pages.register_pages)."""

import reflex as rx


def register_candidate_pages(app: rx.App, title: str) -> None:
    """Adds this area's pages to the app: the candidate list (with the CSV import dialog), a
    candidate's detail page and the candidate's own resume check."""
    from interviewer.pages.ats import ats_page
    from interviewer.pages.candidates import candidates_page
    from interviewer.pages.candidates_detail import candidate_detail_page
    from interviewer.state.ats_state import AtsState
    from interviewer.state.candidates_detail_state import CandidateDetailState
    from interviewer.state.candidates_files_state import CandidateFilesState
    from interviewer.state.candidates_state import CandidatesState

    app.add_page(candidates_page, route="/candidates", title=title.format("Candidates"), on_load=CandidatesState.load)
    app.add_page(candidate_detail_page, route="/candidates/[candidate_id]", title=title.format("Candidate"),
                 on_load=[CandidateDetailState.load, CandidateFilesState.load])
    app.add_page(ats_page, route="/me/ats", title=title.format("Resume check"), on_load=AtsState.load)
