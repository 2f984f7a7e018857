"""Small reusable UI pieces: headers, stat cards, badges, form fields, pagination, callouts."""

from __future__ import annotations

import reflex as rx

from interviewer.core.wording import noun

STATUS_COLORS = {
    # candidate pipeline
    "new": "blue",
    "screening": "cyan",
    "interview_scheduled": "violet",
    "interviewed": "iris",
    "offer": "amber",
    "hired": "green",
    "rejected": "red",
    "withdrawn": "gray",
    # registration requests
    "pending": "amber",
    "approved": "green",
    # email
    "outbox": "blue",
    "sent": "green",
    "failed": "red",
}
ROLE_COLORS = {"SYSTEM_ADMIN": "crimson", "HR": "indigo", "EMPLOYEE": "teal", "CANDIDATE": "orange"}


def link_button(*children, href, link_id: str | None = None, **button_props) -> rx.Component:
    """A link drawn as a button: one element and one Tab stop (a button inside a link is two,
    and invalid HTML). ``button_props`` style it (variant, size, width, on_click...)."""
    return rx.button(rx.link(*children, href=href, underline="none", id=link_id), as_child=True, **button_props)


def page_header(title: str, subtitle: str | rx.Var | None = None, *actions: rx.Component) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.heading(title, size="7", weight="bold"),
            rx.text(subtitle, color_scheme="gray", size="3") if subtitle is not None else rx.fragment(),
            spacing="1",
        ),
        rx.spacer(),
        rx.hstack(*actions, spacing="2", wrap="wrap"),
        direction={"initial": "column", "sm": "row"},
        align={"initial": "start", "sm": "end"},
        spacing="3",
        width="100%",
        margin_bottom="1.5em",
    )


def status_badge(status: rx.Var, label: rx.Var | None = None) -> rx.Component:
    color = rx.match(status, *[(k, v) for k, v in STATUS_COLORS.items()], "gray")
    return rx.badge(label if label is not None else status, color_scheme=color, variant="soft",
                    radius="full", size="2")


def role_badge(role: rx.Var, label: rx.Var) -> rx.Component:
    color = rx.match(role, *[(k, v) for k, v in ROLE_COLORS.items()], "gray")
    return rx.badge(label, color_scheme=color, variant="surface", size="1")


def stat_card(label: str, value: rx.Var, icon: str, *, hint: rx.Var | str | None = None,
              href: str | None = None, color: str = "indigo") -> rx.Component:
    body = rx.hstack(
        rx.center(rx.icon(icon, size=22), class_name=f"stat-icon stat-icon--{color}"),
        rx.vstack(
            rx.text(label, size="2", color_scheme="gray", weight="medium"),
            rx.heading(value, size="7"),
            rx.text(hint, size="1", color_scheme="gray") if hint is not None else rx.fragment(),
            spacing="0",
        ),
        spacing="4",
        align="center",
    )
    card = rx.card(body, size="2", width="100%", class_name="stat-card")
    return rx.link(card, href=href, underline="none", color="inherit", width="100%") if href else card


_LABELABLE = {"DebounceInput", "TextFieldRoot", "TextArea", "SelectTrigger", "Switch", "Checkbox"}  # DebounceInput: a debounced input


def _labelable(component: rx.Component) -> rx.Component | None:
    """The first form control in ``component`` (itself, or depth first among its children)."""
    if type(component).__name__ in _LABELABLE:
        return component
    for child in getattr(component, "children", None) or []:
        found = _labelable(child)
        if found is not None:
            return found
    return None


def named(control: rx.Component, name: str) -> rx.Component:
    """``control`` with ``name`` as the accessible name of its (first) form control, for a control
    shown without a label of its own (a select's name belongs on its trigger, not its root)."""
    target = _labelable(control)
    if target is not None:
        target.custom_attrs.setdefault("aria-label", name)
    return control


