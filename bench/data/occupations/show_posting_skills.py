"""Print postings of job_descriptions_dev.csv with the skills the matcher detects in each, for labelling
whether each is asked of the candidate (GUIDELINE.md, "Per detected skill").

Usage (from the repository root): .venv/bin/python bench/data/occupations/show_posting_skills.py START STOP
"""
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
from interviewer.services.ai.offline import matching as M  # noqa: E402

rows = list(csv.DictReader(open(ROOT.parent / "shared" / "data" / "job_descriptions_dev.csv", encoding="utf-8")))
compiled = {name: patterns for name, _, patterns in M._compiled()}
for i in range(int(sys.argv[1]), min(int(sys.argv[2]), len(rows))):
    text = rows[i]["description"]
    print(f"\n######## posting {i}: {rows[i]['title']}\n{text[:5000]}\n-------- detected skills of posting {i}:")
    hits = M.skill_profile(f"{rows[i]['title']}\n\n{text}")
    flat = M._compiled_flat() if M.is_preprocessed(text) else None
    for name in sorted(hits):
        pats = compiled[name] if flat is None else next(p for n, _, p in flat if n == name)
        m = next((m for p in pats for m in [p.search(text)] if m), None)
        where = (f'"{m.group(0)}" in: ...{text[max(0, m.start() - 70):m.end() + 70]}...'.replace("\n", " ")
                 if m else "(in the title)")
        print(f"  - {name}: {where}")
