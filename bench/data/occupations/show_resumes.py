"""Print resumes of resumes_dev.csv for labelling: id and text, not the category.

Usage (from the repository root):
    python bench/data/occupations/show_resumes.py START STOP          # rows [START, STOP)
    python bench/data/occupations/show_resumes.py second FROM TO   # items [FROM, TO) of second_reading_ids.txt
"""
import csv
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[4] / "shared" / "data"
rows = list(csv.DictReader(open(DATA / "resumes_dev.csv", encoding="utf-8")))
if sys.argv[1] == "second":   # a second, independent reading of a sample (every first-reading "yes" + others)
    by_id = {r["resume_id"]: r for r in rows}
    ids = (Path(__file__).parent / "second_reading_ids.txt").read_text(encoding="utf-8").split()
    chosen = [by_id[i] for i in ids[int(sys.argv[2]):int(sys.argv[3])]]
else:
    chosen = rows[int(sys.argv[1]):int(sys.argv[2])]
for r in chosen:
    print(f"\n######## resume_id {r['resume_id']}\n{r['resume_text'][:6000]}")