def field(label: str, control: rx.Component, *, hint: str | None = None, required: bool = False) -> rx.Component:
    """A labelled form control. The label names the field's (first) control: tied to it when it
    has an ``id`` (a click focuses it; a screen reader announces the label), else given to it as
    its ``aria-label``."""
    star = rx.text.span(" *", color_scheme="red") if required else rx.fragment()
    target = _labelable(control)
    control_id = getattr(target, "id", None)
    control_id = control_id if isinstance(control_id, str) and control_id else None
    if target is not None and control_id is None:
        named(target, label)
    return rx.vstack(
        rx.el.label(rx.text(label, star, as_="span", size="2", weight="medium"), html_for=control_id) if control_id
        else rx.text(label, star, as_="label", size="2", weight="medium"),
        control,
        rx.text(hint, size="1", color_scheme="gray") if hint else rx.fragment(),
        spacing="1",
        width="100%",
    )


def control_label(text: str, control_id: str, **text_props) -> rx.Component:
    """A visible label tied to the control with id ``control_id``: a click on it toggles or focuses
    the control, and assistive technology names the control by it. (``rx.text(as_="label",
    html_for=...)`` does not do this: Reflex puts ``htmlFor`` into the element's style.)"""
    return rx.el.label(rx.text(text, as_="span", **text_props), html_for=control_id, cursor="pointer")


def error_callout(message: rx.Var) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="circle_alert", color_scheme="red", role="alert", width="100%"),
        rx.fragment(),
    )


def info_callout(message: rx.Var, color: str = "blue") -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="info", color_scheme=color, role="status", width="100%"),
        rx.fragment(),
    )


def count_noun(count: rx.Var, singular: str, many: str | None = None) -> rx.Var:
    """The noun for a reactive ``count`` ("candidate" for 1, "candidates" otherwise), the two forms
    from ``interviewer.core.wording``: ``rx.text(count, " ", count_noun(count, "candidate"))``."""
    return rx.cond(count == 1, noun(1, singular, many), noun(2, singular, many))


def pagination(page: rx.Var, pages: rx.Var, total: rx.Var, on_prev, on_next, noun: str = "item",
               many: str | None = None) -> rx.Component:
    return rx.flex(
        # "1 interview", "2 interviews": ``noun`` is the singular (``many`` an irregular plural)
        rx.text(total, " ", count_noun(total, noun, many), size="2", color_scheme="gray"),
        rx.spacer(),
        rx.hstack(
            rx.icon_button(rx.icon("chevron_left", size=16), on_click=on_prev, disabled=page <= 1,
                           variant="soft", aria_label="Previous page"),
            rx.text("Page ", page, " of ", pages, size="2"),
            rx.icon_button(rx.icon("chevron_right", size=16), on_click=on_next, disabled=page >= pages,
                           variant="soft", aria_label="Next page"),
            align="center",
            spacing="3",
        ),
        align="center",
        width="100%",
        padding_top="1em",
    )


def empty_state(icon: str, title: str, text: str | rx.Var | None = None) -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.center(rx.icon(icon, size=28), class_name="empty-icon"),
            rx.text(title, weight="medium", size="3"),
            rx.text(text, size="2", color_scheme="gray", align="center") if text is not None else rx.fragment(),
            align="center",
            spacing="2",
        ),
        padding="3em 1em",
        width="100%",
    )


def loading_block() -> rx.Component:
    """A page body while its data loads: a skeleton in the page's shape (components.skeleton)."""
    from interviewer.components.skeleton import page_skeleton

    return page_skeleton()


def table_card(*children: rx.Component) -> rx.Component:
    return rx.card(rx.box(*children, class_name="table-scroll"), size="1", width="100%", padding="0")


def block_callout(*children: rx.Component, icon: str = "info", color: str = "gray", **props) -> rx.Component:
    """A callout whose body holds blocks (stacks, lists, a spinner): ``rx.callout(child)`` puts its
    body in a <p>, which must not contain them (React reports a hydration error). ``icon="spinner"``
    shows a spinner."""
    mark = rx.spinner(size="1") if icon == "spinner" else rx.icon(icon, size=16)
    return rx.callout.root(rx.callout.icon(mark), rx.box(*children, class_name="callout-body"),
                           color_scheme=color, **props)
