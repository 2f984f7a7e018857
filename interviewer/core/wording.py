"""User-visible wording shared by every layer: counted nouns ("1 candidate", "2 candidates").

One rule, one place: services (advice, errors), state (toasts) and components (``count_noun`` in
``interviewer.components.ui``, which renders the same two forms for a reactive count) all ask here
instead of writing "candidate(s)" or ``'s' if n != 1``.
"""

from __future__ import annotations


def noun(count: int, singular: str, many: str | None = None) -> str:
    """The form of ``singular`` that goes with ``count``: only exactly 1 takes the singular
    ("0 candidates", "1 candidate", "2 candidates"). ``many`` for irregular plurals ("1 person",
    "2 people"); the default adds "s"."""
    return singular if count == 1 else (many if many is not None else f"{singular}s")


def plural(count: int, singular: str, many: str | None = None) -> str:
    """``count`` and its noun: ``plural(1, "question")`` is "1 question", ``plural(3, "question")``
    "3 questions"; adjectives go with the noun (``plural(n, "quantified achievement")``)."""
    return f"{count} {noun(count, singular, many)}"
