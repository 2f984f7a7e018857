"""/fairness: the adverse-impact report (compliance:read): filters, the selection-rate chart with
the four-fifths line, the table for one decision point, CSV export and a printable summary in the
shape of a published bias-audit summary."""

from __future__ import annotations

import reflex as rx

from interviewer.components.shell import app_shell
from interviewer.components.ui import control_label, loading_block, page_header, stat_card
from interviewer.state.fairness_state import ALL_JOBS, DIMENSIONS, FOUR_FIFTHS
from interviewer.state.fairness_state import FairnessState as S

SUMMARY_HEAD = ["Category", "Applicants", "PASS rate", "PASS IR", "Advanced rate", "Advanced IR", "Hired rate",
                "Hired IR", "Median score", "Scoring rate", "Scoring IR"]


def _filters() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.cond(S.admin_view, rx.vstack(
                rx.text("Company", size="1", weight="medium"),
                rx.select.root(
                    rx.select.trigger(placeholder="Choose a company", id="fair-company", min_width="200px",
                                      aria_label="Company"),
                    rx.select.content(rx.foreach(S.companies, lambda c: rx.select.item(c.title, value=c.id))),
                    value=S.company_id, on_change=S.set_company),
                spacing="1"), rx.fragment()),
            rx.vstack(rx.text("Job", size="1", weight="medium"),
                      rx.select.root(
                          rx.select.trigger(placeholder="All jobs", id="fair-job", min_width="200px"),
                          rx.select.content(rx.select.item("All jobs", value=ALL_JOBS),
                                            rx.foreach(S.jobs, lambda j: rx.select.item(j.title, value=j.id))),
                          value=S.job_id, on_change=S.set_job),
                      spacing="1"),
            rx.vstack(control_label("From", "fair-from", size="1", weight="medium"),
                      rx.input(type="date", value=S.date_from, on_change=S.set_date_from, id="fair-from"), spacing="1"),
            rx.vstack(control_label("To", "fair-to", size="1", weight="medium"),
                      rx.input(type="date", value=S.date_to, on_change=S.set_date_to, id="fair-to"), spacing="1"),
            rx.button(rx.icon("refresh_cw", size=14), "Update", on_click=S.run_report, id="fair-run"),
            spacing="4",
            align="end",
            wrap="wrap",
        ),
        width="100%",
        class_name="no-print",
    )


def _chart() -> rx.Component:
    return rx.box(
        rx.recharts.bar_chart(
            rx.recharts.cartesian_grid(stroke_dasharray="3 3", horizontal=False),
            rx.recharts.x_axis(type_="number", domain=[0, 100], unit="%", tick={"fontSize": 12}),
            rx.recharts.y_axis(data_key="group", type_="category", width=230, tick={"fontSize": 12}),
            rx.recharts.graphing_tooltip(),
            rx.recharts.bar(rx.foreach(S.chart_data, lambda d: rx.recharts.cell(fill=d["fill"])),
                            data_key="rate", name="Selection rate (%)", is_animation_active=False),
            # x is a float in JS; the prop is typed int
            rx.recharts.reference_line(x=S.threshold_pct.to(int), stroke="var(--red-9)", stroke_dasharray="6 3",
                                       stroke_width=2),
            data=S.chart_data,
            layout="vertical",
            width="100%",
            height=S.chart_height,
            margin={"top": 20, "right": 30, "bottom": 5, "left": 10},
        ),
        width="100%",
        id="fair-chart",
    )


def _rate_row(r) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.hstack(rx.text(r.group), rx.cond(r.reference, rx.badge("highest", variant="soft"),
                                                          rx.fragment()), spacing="2")),
        rx.table.cell(r.applicants),
        rx.table.cell(r.selected),
        rx.table.cell(r.rate),
        rx.table.cell(r.ratio),
        rx.table.cell(rx.cond(r.flag, rx.badge("Below 4/5", color_scheme="red", class_name="fair-flag"),
                              rx.cond(r.small, rx.badge("Too few to judge", color_scheme="gray"),
                                      rx.badge("OK", color_scheme="green", variant="soft")))),
    )


def _detail() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.segmented_control.root(*[rx.segmented_control.item(label, value=key)
                                            for key, label in (("ai_pass", "AI PASS"), ("advanced", "Advanced"),
                                                               ("hired", "Hired"))],
                                          value=S.decision, on_change=S.set_decision, id="fair-decision"),
                rx.segmented_control.root(*[rx.segmented_control.item(label, value=key)
                                            for key, label in DIMENSIONS.items()],
                                          value=S.dimension, on_change=S.set_dimension, id="fair-dimension"),
                spacing="3", wrap="wrap",
            ),
            rx.cond(S.shown.length() > 0,
                    rx.vstack(_chart(),
                              rx.text(f"Bars: selection rate per group. Dashed red line: {FOUR_FIFTHS:g} × the "
                                      "highest rate (", S.threshold_pct, "%); red bars are below it, grey bars are "
                                      "groups too small to judge.", size="1", color_scheme="gray"),
                              spacing="1", width="100%"),
                    rx.text("Nobody in this range has answered the self-identification questions yet.",
                            color_scheme="gray", size="2")),
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                               ("Group", "Applicants", "Selected", "Selection rate", "Impact ratio",
                                                "Four-fifths rule")])),
                rx.table.body(rx.foreach(S.shown, _rate_row)),
                width="100%", size="1", id="fair-table",
            ),
            rx.text("Impact ratio: the group's rate divided by the highest rate among groups large enough to "
                    "judge. Below 0.8 breaks the four-fifths rule of thumb and deserves a closer look; it is "
                    "not proof of discrimination. Groups with fewer than ", S.min_group_size,
                    " people (or under 2% of those with a known category) are too few to judge.",
                    size="1", color_scheme="gray"),
            spacing="4", width="100%",
        ),
        width="100%",
        class_name="no-print",
    )


