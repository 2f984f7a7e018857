"""Fixtures shared by the API tests."""

from __future__ import annotations

import os

import pytest
from fastapi.testclient import TestClient

from interviewer.api.app import create_api
from interviewer.core.config import reset_settings_cache
from tests.factories import restore_environment


@pytest.fixture
def app_with_env():
    """Build an app after changing the environment (e.g. a rate limit); everything is restored afterwards."""
    saved: dict[str, str | None] = {}
    clients: list[TestClient] = []

    def _make(*, client: tuple[str, int] = ("testclient", 50000), **env: str) -> TestClient:
        for key, value in env.items():
            saved.setdefault(key, os.environ.get(key))
            os.environ[key] = value
        reset_settings_cache()
        c = TestClient(create_api(), client=client)
        c.__enter__()
        clients.append(c)
        return c

    yield _make
    for c in clients:
        c.__exit__(None, None, None)
    restore_environment(saved)
