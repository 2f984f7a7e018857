"""The offline question bank: skills catalogue, role defaults and the assembled questions.

The questions live in four data modules (``question_bank_{lang,data,infra,design}``) as plain
tuples; this module turns them into ``BankQuestion`` objects, checks them once at import (3-6
key points, known tags, valid kind/difficulty) and provides the skill matcher used by the
offline generator.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from . import question_bank_data, question_bank_design, question_bank_infra, question_bank_lang
from .question_bank_red_flags import RED_FLAGS

KINDS = ("theory", "practice")
DIFFICULTIES = ("intermediate", "advanced")

# tag -> (display name, alias regex matched case-insensitively unless the alias starts with "(?-i)")
SKILLS: dict[str, tuple[str, str]] = {
    "python": ("Python", r"python|django|flask|fastapi|pandas|pytest|asyncio"),
    "java": ("Java", r"java(?!\s*script)|spring(?:\s*boot)?|jvm|kotlin|hibernate"),
    "javascript": ("JavaScript/TypeScript", r"javascript|typescript|ecmascript|es6|(?-i:JS|TS)"),
    "react": ("React", r"react(?:\.js|js)?|redux|next\.js|nextjs"),
    "node": ("Node.js", r"node(?:\.js|js)?|express(?:\.js)?|nestjs"),
    "go": ("Go", r"golang|(?-i:Go)(?=\s|,|/|\)|$)"),
    "rust": ("Rust", r"(?-i:Rust)|rustlang|cargo"),
    "cpp": ("C++", r"c\+\+|cpp|stl"),
    "sql": ("SQL", r"sql|queries|query tuning|relational database"),
    "postgresql": ("PostgreSQL", r"postgres(?:ql)?|psql"),
    "data-modelling": ("Data modelling", r"data model(?:l)?ing|schema design|normali[sz]ation|data warehouse|"
                                         r"star schema|dimensional model"),
    "data-engineering": ("Data engineering", r"spark|pyspark|airflow|etl|elt|data pipelines?|dbt|"
                                             r"data engineer(?:ing)?|hadoop|databricks|snowflake|bigquery"),
    "caching": ("Caching and Redis", r"redis|memcached|caching|cache"),
    "messaging": ("Messaging and Kafka", r"kafka|rabbitmq|message (?:queue|broker)s?|pub/?sub|sqs|kinesis|"
                                         r"event[- ]driven|nats"),
    "machine-learning": ("Machine learning", r"machine learning|(?-i:ML)|deep learning|pytorch|tensorflow|"
                                             r"scikit-learn|sklearn|model training|mlops"),
    "statistics": ("Statistics", r"statistic(?:s|al)|a/b test(?:ing)?|hypothesis test(?:ing)?|experimentation|"
                                 r"probability"),
    "docker": ("Docker", r"docker|containers?|containeri[sz]ation|podman"),
    "kubernetes": ("Kubernetes", r"kubernetes|k8s|helm|eks|gke|aks|openshift"),
    "cloud": ("Cloud platforms", r"aws|amazon web services|gcp|google cloud|azure|cloud|ec2|s3|lambda"),
    "cicd": ("CI/CD", r"ci/cd|cicd|continuous (?:integration|delivery|deployment)|jenkins|github actions|"
                      r"gitlab ci|circleci|pipelines?"),
    "git": ("Git", r"git(?!hub actions)|github|gitlab|version control"),
    "linux": ("Linux", r"linux|unix|bash|shell scripting|systemd"),
    "networking": ("Networking and HTTP", r"networking|tcp/?ip|http/?[123]?|dns|tls|load balanc(?:er|ing)"),
    "api-design": ("API design", r"rest(?:ful)?(?: apis?)?|apis?|graphql|grpc|openapi|web services"),
    "security": ("Security", r"security|owasp|oauth|authentication|authori[sz]ation|encryption|"
                             r"penetration|vulnerabilit(?:y|ies)"),
    "testing": ("Testing", r"testing|tests|tdd|unit tests?|integration tests?|qa|test automation|pytest|junit"),
    "system-design": ("System design", r"system design|architecture|scalab(?:le|ility)|high availability|"
                                       r"backend|back-end|microservices?"),
    "distributed-systems": ("Distributed systems", r"distributed systems?|microservices?|consensus|"
                                                   r"fault[- ]toleran(?:t|ce)|resilien(?:t|ce)"),
    "observability": ("Observability and operations", r"observability|monitoring|prometheus|grafana|logging|"
                                                      r"tracing|opentelemetry|sre|site reliability|devops|"
                                                      r"on-?call|incident"),
    "agile": ("Agile delivery", r"agile|scrum|kanban|sprints?"),
    "behavioural": ("Behavioural", r"stakeholders?|mentor(?:ing)?|leadership|collaborat(?:e|ion)|"
                                   r"communication"),
    "hr": ("People operations", r"human resources|(?-i:HR)|recruit(?:ing|ment|er)|talent acquisition|people "
                                r"(?:ops|operations|partner)|payroll|onboarding|employee relations|hris"),
}

# Job-title words -> skills assumed when the title says so (used in addition to mentions).
ROLE_DEFAULTS: list[tuple[str, tuple[str, ...]]] = [
    (r"back[- ]?end|server|api", ("api-design", "system-design", "sql", "testing")),
    (r"front[- ]?end|ui engineer|web developer", ("javascript", "react", "testing")),
    (r"full[- ]?stack", ("javascript", "api-design", "sql", "testing")),
    (r"devops|sre|site reliability|platform|infrastructure", ("docker", "kubernetes", "cicd", "observability",
                                                             "linux")),
    (r"data engineer", ("data-engineering", "sql", "data-modelling", "python")),
    (r"data scien|machine learning|ml engineer|ai engineer", ("machine-learning", "statistics", "python")),
    (r"data analyst|analytics", ("sql", "statistics", "data-modelling")),
    (r"security", ("security", "networking", "linux")),
    (r"qa|quality|test engineer|sdet", ("testing", "cicd")),
    (r"architect", ("system-design", "distributed-systems", "cloud")),
    (r"\bhr\b|human resources|recruit|talent|people", ("hr", "behavioural")),
    (r"lead|manager|head of|principal|staff", ("behavioural", "agile", "system-design")),
]
GENERIC_TAGS = ("system-design", "testing", "git", "behavioural")


@dataclass(frozen=True)
class BankQuestion:
    id: str
    tags: tuple[str, ...]
    kind: str
    difficulty: str
    text: str
    key_points: tuple[str, ...]
    red_flags: tuple[str, ...] = ()  # wrong ideas to watch for (question_bank_red_flags.py)

    @property
    def topic(self) -> str:
        return SKILLS[self.tags[0]][0]


def _load() -> tuple[BankQuestion, ...]:
    questions: list[BankQuestion] = []
    serial: Counter[str] = Counter()
    for module in (question_bank_lang, question_bank_data, question_bank_infra, question_bank_design):
        for tags_csv, kind, difficulty, text, points in module.QUESTIONS:
            tags = tuple(t.strip() for t in tags_csv.split(","))
            serial[tags[0]] += 1
            q = BankQuestion(f"{tags[0]}-{serial[tags[0]]:02d}", tags, kind, difficulty, text, tuple(points),
                             RED_FLAGS.get(text, ()))
            if not (set(q.tags) <= SKILLS.keys() and q.kind in KINDS and q.difficulty in DIFFICULTIES
                    and 3 <= len(q.key_points) <= 6 and len(q.red_flags) <= 10):
                raise ValueError(f"invalid bank question {q.id}: {q.text!r}")
            questions.append(q)
    return tuple(questions)


BANK: tuple[BankQuestion, ...] = _load()


@lru_cache(maxsize=1)
def _skill_patterns() -> dict[str, re.Pattern[str]]:
    return {tag: re.compile(rf"(?i)(?<![\w+#/.-])(?:{pattern})(?![\w+#])") for tag, (_, pattern) in SKILLS.items()}


def skill_mentions(text: str) -> Counter[str]:
    """How often each skill tag is mentioned in ``text`` (aliases included)."""
    counts: Counter[str] = Counter()
    for tag, rx in _skill_patterns().items():
        n = len(rx.findall(text or ""))
        if n:
            counts[tag] = n
    return counts


def role_defaults(job_title: str) -> list[str]:
    """Skills implied by the job title's role words ("Backend Engineer" -> API design, SQL...)."""
    tags: list[str] = []
    for pattern, implied in ROLE_DEFAULTS:
        if re.search(rf"(?i){pattern}", job_title or ""):
            tags.extend(t for t in implied if t not in tags)
    return tags


def questions_for(tag: str) -> list[BankQuestion]:
    return [q for q in BANK if tag in q.tags]
