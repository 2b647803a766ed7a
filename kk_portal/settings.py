"""Django settings for KK Portal.

Every value that differs between machines is read from the environment here, in one place,
and strictly: a malformed value stops start-up with ``ImproperlyConfigured`` naming the
variable. Variables: ``DATABASE_URL`` (a SQLite file ``db.sqlite3`` when unset,
``postgres://user@host:port/name`` for PostgreSQL through psycopg 3), ``SECRET_KEY``,
``DEBUG`` (``true``/``false``), ``ALLOWED_HOSTS`` (comma-separated), ``CSRF_TRUSTED_ORIGINS``
(comma-separated), ``SECURE_SSL_REDIRECT`` (defaults to ``not DEBUG``),
``STALE_ASPIRATION_DAYS`` (whole days, default 60), ``SESSION_IDLE_MINUTES`` and
``CACHE_URL`` (the cache every worker shares; see ``env_cache``), the sign-in limits
``LOGIN_FAILURES_PER_ACCOUNT``, ``LOGIN_FAILURES_PER_ADDRESS``, ``LOGIN_LOCKOUT_MINUTES`` and
``TRUSTED_PROXIES``, and the e-mail of password resets ``EMAIL_URL`` (or ``EMAIL_HOST``,
``EMAIL_PORT``, ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``, ``EMAIL_USE_TLS``) and
``DEFAULT_FROM_EMAIL`` (see ``env_email``), ``ADMINS`` (comma-separated addresses that
get an e-mail for each server error and each failed run of a background task), and
``TASKS_IMMEDIATE`` (run background tasks in the request instead of ``db_worker``), the
reminders' SMS and WhatsApp gateway ``SMS_PROVIDER``, ``SMS_HTTP_URL``, ``SMS_HTTP_KEY``
(see ``env_sms``), ``SITE_URL``, the address links in messages start with, and ``API_RATE``,
the requests one API token may make (``60/m``: a number, ``/``, and ``s``, ``m``, ``h`` or
``d``; see ``env_rate``). Beyond one machine (README, "Production"): ``MEDIA_STORAGE``
(uploads on the local disk or in an S3-compatible bucket; see ``env_media_storage``),
``DATABASE_REPLICA_URL`` (a PostgreSQL streaming replica that dashboards, lists and exports
read from; see ``env_replica`` and ``kk_portal/routers.py``) and
``DATABASE_REPLICA_LAG_SECONDS``.
"""

import os
import re
from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default):
    """Read a boolean variable: one of 1/0, true/false, yes/no, on/off (any case).

    Raises ``ImproperlyConfigured`` naming ``name`` for anything else.
    """
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_rate(name, default):
    """Read a request rate such as ``60/m`` (per second, minute, hour or day: ``s``, ``m``,
    ``h``, ``d``); raises ``ImproperlyConfigured`` naming ``name``."""
    raw = os.environ.get(name, "").strip() or default
    count, _slash, unit = raw.partition("/")
    if not count.isdigit() or int(count) < 1 or unit not in {"s", "m", "h", "d"}:
        raise ImproperlyConfigured(
            f"{name} must be like 60/m (requests per s, m, h or d), not {raw!r}."
        )
    return raw


def env_int(name, default, minimum=0):
    """Read a whole number ≥ ``minimum``; raises ``ImproperlyConfigured`` naming ``name``."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_list(name, default):
    """Read a comma-separated list, dropping blanks."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


#: SQLite writers queue instead of failing with "database is locked": every transaction
#: takes the write lock when it begins (a deferred one that reads first cannot wait for it
#: later), a writer waits up to 20 seconds for the lock, and WAL lets pages be read while a
#: form is being saved. Two taps on "Simpan" racing then end on one row (``create_once``).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL;",
}


