"""Benchmark the fairness redaction (``services/ai/redact.py``) on generated resumes and transcripts.

Usage (from the repository root)::

    .venv/bin/python bench/bench_redaction.py [--resumes 300] [--transcripts 300] [--seed 7]

Each document is generated here from parts with known labels: a person (first and last names
of many origins, written by this project for the benchmark and never used to choose the
redaction's rules), contacts in many national formats, a personal web site and handle built from
the name, and ordinary resume content (job titles, skills, employers). Half of the resumes
open with the person's name, half with a job-title headline only (as many real resumes do).

Printed, with the candidate's name given to the redaction (as the product does when it knows
it) and without it (``known_names=()``):

* names: share of occurrences of the person's first and last name that remain;
* contacts: share remaining per format (phones by country, email, personal site, handle);
* false redactions: share of job-title headline words, skills and employer words removed;
* the gazetteer's coverage of this benchmark's first names (how many it knows).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from interviewer.services.ai.redact import family_names, given_names, redact  # noqa: E402

FIRST = """Amara Chidi Oluwaseun Kwame Nia Thabo Zanele Yaw Fatou Mamadou Aigerim Bolat Dilnoza Farrukh
Mei Wei Hao Jia Haruto Yui Sakura Minjun Seoyeon Jiwoo Arjun Priya Ananya Rohan Kavya Vikram Ishaan
Aditi Farhan Ayesha Imran Zainab Omar Layla Yusuf Noor Hamza Leila Dariush Shirin Mehmet Elif Emre
Zeynep Tomasz Agnieszka Katarzyna Piotr Oksana Dmytro Svetlana Nikolai Ingrid Sven Astrid Lars
Siobhan Declan Aoife Niamh Giulia Lorenzo Chiara Matteo Ines Joao Beatriz Tiago Camila Mateo
Valentina Santiago Lucia Diego Ximena Emeka Ngozi Adebayo Chiamaka Tendai Rudo Kofi Abena
Marcus Emily Grace Oliver Hannah Ethan Chloe Daniel Sophie Liam""".split()
LAST = """Okafor Mensah Diallo Ndlovu Adeyemi Boateng Nakamura Tanaka Kim Park Wang Li Chen Zhang Nguyen
Tran Sharma Patel Iyer Reddy Banerjee Khan Hussain Rahman Haddad Farouk Karimi Yilmaz Demir Kowalski
Nowak Wisniewska Shevchenko Ivanova Petrov Lindqvist Johansson Nielsen Murphy Byrne Kelly Rossi
Bianchi Esposito Silva Santos Pereira Gonzalez Rodriguez Fernandez Lopez Martinez Garcia Herrera
Castillo Mwangi Otieno Banda Phiri Smith Johnson Brown Taylor Walker Wright""".split()
TITLES = """Accountant|Senior Accountant|HR Generalist|Registered Nurse|Chef|Teacher|Sales Manager|Software Engineer
|Data Analyst|Graphic Designer|Civil Engineer|Pharmacist|Marketing Coordinator|Financial Analyst
|Project Manager|Customer Service Representative|Mechanical Engineer|Paralegal|Web Developer
|Operations Manager|Business Analyst|Construction Manager|Fitness Trainer|Digital Media Specialist""".split("|")
SKILLS = """Python|Excel|SQL|Salesforce|QuickBooks|AutoCAD|Photoshop|Payroll|Recruiting|Budgeting|Tableau
|Java|Kubernetes|SAP|Patient care|Food safety|Curriculum design|Negotiation|Figma|Jira""".split("|")
EMPLOYERS = ["Northwind Traders", "Contoso Health", "Fabrikam Foods", "Tailspin Logistics", "Woodgrove Bank",
             "Litware Systems", "Adventure Works", "Blue Yonder Airlines", "Alpine Ski House", "Coho Winery"]
PHONES = {  # format name -> generator of a number in that national format
    "uk mobile": lambda r: f"07{r.randint(100, 999)} {r.randint(100000, 999999)}",
    "uk mobile unseparated": lambda r: f"07{r.randint(100000000, 999999999)}",
    "uk +44": lambda r: f"+44 (0) 20 {r.randint(1000, 9999)} {r.randint(1000, 9999)}",
    "us": lambda r: f"({r.randint(200, 989)}) {r.randint(200, 999)}-{r.randint(1000, 9999)}",
    "us +1": lambda r: f"+1 {r.randint(200, 989)} {r.randint(200, 999)} {r.randint(1000, 9999)}",
    "india": lambda r: f"+91 {r.randint(70000, 99999)} {r.randint(10000, 99999)}",
    "germany": lambda r: f"+49 30 {r.randint(1000000, 9999999)}",
    "france": lambda r: "0{} {:02d} {:02d} {:02d} {:02d}".format(r.randint(1, 7), *(r.randint(0, 99) for _ in range(4))),
    "nigeria": lambda r: f"+234 {r.randint(700, 909)} {r.randint(100, 999)} {r.randint(1000, 9999)}",
    "brazil": lambda r: f"+55 11 9{r.randint(1000, 9999)}-{r.randint(1000, 9999)}",
}
TLDS = ["com", "dev", "io", "me", "co.uk", "design", "net"]


def make_person(r: random.Random) -> dict[str, str]:
    first, last = r.choice(FIRST), r.choice(LAST)
    phone_kind = r.choice(sorted(PHONES))
    slug = r.choice([f"{first}{last}", f"{first}-{last}", f"{first}.{last}", f"{first[0]}{last}"]).lower()
    return {"first": first, "last": last, "phone_kind": phone_kind, "phone": PHONES[phone_kind](r),
            "email": r.choice([f"{first.lower()}.{last.lower()}", f"{first[0].lower()}{last.lower()}{r.randint(1, 99)}",
                               f"{first.lower()}{r.randint(70, 99)}", r.choice(["sunrise.runner", "blue_heron",
                                                                              "quietcoder", "hello.world42"])])
            + "@" + r.choice(["mail.com", "example.org", "inbox.net"]),
            "site": r.choice(["www.", "https://", ""]) + f"{slug}.{r.choice(TLDS)}",
            "handle": "@" + re.sub(r"[^a-z0-9_]", "", slug)}


def make_resume(r: random.Random, p: dict[str, str], with_name: bool) -> tuple[str, dict[str, list[str]]]:
    title = r.choice(TITLES)
    skills = r.sample(SKILLS, 5)
    employers = r.sample(EMPLOYERS, 2)
    head = [f"{p['first']} {p['last']}".upper() if r.random() < 0.4 else f"{p['first']} {p['last']}", title] \
        if with_name else [title.upper() if r.random() < 0.5 else title]
    contact = " | ".join([p["email"], p["phone"], p["site"]] + ([p["handle"]] if r.random() < 0.5 else []))
    lines = [*head, contact, "", "Summary",
             f"{title} with {r.randint(2, 15)} years of experience in {skills[0]} and {skills[1]}.", "",
             "Experience", f"{title}, {employers[0]}, 2019 - Present",
             f"- Led work on {skills[2]} for {r.randint(3, 40)} clients; improved results by {r.randint(5, 40)}%",
             f"- Trained colleagues in {skills[3]}", f"{title}, {employers[1]}, 2015 - 2019",
             f"- Managed {skills[4]} reporting for the team", "", "Skills", ", ".join(skills), "",
             "References", "Available on request."]
    if with_name and r.random() < 0.5:  # a signature at the end
        lines += ["", f"{p['first']} {p['last']}"]
    return "\n".join(lines), {"title": title.split(), "skills": skills, "employers": employers}


def make_transcript(r: random.Random, p: dict[str, str]) -> str:
    opener = r.choice([f"Hi, I'm {p['first']} {p['last']}.", f"Hello, my name is {p['first']} {p['last']}.",
                       f"Good morning, this is {p['first']}.", f"Sure. I'm {p['first']} {p['last']}, thanks."])
    body = r.choice(["In my last role I designed the reporting pipeline and trained two juniors.",
                     "I would start by measuring where the time goes before changing anything.",
                     "We used a queue so that slow work did not block the requests."])
    tail = r.choice([f"You can reach me on {p['phone']} or at {p['email']}.",
                     f"My portfolio is {p['site']}.", f"People call me {p['first']} at work.", ""])
    return " ".join(x for x in (opener, body, tail) if x)


def remaining(redacted: str, token: str) -> int:
    return len(re.findall(rf"(?<![\w@.]){re.escape(token)}(?![\w@])", redacted, re.IGNORECASE))


def real_headlines(path: Path) -> None:
    """Real resumes (``resumes_dev.csv``, text extracted from PDFs): most open with a job-title
    headline and carry no name. Share whose first line the redaction takes for a name."""
    import csv

    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    taken = 0
    examples = []
    for row in rows:
        text = row["resume_text"]
        first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
        out, _ = redact(text, resume=True)
        if "[NAME]" in next((ln for ln in out.splitlines() if ln.strip()), ""):
            taken += 1
            examples.append(first)
    print(f"\nreal resumes ({path.name}): first line redacted as a name in {taken} of {len(rows)} "
          f"({taken / max(len(rows), 1):.1%})" + (f"; e.g. {examples[:5]}" if examples else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--resumes", type=int, default=300)
    parser.add_argument("--transcripts", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--real", type=Path, default=None,
                        help="resumes_dev.csv: also count real headlines taken for names")
    args = parser.parse_args()
    r = random.Random(args.seed)
    gazetteer = given_names()
    known = sum(f.lower() in gazetteer for f in FIRST)
    family = family_names()
    print(f"gazetteer: {len(gazetteer):,} given names, {len(family):,} family names; knows {known} of this "
          f"benchmark's {len(FIRST)} first names and {sum(n.lower() in family for n in LAST)} of its {len(LAST)} "
          f"last names")

    docs = []
    for i in range(args.resumes):
        p = make_person(r)
        text, content = make_resume(r, p, with_name=i % 2 == 0)
        docs.append(("resume", p, text, content))
    for _ in range(args.transcripts):
        p = make_person(r)
        docs.append(("transcript", p, make_transcript(r, p), {"title": [], "skills": [], "employers": []}))

    start = time.perf_counter()
    for mode in ("name given", "name not given"):
        names = Counter()
        contacts: dict[str, Counter] = defaultdict(Counter)
        false = Counter()
        for kind, p, text, content in docs:
            out, _ = redact(text, known_names=[f"{p['first']} {p['last']}"] if mode == "name given" else [],
                            resume=kind == "resume", style="tag")
            for part in (p["first"], p["last"]):
                names[f"{kind} total"] += remaining(text, part)
                names[f"{kind} left"] += remaining(out, part)
            for key, value in (("phone: " + p["phone_kind"], p["phone"]), ("email", p["email"]),
                               ("personal site", p["site"]), ("handle", p["handle"])):
                if value in text:
                    contacts[key]["total"] += 1
                    contacts[key]["left"] += value in out
            for group in ("title", "skills", "employers"):
                for word in content[group]:
                    false[f"{group} total"] += remaining(text, word)
                    false[f"{group} removed"] += remaining(text, word) - remaining(out, word)
        print(f"\n== {mode} ==")
        for kind in ("resume", "transcript"):
            total = names[f"{kind} total"]
            print(f"names left in {kind}s: {names[f'{kind} left']} of {total} "
                  f"({names[f'{kind} left'] / max(total, 1):.1%})")
        print("contacts left:")
        for key in sorted(contacts):
            c = contacts[key]
            print(f"  {key:<28} {c['left']:>4} of {c['total']:<4} ({c['left'] / max(c['total'], 1):.1%})")
        print("false redactions (ordinary words removed):")
        for group in ("title", "skills", "employers"):
            total = false[f"{group} total"]
            print(f"  {group:<10} {false[f'{group} removed']:>4} of {total:<5} ({false[f'{group} removed'] / max(total, 1):.1%})")
    per_doc = (time.perf_counter() - start) / (2 * len(docs)) * 1000
    if args.real:
        real_headlines(args.real)
    print(f"\n{len(docs)} documents, {per_doc:.2f} ms per redaction")


if __name__ == "__main__":
    main()
