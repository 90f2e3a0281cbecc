"""Every setting of motcua, declared once: its environment variable, type, default and meaning.

`settings.py` reads its environment variables only through names declared here (`motcua.settings.env` refuses
any other), the apps read the settings declared here (by environment variable, or set in a deployment's settings
module), and `docs/CONFIGURATION.md` is generated from this list (`motcua configuration_doc`). A test keeps the
three equal: a setting read anywhere in the code and missing here, or a document out of date, fails the suite.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    variable: str  # the environment variable ("" when only a settings module sets it)
    setting: str  # the Django setting it fills or that the code reads ("" when only the process reads it)
    type: str  # str, bool, int, float, list (comma-separated), path, url, dict
    default: str  # as a deployer reads it
    meaning: str  # one line
    section: str


def _declare(section: str, rows: list[tuple]) -> list[Setting]:
    return [Setting(*row, section=section) for row in rows]


# The National Public Service Portal connector's keys (motcua.national_portal.conf.KEYS): NATIONAL_PORTAL_<KEY>.
_PORTAL_KEYS = [
    ("url", "url", "(off)", "The portal's base address; empty turns the connector off."),
    ("transport", "str", "direct", "How motcua talks to the portal: direct, or through a provincial proxy."),
    ("timeout", "float", "(transport's)", "Seconds to wait for one call to the portal."),
    ("username", "str", "", "Account of the direct connection."),
    ("password", "str", "", "Password of the direct connection."),
    ("unit_code", "str", "", "The unit's code at the portal (mã đơn vị)."),
    ("dstcode", "str", "", "The integration code (DSTCODE) the portal gave this system."),
    ("auth_path", "str", "(transport's)", "Path of the login endpoint (direct)."),
    ("integration_path", "str", "(transport's)", "Path of the dossier synchronisation endpoint (direct)."),
    ("share_path", "str", "(transport's)", "Path of the shared-data endpoint (direct)."),
    ("insert_path", "str", "(transport's)", "Proxy path: a new dossier."),
    ("update_path", "str", "(transport's)", "Proxy path: a dossier's update."),
    ("progress_path", "str", "(transport's)", "Proxy path: a dossier's progress."),
    ("lookup_path", "str", "(transport's)", "Proxy path: a dossier's lookup."),
    ("procedure_path", "str", "(transport's)", "Proxy path: one procedure."),
    ("procedure_list_path", "str", "(transport's)", "Proxy path: the list of procedures."),
    ("fields_path", "str", "(transport's)", "Proxy path: the fields."),
    ("agencies_path", "str", "(transport's)", "Proxy path: the agencies."),
    ("questions_path", "str", "(transport's)", "Proxy path: citizens' questions."),
    ("agency_questions_path", "str", "(transport's)", "Proxy path: an agency's questions."),
    ("answers_path", "str", "(transport's)", "Proxy path: answers."),
    ("faq_path", "str", "(transport's)", "Proxy path: frequently asked questions."),
    ("question_answers_path", "str", "(transport's)", "Proxy path: a question's answers."),
    ("inbound_secret", "str", "(off)", "Shared key of the portal's calls to motcua; empty refuses them."),
    ("inbound_allowed_ips", "list", "(any)", "Addresses or networks the portal calls from."),
    ("inbound_max_skew_seconds", "int", "300", "How far the clock of a signed inbound call may drift."),
]

SETTINGS: list[Setting] = [
    *_declare(
        "Core",
        [
            (
                "SECRET_KEY",
                "SECRET_KEY",
                "str",
                "(required)",
                "Django's secret key; the process refuses to start without it.",
            ),
            (
                "DEBUG",
                "DEBUG",
                "bool",
                "false",
                "Development mode: detailed errors, console e-mail, no HSTS.",
            ),
            (
                "MOTCUA_DEMO_MODE",
                "MOTCUA_DEMO_MODE",
                "bool",
                "false",
                "A public demo server: sandboxes, simulators and demo secrets allowed without DEBUG.",
            ),
            (
                "ALLOWED_HOSTS",
                "ALLOWED_HOSTS",
                "list",
                "127.0.0.1,localhost with DEBUG, else none",
                "Host names this server answers to.",
            ),
            (
                "CSRF_TRUSTED_ORIGINS",
                "CSRF_TRUSTED_ORIGINS",
                "list",
                "",
                "Origins trusted for form posts (behind a proxy on another host).",
            ),
            (
                "MOTCUA_DATA_DIR",
                "DATA_DIR",
                "path",
                "./var",
                "Folder of the embedded database, files, outbox and signing keys.",
            ),
            (
                "MOTCUA_PUBLIC_URL",
                "MOTCUA_PUBLIC_URL",
                "url",
                "http://127.0.0.1:8000 with DEBUG, else (required)",
                "Public base address printed in QR codes and notifications.",
            ),
            ("LOG_LEVEL", "", "str", "INFO", "Level of the JSON logs (and of the application server's log)."),
            (
                "MOTCUA_TASK_BACKEND",
                "TASKS",
                "str",
                "database",
                "Background work: database (db_worker), immediate, or a backend class path.",
            ),
            (
                "MOTCUA_RULE_REGIME",
                "MOTCUA_RULE_REGIME",
                "str",
                "2018",
                "Regime (2018 or 2025) for a day no regime period covers.",
            ),
            (
                "MOTCUA_DEMO_HISTORY",
                "MOTCUA_DEMO_HISTORY",
                "bool",
                "true",
                "Whether load_demo generates the demo center's 2022 history.",
            ),
            (
                "MOTCUA_EMBLEM",
                "MOTCUA_EMBLEM",
                "path",
                "(none)",
                "Static path of the national emblem shown in the top bar.",
            ),
            (
                "MOTCUA_STATIC_DIR",
                "STATICFILES_DIRS",
                "path",
                "(none)",
                "An extra folder of static files provided by the deployment.",
            ),
            (
                "",
                "PERMISSIONS_POLICY",
                "str",
                "every unused browser feature off",
                "The Permissions-Policy header of every page.",
            ),
        ],
    ),
    *_declare(
        "Database and cache",
        [
            (
                "DATABASE_URL",
                "DATABASES",
                "url",
                "SQLite in MOTCUA_DATA_DIR",
                "The database (PostgreSQL through a connection pool, or SQLite).",
            ),
            (
                "MOTCUA_DB_POOL_MAX_SIZE",
                "DATABASES",
                "int",
                "MOTCUA_WEB_THREADS",
                "Largest PostgreSQL pool per process; 0 turns the pool off.",
            ),
            (
                "MOTCUA_DB_POOL_MIN_SIZE",
                "DATABASES",
                "int",
                "1",
                "Connections the PostgreSQL pool keeps open.",
            ),
            (
                "MOTCUA_DB_POOL_TIMEOUT",
                "DATABASES",
                "float",
                "10",
                "Seconds a request waits for a pooled connection.",
            ),
            (
                "MOTCUA_DB_CONN_MAX_AGE",
                "DATABASES",
                "int",
                "60",
                "Seconds a connection is kept without a pool.",
            ),
            (
                "DATABASE_REPLICA_URLS",
                "MOTCUA_DATABASE_REPLICAS",
                "list",
                "(none)",
                "Read replicas of the PostgreSQL primary for reports, monitoring lists and public reads.",
            ),
            (
                "",
                "MOTCUA_REPLICA_SYNC_READS",
                "bool",
                "False",
                "Tests only: each replica read waits until the replica has replayed the primary's log.",
            ),
            ("CACHE_BACKEND", "CACHES", "str", "database cache", "The shared cache's backend class."),
            ("CACHE_LOCATION", "CACHES", "str", "motcua_cache", "The shared cache's table or address."),
            (
                "MOTCUA_REFERENCE_CACHE_SECONDS",
                "MOTCUA_REFERENCE_CACHE_SECONDS",
                "float",
                "2",
                "Staleness bound of the reference caches: seconds between two checks of the change stamp.",
            ),
            (
                "MOTCUA_CALENDAR_RECHECK_SECONDS",
                "MOTCUA_CALENDAR_RECHECK_SECONDS",
                "float",
                "1",
                "Seconds between two checks of the calendar's overrides.",
            ),
        ],
    ),
    *_declare(
        "Application server",
        [
            (
                "MOTCUA_BIND",
                "",
                "str",
                "127.0.0.1:8000",
                "Address and port the application server listens on.",
            ),
            (
                "WEB_CONCURRENCY",
                "",
                "int",
                "one per core, at least 2, at most 8",
                "Worker processes of the application server.",
            ),
            ("MOTCUA_WEB_THREADS", "", "int", "2", "Threads per worker process."),
            ("MOTCUA_WEB_TIMEOUT", "", "int", "60", "Seconds before a silent worker is restarted."),
            ("MOTCUA_WEB_MAX_REQUESTS", "", "int", "0 (never)", "Requests after which a worker is replaced."),
            (
                "MOTCUA_ACCESS_LOG",
                "",
                "path",
                "(none)",
                "Where the application server writes its access log (none when unset).",
            ),
        ],
    ),
    *_declare(
        "Files",
        [
            (
                "STATIC_ROOT",
                "STATIC_ROOT",
                "path",
                "MOTCUA_DATA_DIR/static",
                "Where collectstatic gathers the static files.",
            ),
            (
                "MEDIA_ROOT",
                "MEDIA_ROOT",
                "path",
                "MOTCUA_DATA_DIR/media",
                "Folder of uploaded and generated files.",
            ),
            ("STORAGE_BACKEND", "STORAGES", "str", "local folder", "Storage class of the files."),
            (
                "MOTCUA_S3_BUCKET",
                "STORAGES",
                "str",
                "(local folder)",
                "An S3-compatible bucket for the files instead of the folder.",
            ),
            ("MOTCUA_S3_ENDPOINT_URL", "STORAGES", "url", "(provider's)", "The object store's address."),
            ("MOTCUA_S3_ACCESS_KEY", "STORAGES", "str", "", "The object store's access key."),
            ("MOTCUA_S3_SECRET_KEY", "STORAGES", "str", "", "The object store's secret key."),
            ("MOTCUA_S3_REGION", "STORAGES", "str", "", "The object store's region."),
            ("", "MOTCUA_UPLOAD_MAX_BYTES", "int", "10485760", "Largest uploaded file, in bytes."),
            (
                "",
                "MOTCUA_UPLOAD_MAX_EXPANDED_BYTES",
                "int",
                "134217728",
                "Largest size an uploaded archive or image may expand to.",
            ),
            ("", "MOTCUA_UPLOAD_MAX_PIXELS", "int", "60000000", "Largest uploaded image, in pixels."),
            (
                "",
                "MOTCUA_RETENTION_DAYS",
                "dict",
                "(legal periods)",
                "Retention periods overriding the defaults, by kind of record.",
            ),
        ],
    ),
    *_declare(
        "Signing",
        [
            (
                "MOTCUA_SIGNING_DIR",
                "MOTCUA_SIGNING_DIR",
                "path",
                "MOTCUA_DATA_DIR/signing",
                "Folder of the signing certificate and key.",
            ),
            (
                "MOTCUA_SIGNING_PASSPHRASE",
                "MOTCUA_SIGNING_PASSPHRASE",
                "str",
                "(derived from SECRET_KEY)",
                "Encrypts the agencies' stored private keys: set it in production.",
            ),
            (
                "",
                "MOTCUA_SIGNING_KEY",
                "path",
                "MOTCUA_SIGNING_DIR/agency-key.pem",
                "The default signing key.",
            ),
            (
                "",
                "MOTCUA_SIGNING_CERT",
                "path",
                "MOTCUA_SIGNING_DIR/agency-cert.pem",
                "The default signing certificate.",
            ),
            (
                "",
                "MOTCUA_SIGNING_TRUST_ROOT",
                "path",
                "MOTCUA_SIGNING_DIR/ca-cert.pem",
                "The certificate authority results are verified against.",
            ),
        ],
    ),
    *_declare(
        "E-mail and notifications",
        [
            (
                "EMAIL_BACKEND",
                "EMAIL_BACKEND",
                "str",
                "console with DEBUG, else SMTP",
                "Django's e-mail backend.",
            ),
            ("EMAIL_HOST", "EMAIL_HOST", "str", "localhost", "SMTP server."),
            ("EMAIL_PORT", "EMAIL_PORT", "int", "25", "SMTP port."),
            ("EMAIL_HOST_USER", "EMAIL_HOST_USER", "str", "", "SMTP account."),
            ("EMAIL_HOST_PASSWORD", "EMAIL_HOST_PASSWORD", "str", "", "SMTP password."),
            ("EMAIL_USE_TLS", "EMAIL_USE_TLS", "bool", "false", "SMTP over STARTTLS."),
            (
                "DEFAULT_FROM_EMAIL",
                "DEFAULT_FROM_EMAIL",
                "str",
                "motcua@localhost",
                "Sender of outgoing e-mail.",
            ),
            (
                "",
                "MOTCUA_NOTIFIERS",
                "dict",
                "e-mail; SMS and Zalo sandboxes",
                "The notifiers used, by channel.",
            ),
            (
                "",
                "MOTCUA_OUTBOX_DIR",
                "path",
                "MOTCUA_DATA_DIR/outbox",
                "Folder where the file notifier writes messages.",
            ),
        ],
    ),
    *_declare(
        "Security and throttling",
        [
            (
                "SESSION_COOKIE_SECURE",
                "SESSION_COOKIE_SECURE",
                "bool",
                "true unless DEBUG",
                "Session cookie sent over HTTPS only.",
            ),
            (
                "CSRF_COOKIE_SECURE",
                "CSRF_COOKIE_SECURE",
                "bool",
                "true unless DEBUG",
                "CSRF cookie sent over HTTPS only.",
            ),
            (
                "SECURE_HSTS_SECONDS",
                "SECURE_HSTS_SECONDS",
                "int",
                "31536000, 0 with DEBUG",
                "HSTS duration; 0 turns it off.",
            ),
            (
                "SECURE_HSTS_INCLUDE_SUBDOMAINS",
                "SECURE_HSTS_INCLUDE_SUBDOMAINS",
                "bool",
                "false",
                "HSTS covers subdomains.",
            ),
            ("SECURE_HSTS_PRELOAD", "SECURE_HSTS_PRELOAD", "bool", "false", "HSTS preload."),
            (
                "SECURE_PROXY_SSL",
                "SECURE_PROXY_SSL_HEADER",
                "bool",
                "false",
                "Trust X-Forwarded-Proto from the reverse proxy.",
            ),
            (
                "LOGIN_FAILURE_LIMIT",
                "AXES_FAILURE_LIMIT",
                "int",
                "20",
                "Wrong passwords for one account from one source before it is locked.",
            ),
            ("LOGIN_LOCK_MINUTES", "AXES_COOLOFF_TIME", "int", "15", "Minutes such a lock lasts."),
            (
                "",
                "LOOKUP_FAILURES_PER_MINUTE",
                "int",
                "30",
                "Failed public status lookups per client and minute before a lock.",
            ),
            ("", "LOOKUP_LOCK_SECONDS", "int", "300", "Seconds a lookup lock lasts."),
            (
                "LOOKUP_CLIENT_IP_HEADER",
                "LOOKUP_CLIENT_IP_HEADER",
                "str",
                "(the connection's address)",
                "Header holding the client's address behind reverse proxies (e.g. HTTP_X_FORWARDED_FOR).",
            ),
            (
                "LOOKUP_CLIENT_IP_PROXIES",
                "LOOKUP_CLIENT_IP_PROXIES",
                "int",
                "1",
                "Proxies in front of motcua that append to that header; the entry of the farthest one counts.",
            ),
            ("", "RECOMMENDATIONS_PER_HOUR", "int", "5", "Recommendations one client may submit per hour."),
            ("", "QUEUE_TICKETS_PER_MINUTE", "int", "30", "Queue tickets one client may take per minute."),
        ],
    ),
    *_declare(
        "Working time and monitoring",
        [
            (
                "",
                "MOTCUA_WORKING_HOURS",
                "list",
                "07:00-11:30,13:30-17:00",
                "Working hours of a day no season covers (windows as text, or a WorkingHours).",
            ),
            ("", "MOTCUA_WORKING_WEEKDAYS", "list", "0,1,2,3,4 (Monday to Friday)", "Working weekdays."),
            (
                "",
                "MOTCUA_SAME_DAY_CUTOFF",
                "str",
                "15:00",
                "After this time a same-day dossier is due the next working day.",
            ),
            (
                "MOTCUA_NEAR_DUE_WORKING_DAYS",
                "MOTCUA_NEAR_DUE_WORKING_DAYS",
                "float",
                "1",
                "Near due within this many working days (0: rule off).",
            ),
            (
                "MOTCUA_NEAR_DUE_SHARE",
                "MOTCUA_NEAR_DUE_SHARE",
                "float",
                "0.2",
                "Near due with less than this share of the legal time left (0: rule off).",
            ),
            (
                "MOTCUA_REMINDER_LEADER_AFTER_DAYS",
                "MOTCUA_REMINDER_ESCALATION",
                "int",
                "1",
                "Working days late before reminders go to the agency's leaders.",
            ),
            (
                "MOTCUA_REMINDER_DIRECTOR_AFTER_DAYS",
                "MOTCUA_REMINDER_ESCALATION",
                "int",
                "3",
                "Working days late before reminders go to the center's directors.",
            ),
            (
                "",
                "MOTCUA_APOLOGY_PROMPT_WORKING_DAYS",
                "float",
                "2",
                "Working days before the appointment an apology letter may be issued.",
            ),
            (
                "",
                "MOTCUA_MONITORING_REFRESH_SECONDS",
                "int",
                "60",
                "Seconds between two refreshes of the monitoring screen.",
            ),
            (
                "",
                "MOTCUA_RECOMMENDATION_ANSWER_DAYS",
                "int",
                "10",
                "Working days to answer a citizen's recommendation.",
            ),
        ],
    ),
    *_declare(
        "Payments",
        [
            (
                "",
                "MOTCUA_PAYMENT_GATEWAYS",
                "dict",
                "the sandbox (demo only)",
                "The payment gateways and their configuration.",
            ),
            ("", "MOTCUA_PAYMENT_GATEWAY", "str", "sandbox", "The gateway used by default."),
            (
                "MOTCUA_PAYMENT_SANDBOX_URL",
                "",
                "url",
                "http://127.0.0.1:8765",
                "Address of the payment sandbox (tests and demo).",
            ),
        ],
    ),
    *_declare(
        "National Public Service Portal",
        [
            *[
                (f"NATIONAL_PORTAL_{key.upper()}", "", kind, default, meaning)
                for key, kind, default, meaning in _PORTAL_KEYS
            ],
            (
                "",
                "NATIONAL_PORTAL",
                "dict",
                "(the variables)",
                "The connector's keys as one dict, replacing the variables.",
            ),
            (
                "",
                "NATIONAL_PORTAL_RETRY_BASE_SECONDS",
                "float",
                "5",
                "First retry delay of the outbox, doubled on every failure.",
            ),
            ("", "NATIONAL_PORTAL_RETRY_MAX_SECONDS", "float", "300", "Longest retry delay of the outbox."),
            (
                "",
                "NATIONAL_PORTAL_MAX_ATTEMPTS",
                "int",
                "50",
                "Attempts before an outbox row is listed as failed.",
            ),
            (
                "",
                "NATIONAL_PORTAL_PUBLIC_URL",
                "url",
                "MOTCUA_PUBLIC_URL",
                "Base of the file links the portal downloads.",
            ),
            ("", "NATIONAL_PORTAL_PROGRESS_BATCH", "int", "10", "Progress messages sent in one call."),
            (
                "",
                "NATIONAL_PORTAL_PAYMENT_GATEWAY",
                "str",
                "MOTCUA_PAYMENT_GATEWAY",
                "Gateway of payments started on the portal.",
            ),
            (
                "NATIONAL_PORTAL_SSO_URL",
                "MOTCUA_LOGIN_PROVIDERS",
                "url",
                "(off)",
                "The portal's identity server: turns on citizens' login with it.",
            ),
            (
                "NATIONAL_PORTAL_SSO_CLIENT_ID",
                "MOTCUA_LOGIN_PROVIDERS",
                "str",
                "",
                "This system's client id at the identity server.",
            ),
            (
                "NATIONAL_PORTAL_SSO_CLIENT_SECRET",
                "MOTCUA_LOGIN_PROVIDERS",
                "str",
                "",
                "This system's client secret at the identity server.",
            ),
            (
                "",
                "MOTCUA_LOGIN_PROVIDERS",
                "dict",
                "(from NATIONAL_PORTAL_SSO_*)",
                "Citizens' login providers and their configuration.",
            ),
        ],
    ),
]

SETTINGS += [
    *_declare(
        "Core",
        [
            (
                "MOTCUA_HOME_FIGURES_SECONDS",
                "MOTCUA_HOME_FIGURES_SECONDS",
                "int",
                "300",
                "Seconds the public home page keeps its service-quality figures before counting again.",
            ),
            (
                "",
                "MOTCUA_COUNTER_REFRESH_SECONDS",
                "int",
                "10",
                "Seconds between the in-place refreshes of a counter's queue page.",
            ),
        ],
    ),
    *_declare(
        "Security and throttling",
        [
            (
                "",
                "LOOKUP_FAILURES_PER_CODE_PER_HOUR",
                "int",
                "10",
                "Wrong verifications of one dossier code, from any address, that lock that code's lookup.",
            ),
            ("", "LOOKUP_CODE_LOCK_SECONDS", "int", "3600", "Seconds a dossier code's lookup stays locked."),
            (
                "",
                "LOOKUP_CODE_FAILURES_PER_SOURCE",
                "int",
                "3",
                "How many of a code's failures one address may count (an attacker cannot lock a citizen out alone).",
            ),
            (
                "MOTCUA_CITIZEN_PASSWORDS",
                "MOTCUA_CITIZEN_PASSWORDS",
                "bool",
                "(DEBUG or MOTCUA_DEMO_MODE)",
                "Citizens may register and log in with a local password (else only VNeID / the portal's login).",
            ),
            (
                "VNEID_SSO_URL",
                "MOTCUA_LOGIN_PROVIDERS",
                "url",
                "(off)",
                "VNeID's identity server: turns on VNeID login.",
            ),
            (
                "VNEID_SSO_ISSUER",
                "MOTCUA_LOGIN_PROVIDERS",
                "str",
                "(the server's)",
                "Issuer expected in VNeID's ID tokens.",
            ),
            ("VNEID_SSO_CLIENT_ID", "MOTCUA_LOGIN_PROVIDERS", "str", "", "This system's client id at VNeID."),
            (
                "VNEID_SSO_CLIENT_SECRET",
                "MOTCUA_LOGIN_PROVIDERS",
                "str",
                "",
                "This system's client secret at VNeID.",
            ),
        ],
    ),
    *_declare(
        "Working time and monitoring",
        [
            (
                "",
                "MOTCUA_ONLINE_CHECK_WORKING_HOURS",
                "int",
                "8",
                "Working hours a receiving point has to check an online submission [unverified: no legal figure found].",
            ),
            (
                "",
                "MOTCUA_SUPPLEMENT_LIMIT_WORKING_DAYS",
                "int",
                "30",
                "Working days a dossier may wait for a supplement before it may be closed [unverified].",
            ),
        ],
    ),
    *_declare(
        "Payments",
        [
            (
                "",
                "MOTCUA_RECEIPT_SYMBOL_SCHEMES",
                "list",
                "tt78, tt32",
                "Which e-receipt symbol rules receipt books may follow.",
            ),
            (
                "",
                "MOTCUA_TAX_RECEIPTS",
                "dict",
                "(off)",
                "The tax authority's e-receipt connector (plugin and its options); unset, receipts are not sent.",
            ),
            (
                "",
                "MOTCUA_TAX_RECEIPTS_RETRY_BASE_SECONDS",
                "int",
                "60",
                "First wait before resending a receipt.",
            ),
            ("", "MOTCUA_TAX_RECEIPTS_RETRY_MAX_SECONDS", "int", "21600", "Longest wait between resends."),
            (
                "",
                "MOTCUA_TAX_RECEIPTS_MAX_ATTEMPTS",
                "int",
                "10",
                "Attempts before a receipt is listed as failed.",
            ),
        ],
    ),
]

VARIABLES = frozenset(s.variable for s in SETTINGS if s.variable)
NAMES = frozenset(s.setting for s in SETTINGS if s.setting)


def is_declared_variable(name: str) -> bool:
    return name in VARIABLES


def markdown() -> str:
    """docs/CONFIGURATION.md: every setting, by section."""
    lines = [
        "# Configuration",
        "",
        "<!-- Generated from src/motcua/conf.py by `motcua configuration_doc`; do not edit by hand. -->",
        "",
        "Every setting of motcua. Most are read from an environment variable; those without one are set in a",
        "deployment's settings module (`from motcua.settings import *`, then the value).",
    ]
    sections = list(dict.fromkeys(s.section for s in SETTINGS))
    for section in sections:
        lines += [
            "",
            f"## {section}",
            "",
            "| Variable | Setting | Type | Default | Meaning |",
            "|---|---|---|---|---|",
        ]
        for s in SETTINGS:
            if s.section == section:
                cells = [f"`{s.variable}`" if s.variable else "", f"`{s.setting}`" if s.setting else ""]
                cells += [s.type, s.default.replace("|", "\\|"), s.meaning.replace("|", "\\|")]
                lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
