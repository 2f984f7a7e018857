import reflex as rx


def login_page() -> rx.Component:
    return rx.center(rx.heading("Sign in"), height="100vh")
