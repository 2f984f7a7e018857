"""Helpers for tests of the offline judge's per-point judgements."""

from __future__ import annotations


def denied(p) -> bool:
    """The answer was read to deny the point: a contradiction (missed), or, read from a bare negation
    alone, a doubted one (partly covered, the doubt in the note: ``Params.doubtful``)."""
    if p.contradiction:
        return p.status == "missed" and p.doubt is None
    return bool(p.doubt) and p.status == "partial" and p.note.startswith("Doubtful:")