def _summary_row(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row.group, rx.cond(row.small, " †", ""))),
        rx.table.cell(row.applicants),
        rx.foreach(row.cells, lambda c, i: rx.table.cell(
            c, class_name=rx.cond(row.flags[i], "fair-cell-flag", ""))),
    )


def _summary_table(dimension: str) -> rx.Component:
    return rx.vstack(
        rx.heading(dimension, size="3"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in SUMMARY_HEAD])),
            rx.table.body(rx.foreach(S.summary, lambda row: rx.cond(row.dimension == dimension, _summary_row(row),
                                                                    rx.fragment()))),
            width="100%", size="1", variant="surface",
        ),
        spacing="2", width="100%",
    )


def _printable() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.heading("Bias audit summary", size="5"),
                rx.spacer(),
                rx.button(rx.icon("printer", size=14), "Print", variant="soft", type="button",
                          on_click=rx.call_script("window.print()"), id="fair-print"),
                width="100%", align="center",
            ),
            rx.grid(
                rx.text(rx.text.strong("Employer: "), S.company_name),
                rx.text(rx.text.strong("Tool: "), "AI Interviewer, automated interview scoring"),
                rx.text(rx.text.strong("Job: "), S.job_title),
                rx.text(rx.text.strong("Data: "), "interviews completed ", S.range_text),
                rx.text(rx.text.strong("Number of applicants: "), S.applicants, id="fair-summary-applicants"),
                rx.text(rx.text.strong("Generated: "), S.generated),
                columns=rx.breakpoints(initial="1", sm="2"), spacing="2", width="100%",
            ),
            rx.table.root(
                rx.table.header(rx.table.row(rx.table.column_header_cell("Unknown category"),
                                             rx.table.column_header_cell("Did not answer"),
                                             rx.table.column_header_cell("Prefer not to say"))),
                rx.table.body(rx.foreach(S.unknown, lambda u: rx.table.row(
                    rx.table.cell(u.dimension), rx.table.cell(u.not_answered), rx.table.cell(u.prefer_not_to_say)))),
                size="1", variant="surface", id="fair-unknown",
            ),
            *[_summary_table(label) for label in DIMENSIONS.values()],
            rx.text("Selection rate: share of the group selected at that point (AI PASS: the AI's verdict; "
                    "Advanced: offer or hired; Hired). IR: impact ratio against the highest-rate group; values "
                    "in red are below 0.8. Scoring rate: share scoring above the median score of all applicants "
                    "(", S.median_score, "). † fewer than ", S.min_group_size, " applicants or under 2% of "
                    "those with a known category: too few to judge. People who did not answer or preferred "
                    "not to say are counted above and left out of the rates.", size="1", color_scheme="gray"),
            spacing="4", width="100%",
        ),
        width="100%",
        id="fair-summary",
    )


def _content() -> rx.Component:
    return rx.vstack(
        rx.grid(
            stat_card("Applicants", S.applicants, "users", hint=S.range_text),
            *[rx.foreach(S.overall, lambda o: stat_card_dyn(o))],
            stat_card("Below four fifths", S.flagged, "triangle_alert", color="orange",
                      hint="group results to look into"),
            columns=rx.breakpoints(initial="1", sm="2", lg="5"), spacing="3", width="100%", class_name="no-print",
        ),
        _detail(),
        _printable(),
        spacing="4", width="100%",
    )


def stat_card_dyn(o) -> rx.Component:
    return rx.card(rx.vstack(rx.text(o.label, size="2", color_scheme="gray", weight="medium"),
                             rx.heading(o.rate, size="7"),
                             rx.text(o.selected, " selected", size="1", color_scheme="gray"), spacing="0"),
                   size="2", width="100%", class_name="stat-card")


def fairness_page() -> rx.Component:
    return app_shell(
        "/fairness",
        rx.el.style(".fair-cell-flag { color: var(--red-11); font-weight: 700; }"
                    "@media print { .fair-cell-flag { color: #b00020 !important; } }"),
        page_header("Fairness audit",
                    "Selection rates and impact ratios by self-identified sex and race/ethnicity (totals only)",
                    rx.button(rx.icon("download", size=14), "Download CSV", on_click=S.download_csv, variant="soft",
                              id="fair-csv", class_name="no-print")),
        _filters(),
        rx.cond(S.has_report, rx.box(_content(), width="100%", margin_top="1em"),
                rx.cond(S.loaded & (S.companies.length() == 0) & S.admin_view,
                        rx.text("No company is registered yet: there is nothing to audit.", color_scheme="gray",
                                margin_top="1em", id="fair-no-company"),
                        loading_block())),
    )
