"""Skills vocabulary for resume/job matching and ATS keyword checks.

Written for this project.  Each field lists one skill per line as
``Canonical name | alias | alias`` (a name starting with "!" is only displayed,
not matched, for names like "C" that are ordinary words); aliases are matched case-insensitively on word
boundaries (``c++``, ``c#``, ``.net`` and ``node.js`` work).  An alias written as
``re:<pattern>`` is a raw regular expression (still case-insensitive) and one
written as ``cs:<pattern>`` is a case-sensitive one, for short names such as "R"
or "Go" that are ordinary words in lower case.

A skill is one thing: its aliases are other names for it (a spelling, an abbreviation, a version, a part
that implies it), never a rival or neighbouring product, because a posting that asks for Tomcat does not
ask for Nginx, and the keywords shown must be what the posting names. An audit of every alias by a reader
who saw only this file (``bench/data/vocab_audit.json``) split 113 such products off; its stricter
patterns for ambiguous words were measured and not adopted (``bench/data/vocab_audit_preregistration.txt``).

``FIELD_FAMILY`` groups fields into broad job families used for field similarity.
"""

from __future__ import annotations

_VOCAB: dict[str, str] = {
    "language": """
        Python | python3 | re:py(?:thon)?\\s*3
        Java | core java | java se | java ee | j2ee
        JavaScript | js | ecmascript | es6
        TypeScript
        !C | cs:C(?=\\s*[/,&]\\s*C\\+\\+)
        C++ | cpp
        C# | csharp | c sharp
        !Go | golang | go language | cs:Go(?=\\s*[,/)])
        Rust
        Ruby
        PHP
        Kotlin
        !Swift | cs:Swift | swift programming
        Objective-C | objective c | objc
        Dart
        Scala
        !R | r programming | rstudio | cs:R(?=\\s*[,/)])
        Perl
        Bash | shell scripting | shell script | re:unix shell
        PowerShell
        VB.NET | visual basic
        VBA
        MATLAB
        SQL | t-sql | tsql | pl/sql | plsql
        COBOL
    """,
    "web": """
        HTML | html5
        CSS | css3
        Sass/SCSS | sass | scss
        !Less | less css
        React | react.js | reactjs
        Angular | angularjs | angular.js
        Vue.js | vue | vuejs
        Nuxt.js | nuxt
        Node.js | nodejs | node js
        Express.js | express.js | expressjs
        Django | django rest framework
        Flask
        FastAPI
        !Spring | spring boot | spring framework | spring mvc
        Hibernate
        ASP.NET | asp.net mvc
        .NET | .net core | .net framework | dotnet
        Laravel
        Symfony
        CodeIgniter
        Ruby on Rails | rails
        WordPress | wp plugins | gutenberg
        WooCommerce
        Drupal
        Joomla
        jQuery
        Bootstrap
        REST API | restful | rest api | rest apis | restful api | restful services
        GraphQL
        Web services | soap | wsdl
        Webpack
        Babel
        Vite
        Redux
        Responsive design | mobile-first
    """,
    "mobile": """
        Android | android sdk | android studio
        iOS | ios development | uikit | swiftui | cocoa touch | xcode
        Flutter
        React Native
        Mobile apps | mobile application | mobile development | app store | google play
    """,
    "data": """
        Data analysis | data analytics | data analyst
        Data engineering | data engineer | data pipelines | data pipeline | etl | elt
        Data warehousing | data warehouse | snowflake | redshift | bigquery
        Spark | pyspark | apache spark
        Hadoop | hdfs | mapreduce
        Apache Hive | hive
        Kafka | apache kafka
        Airflow | apache airflow
        Pandas
        NumPy
        SciPy
        Tableau
        Power BI
        Looker
        Qlik
        Statistics | statistical analysis | statistical modeling | regression analysis
        Data visualization | dashboards | dashboard
        Big data
        SSIS
        SSRS
        SSAS
        Informatica PowerCenter | informatica
    """,
    "ml": """
        Machine learning | ml models | machine-learning
        Deep learning | neural networks | neural network
        TensorFlow
        Keras
        PyTorch
        scikit-learn | sklearn
        NLP | natural language processing
        Computer vision | opencv
        Predictive modeling | predictive modelling | predictive analytics
        Data science | data scientist
        LLM | large language models | generative ai
    """,
    "database": """
        MySQL
        PostgreSQL | postgres
        Oracle Database | oracle | oracle db | oracle dba | re:oracle\\s+\\d+[a-z]?\\b
        SQL Server | mssql | ms sql | microsoft sql server
        MongoDB | mongo
        Redis
        Cassandra
        Amazon DynamoDB | dynamodb
        Apache CouchDB | couchdb
        NoSQL databases | nosql
        Elasticsearch | elastic stack | elk
        Database administration | dba | database administrator
        Database design | data modeling | schema design
        Backup and recovery | disaster recovery
    """,
    "devops": """
        DevOps
        Docker | containers | containerization
        Kubernetes | k8s
        Helm
        Red Hat OpenShift | openshift
        Terraform
        Infrastructure as Code
        AWS CloudFormation | cloudformation
        Pulumi
        Ansible
        !Chef | re:chef\\s+cookbooks?
        Puppet
        SaltStack
        Jenkins
        GitLab CI/CD | gitlab ci
        GitHub Actions
        CircleCI
        Travis CI
        TeamCity
        Atlassian Bamboo | bamboo
        CI/CD | continuous integration | continuous delivery | continuous deployment
        Linux | red hat | rhel | ubuntu | centos
        Unix
        Oracle Solaris | solaris
        IBM AIX | aix
        !Monitoring | prometheus | grafana | nagios | splunk | datadog | zabbix
        Nginx
        Apache HTTP Server | apache httpd
        Apache Tomcat | tomcat
        Microsoft IIS | iis
        Site reliability | sre
        Scripting | automation scripts
    """,
    "cloud": """
        AWS | amazon web services | ec2 | s3 | lambda | cloudwatch
        Azure | microsoft azure
        Google Cloud | gcp | google cloud platform
        Cloud computing | cloud infrastructure | cloud migration | saas | iaas | paas
        Serverless
        VMware | vsphere | esxi
        Microsoft Hyper-V | hyper-v
        Virtualization
    """,
    "network": """
        Networking | network administration | network administrator | network engineer
        TCP/IP | tcp | ipv4 | ipv6 | subnetting
        DNS
        DHCP
        Routing and switching | routers | switches | bgp | ospf | eigrp | vlan | vlans
        Cisco | ccna | ccnp
        Juniper Networks | juniper
        LAN/WAN | lan | wan | wlan | wireless networks
        Firewalls | firewall | palo alto | fortinet | checkpoint
        VPN
        Active Directory | group policy
        LDAP
        Windows Server | windows server 2008 | windows server 2012
        Microsoft Exchange Server | exchange server
    """,
    "security": """
        Information security | cybersecurity | cyber security | infosec
        Security compliance | nist | iso 27001 | hipaa compliance | pci | sox compliance
        Vulnerability management | vulnerability assessment
        Penetration testing
        Risk assessment
        NIST Risk Management Framework (RMF) | risk management framework
        CISSP
        CISM
        CompTIA Security+ | security+
        CEH
        Identity and access management | iam | sso | oauth
        Encryption | pki | ssl | tls
    """,
    "it_support": """
        Information technology | it specialist | it manager | it director | it analyst | it support | it technician | it administrator | cs:IT(?=\\s+[A-Z])
        Help desk | helpdesk | service desk | technical support | desktop support
        Troubleshooting | troubleshoot
        IT infrastructure | servers | server administration | data center
        ITIL | incident management | change management | ticketing
        ServiceNow
        BMC Remedy | remedy
        Hardware | hardware installation | peripherals | printers
        System administration | sysadmin | systems administrator
        Patch management | patching
        SharePoint
    """,
    "engineering_practice": """
        Git
        GitHub
        GitLab
        Bitbucket
        Apache Subversion (SVN) | svn
        Version control
        Agile | scrum | kanban | sprint
        Jira
        Microservices
        Service-oriented architecture (SOA) | service-oriented architecture | soa
        Object-oriented programming | oop | object oriented
        Design patterns
        Unit testing | test-driven development | tdd | junit | pytest | jest | mocha
        Selenium
        Software development | software engineering | software developer | sdlc
        APIs | api | api development | api integration
        Debugging
        Code review | code reviews
        Algorithms
        Data structures
        Performance optimization | scalability | caching
        System design | software architecture
        Distributed systems
    """,
    "hr": """
        Recruiting | recruitment | recruiter | talent acquisition | sourcing candidates | full-cycle recruiting
        Onboarding | new hire orientation
        Offboarding
        Employee relations
        Employee engagement
        Employee experience
        HR policies | hr policy | employee handbook | policies and procedures
        Benefits administration | benefits enrollment | employee benefits | open enrollment | cobra
        !Compensation | compensation analysis | compensation planning | compensation and benefits | salary surveys | pay equity
        Payroll | adp | paychex | payroll processing
        HRIS | workday | successfactors | bamboohr | ultipro | peoplesoft hr | kronos
        Performance management | performance reviews | performance appraisal | performance evaluations
        Training and development | learning and development | training programs | employee training
        Employment law | fmla | eeoc | flsa | labor law
        Labor relations
        Workforce planning | succession planning | headcount planning
        Organizational development
        Interviewing | interview scheduling | candidate screening | background checks | reference checks
        Job descriptions | job postings
        Job board management | job boards
        Human resources | hr generalist | hr manager | hr business partner | hrbp | human resource | cs:HR(?![A-Za-z])
        Staffing | staffing agency | temp staffing
        Talent management | retention | turnover
        Employee records | personnel files | i-9 | e-verify
        Workers compensation | workers' compensation
        Leave of absence management | leave of absence | loa
        SHRM | shrm-cp
        PHR
        SPHR
    """,
    "finance": """
        Accounting | accountant | general ledger | accounts payable | accounts receivable
        Financial reporting | financial statements | gaap | ifrs
        Budgeting | budget management
        Forecasting
        !Financial auditing | internal audit | external audit | financial audit | audit engagements
        Tax | tax preparation | tax returns
        Reconciliation | bank reconciliation | reconciliations
        QuickBooks
        Sage
        SAP FICO
        Sage 50 (Peachtree) | peachtree
        Financial analysis | financial modeling | variance analysis
        Banking | loans | lending | mortgage | credit analysis | underwriting
        Investments | portfolio management | equity research | wealth management
        CPA
        CFA
        CMA
    """,
    "sales_marketing": """
        Sales | sales representative | account management | account manager | quota
        Business development | lead generation | prospecting | cold calling
        CRM | salesforce | hubspot | dynamics crm
        Marketing | marketing campaigns | brand management | branding
        Digital marketing | seo | sem | google analytics | social media | content marketing | email marketing
        Public relations | press releases | media relations | communications strategy
        Market research
        Retail | merchandising | store management
        Inventory management
        Negotiation | contract negotiation
    """,
    "customer_service": """
        Customer service | customer support | client service | customer care
        Call center | contact center | inbound calls | outbound calls | bpo
        Data entry
        Scheduling | appointment setting
    """,
    "design_media": """
        Graphic design | graphic designer | layout design
        Adobe Creative Suite | photoshop | illustrator | indesign | after effects | premiere
        UI/UX | user experience | ux design | ui design | wireframes | wireframing | figma | sketch
        Video production | video editing | film
        Photography
        !Writing | copywriting | journalism | content writing | proofreading
        Fashion | apparel | textile | garment | sewing | pattern making
        Fine arts | painting | illustration | music | theater
        AutoCAD
        CAD
        SolidWorks
        Autodesk Revit | revit
    """,
    "health_fitness": """
        Patient care | nursing | registered nurse | clinical | patients | hospital
        Medical records | emr | ehr | epic
        Medical billing
        Medical coding | icd-10
        CPR | bls | acls
        First aid
        Pharmacy
        Medication administration
        Fitness | personal training | personal trainer | yoga | gym
        Nutrition
    """,
    "education_legal": """
        Teaching | teacher | lesson plans | lesson planning | curriculum | classroom | students
        Tutoring
        Special education | iep
        Legal | litigation | attorney | paralegal | legal research | court
        Compliance | regulatory compliance
    """,
    "trades_operations": """
        Construction | construction management | site supervision | blueprints | carpentry
        Mechanical engineering
        Electrical engineering
        Civil engineering
        Industrial engineering
        Manufacturing | lean manufacturing
        Six Sigma
        Quality control
        Automotive | vehicle | vehicles | automobile | mechanic
        Aviation | aircraft | faa | flight | airline
        Agriculture | farming | crops | livestock | irrigation | agronomy
        Culinary | chef | cooking | kitchen | food safety | catering | restaurant
        Logistics | supply chain | procurement | purchasing | warehouse operations | forklift | shipping
        Hospitality | hotel | front desk | guest services
    """,
    "general": """
        Project management | project manager | pmp | prince2
        Microsoft Office | ms office | ms word | microsoft word | excel | powerpoint | microsoft excel
        Communication | communication skills | presentation skills
        Leadership | team leadership | mentoring | coaching
        Problem solving | analytical skills | critical thinking
        Team management | staff management | supervision | supervised
        Stakeholder management | cross-functional | collaboration
        Reporting | documentation
        Technical writing
    """,
}

