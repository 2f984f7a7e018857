"""Offline (no LLM) ATS analysis of resume text: deterministic, explainable heuristics.

Each of the seven sections gets an integer score 0-5 made of named evidence points (see the
``_score_*`` functions), and every feedback sentence says what was found and what was missing.

Overall score (``SCORING_FORMULA``)::

    base    = sum(SECTION_WEIGHTS[s] * section_score[s] / 5 for each section)   # weights sum to 100
    penalty = min(MAX_FORMATTING_PENALTY, FORMATTING_PENALTY * len(formatting_issues))
    score   = clamp(round(base) - penalty, 0, 100)

``ats_friendly`` is ``score >= ATS_FRIENDLY_MIN_SCORE`` and none of the formatting issues is
blocking (no recognisable section headings, too little text, or garbled/unreadable characters):
those are the cases where an ATS parser would lose the resume's content, whatever its score.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from .ats_vocab import ACTION_VERBS, SECTION_HEADINGS, STOPWORDS, find_skills, normalise_keyword
from .schemas import SECTION_KEYS, ATSResult, SectionScore, SectionScores