def env_database(name="DATABASE_URL"):
    """Parse ``DATABASE_URL`` into a ``DATABASES['default']`` dict.

    Unset means the SQLite file ``BASE_DIR/db.sqlite3``. Only ``sqlite://`` and
    ``postgres://``/``postgresql://`` are accepted; raises ``ImproperlyConfigured`` otherwise.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
            "CONN_HEALTH_CHECKS": True,
        }
    scheme = raw.split("://", 1)[0] if "://" in raw else ""
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"{name} must start with sqlite:// or postgres://, not {raw.split('://', 1)[0]!r}."
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} cannot be read: {exc}") from None
    if config["ENGINE"].endswith("postgresql") and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} names no database: {raw!r}.")
    if config["ENGINE"].endswith("sqlite3"):
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


def env_replica(primary, name="DATABASE_REPLICA_URL"):
    """Parse ``DATABASE_REPLICA_URL`` into ``DATABASES['replica']``, or ``None`` when unset.

    The replica is a PostgreSQL streaming replica of ``primary`` (the parsed
    ``DATABASE_URL``), read by the pages ``kk_portal.routers`` names; both must be
    ``postgres://``. Raises ``ImproperlyConfigured`` naming ``name`` otherwise.
    """
    if not os.environ.get(name, "").strip():
        return None
    replica = env_database(name)
    if not (replica["ENGINE"].endswith("postgresql") and primary["ENGINE"].endswith("postgresql")):
        raise ImproperlyConfigured(
            f"{name} must be a postgres:// streaming replica of a postgres:// DATABASE_URL."
        )
    return replica


#: The table of the database cache; ``migrate`` creates it (``kk_portal.apps``).
CACHE_TABLE = "kk_portal_cache"


def env_cache(name="CACHE_URL"):
    """Parse ``CACHE_URL`` into a ``CACHES['default']`` dict: one cache that every worker
    process shares (gunicorn's workers each keep their own memory).

    Unset or ``db://`` means Django's database cache in the table ``CACHE_TABLE`` (or the
    one named, ``db://my_table``); ``redis://host:6379/0`` (or ``rediss://``) Django's Redis
    cache, which needs the ``redis`` package (the ``redis`` extra); ``locmem://`` a
    per-process memory cache, for a single process only. Raises ``ImproperlyConfigured`` for
    anything else.
    """
    raw = os.environ.get(name, "").strip()
    scheme, _, rest = raw.partition("://")
    if not raw or (scheme == "db" and _):
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": rest or CACHE_TABLE,
        }
    if scheme in {"redis", "rediss"} and rest:
        if find_spec("redis") is None:
            raise ImproperlyConfigured(
                f"{name}={scheme}:// needs the redis package: uv sync --extra redis."
            )
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": raw}
    if scheme == "locmem" and _:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": rest or "kk-portal",
        }
    raise ImproperlyConfigured(
        f"{name} must be db://, redis://host:port/db or locmem://, not {raw!r}."
    )


#: The query parameters ``MEDIA_STORAGE=s3://…`` takes, as django-storages' ``S3Storage``
#: names them.
S3_PARAMETERS = ("endpoint_url", "region_name", "addressing_style")
#: An S3 bucket name: 3 to 63 lower-case letters, digits, dots and hyphens.
S3_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


def env_media_storage(name="MEDIA_STORAGE"):
    """Parse ``MEDIA_STORAGE`` into ``STORAGES['default']``: where uploads (attachments,
    photos, case documents, decree scans, import files) are kept.

    Unset or ``file://`` means the local file system under ``MEDIA_ROOT``: one machine
    only, or a directory every machine mounts. ``s3://BUCKET/PREFIX?endpoint_url=…`` means
    an S3-compatible bucket through django-storages (the ``s3`` extra): ``PREFIX``
    (optional) is the folder inside the bucket; the optional query parameters are
    ``S3_PARAMETERS`` (``endpoint_url`` for MinIO, Ceph, R2 and the like,
    ``region_name``, ``addressing_style`` of ``path``, ``virtual`` or ``auto``). The keys
    are not part of the value: boto3 takes them from ``AWS_ACCESS_KEY_ID`` and
    ``AWS_SECRET_ACCESS_KEY`` (or its other sources, such as an instance role). Files are
    private (the bucket's default ACL, signed URLs) and never overwritten: a name taken
    gets a suffix, as on the disk. Raises ``ImproperlyConfigured`` naming ``name``.
    """
    raw = os.environ.get(name, "").strip()
    if not raw or raw == "file://":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    shape = f"{name} must be file:// or s3://bucket/prefix?endpoint_url=…"
    parts = urlsplit(raw)
    if parts.scheme != "s3":
        # The scheme only: a value meant for another variable may hold a password.
        raise ImproperlyConfigured(f"{shape}, not {parts.scheme or raw!r}.")
    if "@" in parts.netloc:
        raise ImproperlyConfigured(
            f"{name} must not hold the keys: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
        )
    if not S3_BUCKET.match(parts.netloc):
        raise ImproperlyConfigured(f"{name} names no valid bucket: {raw!r}.")
    try:
        given = parse_qsl(parts.query, strict_parsing=bool(parts.query))
    except ValueError:
        raise ImproperlyConfigured(f"{shape}, not ?{parts.query}.") from None
    options = {
        "bucket_name": parts.netloc,
        "location": parts.path.strip("/"),
        "file_overwrite": False,
        "querystring_auth": True,
        "default_acl": None,
    }
    for key, value in given:
        if key not in S3_PARAMETERS or key in options:
            raise ImproperlyConfigured(
                f"{name} takes {', '.join(S3_PARAMETERS)} once each, not {key!r}."
            )
        options[key] = value
    endpoint = urlsplit(options.get("endpoint_url", "https://s3.amazonaws.com"))
    if endpoint.scheme not in {"http", "https"} or not endpoint.hostname:
        raise ImproperlyConfigured(f"{name}'s endpoint_url must be an http(s):// address.")
    if options.get("addressing_style", "auto") not in {"path", "virtual", "auto"}:
        raise ImproperlyConfigured(f"{name}'s addressing_style must be path, virtual or auto.")
    if find_spec("storages") is None or find_spec("boto3") is None:
        raise ImproperlyConfigured(
            f"{name}=s3:// needs django-storages and boto3: uv sync --extra s3."
        )
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


#: ``EMAIL_URL`` schemes: SMTP with STARTTLS, SMTP over SSL, plain SMTP, the console.
EMAIL_SCHEMES = {"smtp+tls": "tls", "smtps": "ssl", "smtp": None}


def env_email():
    """``(configured, mailer)``: whether e-mail can be sent, and ``MAILERS["default"]``.

    ``EMAIL_URL`` (``smtp+tls://user:password@host:587``, ``smtps://…:465``, ``smtp://…:25``
    or ``console://``, which prints the mail) wins; else ``EMAIL_HOST`` with ``EMAIL_PORT``
    (default 587), ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD`` and ``EMAIL_USE_TLS``
    (default on). With neither, mail goes nowhere and ``configured`` is false: the
    password-reset page then says that no e-mail can be sent and sends the user to their
    facilitator. Raises ``ImproperlyConfigured`` naming the variable for a malformed value.
    """
    raw = os.environ.get("EMAIL_URL", "").strip()
    host = os.environ.get("EMAIL_HOST", "").strip()
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    if raw:
        parts = urlsplit(raw)
        if parts.scheme == "console":
            return True, {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
        if parts.scheme not in EMAIL_SCHEMES or not parts.hostname:
            raise ImproperlyConfigured(
                "EMAIL_URL must be smtp+tls://, smtps://, smtp://user:password@host:port "
                f"or console://, not {raw.split('://', 1)[0]!r}."
            )
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured("EMAIL_URL has a port that is not a number.") from None
        secure = EMAIL_SCHEMES[parts.scheme]
        options = {
            "host": parts.hostname,
            "port": port or {"tls": 587, "ssl": 465}.get(secure, 25),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": secure == "tls",
            "use_ssl": secure == "ssl",
            "timeout": 10,
        }
        return True, {"BACKEND": smtp, "OPTIONS": options}
    if host:
        options = {
            "host": host,
            "port": env_int("EMAIL_PORT", 587, minimum=1),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "timeout": 10,
        }
        return True, {"BACKEND": smtp, "OPTIONS": options}
    return False, {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}


#: ``SMS_PROVIDER`` values: print each message (the demo), or post it to an HTTP gateway.
SMS_PROVIDERS = ("console", "http")


def env_sms():
    """``(provider, url, key)`` of the gateway that sends reminders by SMS and WhatsApp
    (``notifications/gateways.py``).

    ``SMS_PROVIDER`` is ``console`` (the default: messages are printed by the worker) or
    ``http``, which needs ``SMS_HTTP_URL`` (an ``https://`` or ``http://`` address that takes
    a JSON POST) and ``SMS_HTTP_KEY`` (sent in the ``Authorization`` header). Raises
    ``ImproperlyConfigured`` naming the variable for an unknown provider or a missing value.
    """
    provider = os.environ.get("SMS_PROVIDER", "console").strip() or "console"
    url = os.environ.get("SMS_HTTP_URL", "").strip()
    key = os.environ.get("SMS_HTTP_KEY", "").strip()
    if provider not in SMS_PROVIDERS:
        raise ImproperlyConfigured(f"SMS_PROVIDER must be console or http, not {provider!r}.")
    if provider == "http":
        if urlsplit(url).scheme not in {"http", "https"} or not urlsplit(url).hostname:
            raise ImproperlyConfigured("SMS_HTTP_URL must be an http:// or https:// address.")
        if not key:
            raise ImproperlyConfigured("SMS_HTTP_KEY must be set when SMS_PROVIDER is http.")
    return provider, url, key


def env_site_url(name="SITE_URL", default="http://127.0.0.1:8000"):
    """The site's address without a trailing slash (``https://kk.example.org``), from
    ``name``; raises ``ImproperlyConfigured`` for anything but an http(s) address."""
    raw = os.environ.get(name, "").strip() or default
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImproperlyConfigured(f"{name} must be an http:// or https:// address, not {raw!r}.")
    return raw.rstrip("/")


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "kk_portal",
    "groups",
    "members",
    "aspirations",
    "reses",
    "audit",
    "assistance",
    "activities",
    "notifications",
    "search",
    "dashboards",
    "tracker",
    "imports",
    "demo",
    "api",
    # Django Ninja's templates and its own copy of the API docs' scripts (no CDN).
    "ninja",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: the load balancer's /healthz needs no host check, HTTPS, session or sign-in.
    "kk_portal.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kk_portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kk_portal.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "kk_portal.middleware.RegencyTimezoneMiddleware",
    "kk_portal.middleware.NoStoreForSignedInMiddleware",
    # Marks the request's reads for the replica (``kk_portal.routers``); unused without one.
    "kk_portal.routers.ReplicaReadsMiddleware",
    "kk_portal.health.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kk_portal.urls"
WSGI_APPLICATION = "kk_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
            ],
        },
    },
]

# Every form field through templates/_field.html (kk_portal.forms.FormRenderer).
FORM_RENDERER = "kk_portal.forms.FormRenderer"

DATABASES = {"default": env_database()}
if (_replica := env_replica(DATABASES["default"])) is not None:
    # Dashboards, lists and exports read from the replica; writes, reads in a transaction
    # and a client's reads for a while after it wrote stay on the primary.
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["kk_portal.routers.ReplicaRouter"]
#: Seconds after a client's write (any POST) during which its reads stay on the primary:
#: longer than the replica ever lags, so that the client sees what it wrote.
DATABASE_REPLICA_LAG_SECONDS = env_int("DATABASE_REPLICA_LAG_SECONDS", 10, minimum=1)
CACHES = {"default": env_cache()}

#: Work that should not run in a request (notifications, imports, reminders) is queued in the
#: database and run by ``manage.py db_worker`` (django-tasks-db). ``TASKS_IMMEDIATE=true``
#: runs each task at once in the process that queues it, for a machine without a worker.
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if env_bool("TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}
#: Requests one API token may make (``api.api.TokenRateThrottle``), counted in the cache.
API_RATE = env_rate("API_RATE", "60/m")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "kk_portal.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in attempts go through django-axes first: a locked-out account or address is refused
# before its password is checked (``kk_portal/lockout.py``).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
#: Failed sign-ins to one account, and from one address (many phones share a carrier's
#: address), within ``LOGIN_LOCKOUT_MINUTES`` that lock it for that long.
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5, minimum=1)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 20, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
#: Reverse proxies in front of the app that append to X-Forwarded-For (0: none, the
#: connection's address is the client's).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
AXES_HANDLER = "kk_portal.lockout.AccountAndAddressHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = LOGIN_FAILURES_PER_ACCOUNT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "kk_portal.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "kk_portal.lockout.lockout_response"
AXES_VERBOSE = False
# The audit log keeps every sign-in (``audit.signals``); axes keeps only the attempts that
# count towards a lock, listed in the admin by ``kk_portal.admin``.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False

# The second factor (``kk_portal.second_factor``): six-digit TOTP codes from an
# authenticator app, named "KK Portal" there; the admin never shows a device's secret.
OTP_TOTP_ISSUER = "KK Portal"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

EMAIL_CONFIGURED, _mailer = env_email()
MAILERS = {"default": _mailer}
if not EMAIL_CONFIGURED:
    # Running without e-mail is a supported choice: facilitators set new passwords, and the
    # password-reset page says that no e-mail is sent. ``check --deploy`` would call the
    # mailer that sends nothing an error.
    SILENCED_SYSTEM_CHECKS = ["mail.E001"]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "KK Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
#: Who gets an e-mail for each server error (Django's ``mail_admins``), comma-separated
#: addresses; needs e-mail configured.
ADMINS = env_list("ADMINS", [])
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

#: Reminders by SMS and WhatsApp go through this gateway (``notifications/gateways.py``).
SMS_PROVIDER, SMS_HTTP_URL, SMS_HTTP_KEY = env_sms()
#: Links in e-mails and SMS start with this address.
SITE_URL = env_site_url()

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Indonesian first; English available through the language switch.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Default zone WITA: eight of the nine programme regencies are WITA (DESIGN.md).
TIME_ZONE = "Asia/Makassar"
USE_TZ = True
# Raw numbers (IDs, hidden inputs) are never localised; amounts are formatted explicitly
# by the rupiah filter; value="1234", never "1.234".
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": env_media_storage(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Shared phones: a session ends after this many idle minutes.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
# Requests that only read the session do not write it back (``kk_portal/sessions.py``).
SESSION_ENGINE = "kk_portal.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Aspirations that have not moved for this many days are shown as waiting.
STALE_ASPIRATION_DAYS = env_int("STALE_ASPIRATION_DAYS", 60, minimum=1)

# Members who left are anonymised this many days after leaving (UU PDP 27/2022:
# personal data no longer needed is erased, art. 43-44); `manage.py anonymise_departed`.
MEMBER_RETENTION_DAYS = env_int("MEMBER_RETENTION_DAYS", 730, minimum=1)

# Django's built-in Content Security Policy: no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
