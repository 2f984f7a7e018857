"""The live interview without a transport (no WebSocket, no Reflex): :class:`LiveSession`
(:mod:`.session`: phases, answer clock, resume, outages, both answer channels), its production
store (:mod:`.store`), the end-of-turn policy (:mod:`.turn_policy`, with the word cues of
:mod:`.cues`) and the per-turn latency budget (:mod:`.latency`). ``api/ws.py`` adapts a socket to
it; the Reflex page calls it for typed answers, signals and completion; tests drive it with a
fake clock and scripted events.

The session and the store are imported on first use (services import :mod:`.latency`, and the
session imports services)."""

from typing import Any

from .cues import classify
from .turn_policy import Decision, TurnPolicy, TurnSettings

__all__ = ["Decision", "LiveSession", "Phase", "TurnPolicy", "TurnSettings", "classify"]


def __getattr__(name: str) -> Any:
    if name in ("LiveSession", "Phase"):
        from . import session

        return getattr(session, name)
    raise AttributeError(name)