# Broad job families; fields of one family are close to each other.
FIELD_FAMILY: dict[str, str] = {
    "language": "tech", "web": "tech", "mobile": "tech", "data": "tech", "ml": "tech",
    "database": "tech", "devops": "tech", "cloud": "tech", "network": "tech", "security": "tech",
    "it_support": "tech", "engineering_practice": "tech",
    "hr": "people",
    "finance": "business", "sales_marketing": "business", "customer_service": "business",
    "design_media": "creative",
    "health_fitness": "care", "education_legal": "care",
    "trades_operations": "operations",
    "general": "general",
}

# Fields that say little about the kind of job (everyone lists Excel and leadership).
GENERIC_FIELDS = frozenset({"general"})


def parse_vocab() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Canonical skill -> (field, aliases), aliases including the canonical name."""
    vocab: dict[str, tuple[str, tuple[str, ...]]] = {}
    for field_name, block in _VOCAB.items():
        for line in block.strip().splitlines():
            names = [n.strip() for n in line.split("|") if n.strip()]
            if not names:
                continue
            canonical = names[0].lstrip("!")
            aliases = tuple(names[1:]) if names[0].startswith("!") else tuple(names)
            vocab.setdefault(canonical, (field_name, aliases))
    return vocab


SKILLS: dict[str, tuple[str, tuple[str, ...]]] = parse_vocab()
