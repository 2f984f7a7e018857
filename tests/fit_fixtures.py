"""Resumes and postings written for the job-fit tests (this project's own text): neighbouring
technical roles, a people role, a resume that lists technologies without doing the work, and a
posting in German. Used by unit, service and browser tests; never by the matcher itself."""

from __future__ import annotations

JAVA_JOB_TITLE = "Senior Java Backend Engineer"
JAVA_JOB = """We are hiring a backend engineer to build the order and billing services of our marketplace.

What you will do
- Design and build REST APIs in Java 17 with Spring Boot and Hibernate
- Model data in PostgreSQL and tune slow queries
- Publish and consume events with Kafka
- Write unit and integration tests with JUnit; review code of other engineers

What we ask
- 5+ years of professional experience developing Java services
- Spring Boot, Hibernate, SQL, REST APIs, Maven or Gradle
- Experience with microservices and message queues (Kafka or RabbitMQ)
- Nice to have: Docker, Kubernetes, AWS
"""

PYTHON_JOB_TITLE = "Python Developer"
PYTHON_JOB = """Join our analytics product team as a Python developer.

Responsibilities
- Build web services in Python with Django and Django REST framework
- Write data processing jobs with Pandas and Celery
- Maintain PostgreSQL schemas and write migrations
- Write tests with pytest and keep the CI pipeline green

Requirements
- 3+ years of experience with Python in production
- Django or Flask, REST APIs, SQL
- Familiarity with Docker and Linux
"""

DEVOPS_JOB_TITLE = "DevOps Engineer"
DEVOPS_JOB = """We need a DevOps engineer to own our cloud platform.

You will
- Run our Kubernetes clusters on AWS and manage them with Terraform
- Build CI/CD pipelines in Jenkins and GitHub Actions
- Automate configuration with Ansible and write Bash and Python scripts
- Set up monitoring and alerting with Prometheus and Grafana; take part in on-call

You have
- 4+ years of experience in DevOps or site reliability engineering
- Docker, Kubernetes, Terraform, Linux administration, networking basics
"""

GERMAN_JOB_TITLE = "Java Entwickler (m/w/d)"
GERMAN_JOB = """Wir suchen für unser Team in Hamburg einen erfahrenen Java Entwickler.

Ihre Aufgaben
- Sie entwickeln und betreiben Dienste für unsere Logistikplattform mit Java und Spring Boot
- Sie gestalten Schnittstellen und Datenmodelle gemeinsam mit den Fachabteilungen
- Sie sorgen für die Qualität des Codes durch Tests und gegenseitige Reviews

Ihr Profil
- Mindestens drei Jahre Berufserfahrung in der Entwicklung mit Java
- Gute Kenntnisse in Spring Boot, Hibernate und relationalen Datenbanken
- Sehr gute Deutschkenntnisse und gute Englischkenntnisse
"""

JAVA_RESUME = """Priya Raman
Java Backend Engineer

Summary
Backend engineer with seven years of experience building Java services for payments and retail.

Experience
Senior Software Engineer, Northwind Payments, Mar 2021 - Present
- Built the refunds service in Java 17 and Spring Boot, serving 2,000 requests per second
- Designed REST APIs and PostgreSQL schemas for settlement; cut report queries from 9 s to 300 ms
- Introduced Kafka events between billing and ledger services
- Wrote JUnit and Testcontainers tests; raised coverage from 40% to 85%

Software Engineer, Contoso Retail, Jan 2018 - Feb 2021
- Developed order management microservices with Spring Boot, Hibernate and MySQL
- Migrated the build from Ant to Maven and deployed services in Docker containers

Skills
Java, Spring Boot, Hibernate, PostgreSQL, MySQL, Kafka, REST API, JUnit, Maven, Docker, Git

Education
B.Sc. Computer Science, University of Leeds, 2017
"""

PYTHON_RESUME = """Tomás Ortega
Python Developer

Summary
Python developer with four years of experience building web applications and data tools.

Experience
Python Developer, Brightside Analytics, Jun 2020 - Present
- Developed REST APIs with Django REST framework for a reporting product used by 300 clients
- Wrote Pandas and Celery jobs that load 5 million rows a night into PostgreSQL
- Automated tests with pytest and set up GitHub Actions for every pull request

Junior Developer, Lakeview Labs, Sep 2019 - May 2020
- Built internal tools in Flask and wrote SQL reports

Skills
Python, Django, Flask, Pandas, Celery, PostgreSQL, pytest, Docker, Linux, Git

Education
B.Sc. Mathematics, University of Porto, 2019
"""

DEVOPS_RESUME = """Jonas Weber
DevOps Engineer

Summary
DevOps engineer with six years of experience running cloud infrastructure.

Experience
Site Reliability Engineer, Skyline Media, Apr 2020 - Present
- Managed 12 Kubernetes clusters on AWS with Terraform and Helm
- Built CI/CD pipelines in Jenkins and GitHub Actions for 40 services
- Automated server configuration with Ansible; wrote Bash and Python scripts for backups
- Set up Prometheus and Grafana monitoring; reduced paging incidents by 35%

Systems Administrator, Harbor Hosting, Jan 2017 - Mar 2020
- Administered Linux servers and networks; containerised legacy apps with Docker

Skills
Kubernetes, Docker, Terraform, Ansible, AWS, Jenkins, Linux, Bash, Prometheus, Grafana

Education
B.Eng. Computer Engineering, TU Munich, 2016
"""

HR_RESUME = """Alicia Gomez
HR Generalist

Summary
HR generalist with eight years of experience in recruiting, onboarding and employee relations.

Experience
HR Generalist, Greenfield Foods, Feb 2018 - Present
- Recruited 120 hires a year for plants and offices; ran interviews and reference checks
- Led onboarding for new hires and handled employee relations cases
- Administered payroll and benefits for 600 employees with Workday

HR Assistant, City Hospital, Jan 2015 - Jan 2018
- Scheduled interviews, kept personnel files and prepared offer letters

Skills
Recruiting, Onboarding, Employee Relations, Payroll, Benefits Administration, Workday, Microsoft Excel

Education
B.A. Psychology, University of Texas, 2014
"""

# Lists every technology of the Java posting but shows no work with any of them.
LISTED_ONLY_RESUME = """Sam Carter
Office Coordinator

Summary
Organised office coordinator looking for a new challenge.

Experience
Office Coordinator, Maple Dental, Jan 2019 - Present
- Answered phones, booked appointments and ordered supplies for a clinic of 14 staff
- Kept the filing system and the front desk calendar up to date

Skills
Java, Spring Boot, Hibernate, PostgreSQL, Kafka, REST API, JUnit, Maven, Microservices, Docker, Kubernetes, AWS

Education
High school diploma, 2018
"""

RESUMES = {"java": JAVA_RESUME, "python": PYTHON_RESUME, "devops": DEVOPS_RESUME, "hr": HR_RESUME,
           "listed_only": LISTED_ONLY_RESUME}
JOBS = {"java": (JAVA_JOB_TITLE, JAVA_JOB), "python": (PYTHON_JOB_TITLE, PYTHON_JOB),
        "devops": (DEVOPS_JOB_TITLE, DEVOPS_JOB)}
