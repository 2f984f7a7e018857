"""Resumes of the demo candidates (plain text, attached through the candidates service like an
upload, so the worker extracts them and computes job fit). Written for this demo: fictional
people, fictional employers. They differ on purpose, so that a job's "Candidates by fit" has
something to order: a strong match, a neighbouring role, a career changer."""

from __future__ import annotations

DEMO_RESUMES: dict[str, str] = {
    "maria.lopez@example.test": """Maria Lopez
maria.lopez@example.test | Valencia, Spain

SUMMARY
Backend engineer with 7 years of experience building Python APIs and the PostgreSQL and Redis
services behind them.

EXPERIENCE
Senior Backend Engineer, Parcelly, Mar 2021 - Present
- Designed and built the shipment tracking REST API in Python and FastAPI (3,000 requests a second)
- Introduced Redis caching and a token-bucket rate limiter shared by 12 API servers
- Cut p95 latency from 420 ms to 90 ms by rewriting slow PostgreSQL queries and adding indexes
- Runs the services on AWS with Docker and Terraform; on call for production

Backend Engineer, Ferrovia Tickets, Jun 2017 - Feb 2021
- Built booking services in Python (Django) with PostgreSQL
- Wrote integration tests with pytest and set up CI in GitHub Actions

EDUCATION
BSc Computer Science, Universitat de Valencia, 2017

SKILLS
Python, FastAPI, Django, PostgreSQL, Redis, Docker, AWS, Terraform, pytest, REST API design
""",
    "tom.becker@example.test": """Tom Becker
tom.becker@example.test | Hamburg, Germany

SUMMARY
Frontend developer who builds fast, accessible web interfaces.

EXPERIENCE
Frontend Developer, Nordlicht Media, Jan 2020 - Present
- Built the customer portal in React and TypeScript with a design system of 60 components
- Improved Lighthouse performance scores from 55 to 95 with code splitting and image optimisation
- Works with designers in Figma and writes end-to-end tests with Playwright

Junior Web Developer, Agentur Kai, Aug 2018 - Dec 2019
- Built marketing sites in JavaScript, HTML and CSS

EDUCATION
BSc Media Informatics, HAW Hamburg, 2018

SKILLS
React, TypeScript, JavaScript, HTML, CSS, Figma, Playwright, accessibility
""",
    "aisha.khan@example.test": """Aisha Khan
aisha.khan@example.test | Manchester, UK

SUMMARY
Data analyst moving into backend development; writes Python and SQL every day.

EXPERIENCE
Data Analyst, Brightwell Retail, Sep 2021 - Present
- Writes SQL reports on PostgreSQL and automates them with Python scripts
- Built a small Flask API that serves sales figures to the finance team
- Maintains dashboards in Tableau for 40 store managers

EDUCATION
MSc Data Science, University of Manchester, 2021

SKILLS
Python, SQL, PostgreSQL, Flask, pandas, Tableau, Excel
""",
    "jonas.weber@example.test": """Jonas Weber
jonas.weber@example.test | Berlin, Germany

SUMMARY
Python developer with 4 years of experience in web backends and automation.

EXPERIENCE
Python Developer, Stadtwerk Digital, Apr 2022 - Present
- Builds REST APIs in Django REST Framework on PostgreSQL for the customer app
- Moved background jobs to Celery and Redis; containerised the services with Docker
- Reviews code and mentors two junior developers

Software Developer, Kiezlogistik, Oct 2020 - Mar 2022
- Automated warehouse reports in Python; wrote unit tests with pytest

EDUCATION
BSc Computer Science, TU Berlin, 2020

SKILLS
Python, Django, PostgreSQL, Redis, Celery, Docker, pytest, Git
""",
    "noah.schmidt@example.test": """Noah Schmidt
noah.schmidt@example.test | Vienna, Austria

SUMMARY
Backend developer with 5 years of experience on Python services, APIs and their operations.

EXPERIENCE
Backend Developer, Tramline Mobility, Jan 2022 - Present
- Builds the ticketing API in Python and FastAPI on PostgreSQL; added per-client rate limits in Redis
- Runs the services in Docker on AWS ECS; on call, owns the latency dashboards and alerts

Junior Developer, Donau Webwerk, Sep 2020 - Dec 2021
- Maintained Flask back ends for client shops; wrote pytest suites and fixed slow SQL reports

EDUCATION
BSc Software Engineering, TU Wien, 2020

SKILLS
Python, FastAPI, Flask, PostgreSQL, Redis, Docker, AWS, pytest, Grafana
""",
    "lena.fischer@example.test": """Lena Fischer
lena.fischer@example.test | Munich, Germany

SUMMARY
Data engineer who builds reliable batch and streaming pipelines.

EXPERIENCE
Data Engineer, Alpenstrom Energy, Feb 2021 - Present
- Built streaming ingestion of meter readings with Kafka and Spark Structured Streaming
- Orchestrates 120 daily batch pipelines in Airflow; made them idempotent with partition overwrites
- Models the warehouse in BigQuery on GCP; writes SQL and Python

Junior Data Engineer, Datenwerk, Jul 2019 - Jan 2021
- Wrote ETL jobs in Python and SQL

EDUCATION
MSc Computer Science, LMU Munich, 2019

SKILLS
Python, SQL, Spark, Kafka, Airflow, BigQuery, GCP, dbt
""",
    "omar.haddad@example.test": """Omar Haddad
omar.haddad@example.test | Lyon, France

SUMMARY
Java backend developer working on payment systems.

EXPERIENCE
Backend Developer, Paylumen, Sep 2019 - Present
- Builds payment microservices in Java and Spring Boot with PostgreSQL
- Added Kafka events between services and contract tests with JUnit
- Runs services on Kubernetes

EDUCATION
MSc Software Engineering, INSA Lyon, 2019

SKILLS
Java, Spring Boot, PostgreSQL, Kafka, Kubernetes, JUnit
""",
    "priya.nair@example.test": """Priya Nair
priya.nair@example.test | Bangalore, India

SUMMARY
Business intelligence analyst who turns data into decisions.

EXPERIENCE
BI Analyst, Suryan Foods, Jan 2020 - Present
- Builds Power BI dashboards for sales and supply chain
- Writes SQL queries and Excel models for monthly planning
- Presents findings to the leadership team

EDUCATION
MBA Business Analytics, Christ University, 2019

SKILLS
Power BI, SQL, Excel, stakeholder communication
""",
}
