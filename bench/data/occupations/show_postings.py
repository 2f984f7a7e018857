"""Print postings [start, stop) of job_descriptions_dev.csv for labelling: row number, title, text.

Usage (from the repository root): python bench/data/occupations/show_postings.py START STOP
"""
import csv
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[4] / "shared" / "data"
rows = list(csv.DictReader(open(DATA / "job_descriptions_dev.csv", encoding="utf-8")))
for i in range(int(sys.argv[1]), min(int(sys.argv[2]), len(rows))):
    print(f"\n######## posting {i}: {rows[i]['title']}\n{rows[i]['description'][:4000]}")
