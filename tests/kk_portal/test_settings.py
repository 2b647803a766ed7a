"""Settings: read from the environment, strictly; a bad value names its variable; the
production configuration passes ``check --deploy``; the stack's fixed choices hold."""

import json
import os
import re
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings

from kk_portal import settings as portal_settings
from kk_portal.apps import create_cache_table
from tests import system
from tests.conftest import MISSING

ROOT = Path(__file__).resolve().parents[2]


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "example.org",
}


def run(code_or_args, **env):
    """Run Python with the production settings module and only ``env`` as configuration."""
    configured = (
        "DJANGO_",
        "DATABASE_",
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "SECURE_",
        "CACHE_",
        "EMAIL_",
        "DEFAULT_FROM_EMAIL",
        "LOGIN_",
        "TRUSTED_PROXIES",
        "ADMINS",
        "MEDIA_",
        "AWS_",
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(configured)}
    clean.update(DJANGO_SETTINGS_MODULE="kk_portal.settings", **env)
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


IMPORT_SETTINGS = "import django; django.setup(); from django.conf import settings; settings.DEBUG"


DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kk_portal_cache",
    }
}


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be true or false, not 'maybe'"),
        ({"DEBUG": "1", "DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL must start with"),
        ({"DEBUG": "1", "DATABASE_URL": "postgres://u@h:5432/"}, "DATABASE_URL names no database"),
        ({"DEBUG": "1", "DATABASE_URL": "postgres://u@h:port/db"}, "DATABASE_URL cannot be read"),
        ({"DEBUG": "0"}, "SECRET_KEY must be set"),
        ({"DEBUG": "1", "SESSION_IDLE_MINUTES": "half"}, "SESSION_IDLE_MINUTES must be a whole"),
        ({"DEBUG": "1", "STALE_ASPIRATION_DAYS": "0"}, "STALE_ASPIRATION_DAYS must be at least"),
        ({"DEBUG": "1", "SECURE_SSL_REDIRECT": "sometimes"}, "SECURE_SSL_REDIRECT must be"),
        ({"DEBUG": "1", "CACHE_URL": "memcached://h:11211"}, "CACHE_URL must be db://"),
        ({"DEBUG": "1", "CACHE_URL": "redis://"}, "CACHE_URL must be db://"),
        ({"DEBUG": "1", "EMAIL_URL": "mailgun://key@x"}, "EMAIL_URL must be smtp+tls://"),
        ({"DEBUG": "1", "EMAIL_URL": "smtp://h:port"}, "EMAIL_URL has a port that is not"),
        ({"DEBUG": "1", "EMAIL_HOST": "h", "EMAIL_PORT": "x"}, "EMAIL_PORT must be a whole"),
        ({"DEBUG": "1", "EMAIL_HOST": "h", "EMAIL_USE_TLS": "?"}, "EMAIL_USE_TLS must be"),
        ({"DEBUG": "1", "LOGIN_FAILURES_PER_ACCOUNT": "0"}, "LOGIN_FAILURES_PER_ACCOUNT must"),
        ({"DEBUG": "1", "SMS_PROVIDER": "pigeon"}, "SMS_PROVIDER must be console or http"),
        ({"DEBUG": "1", "SMS_PROVIDER": "http"}, "SMS_HTTP_URL must be an http"),
        ({"DEBUG": "1", "SITE_URL": "kk.example.org"}, "SITE_URL must be an http"),
    ],
)
def test_settings_bad_value_stops_start_up_naming_the_variable(env, named):
    result = run(IMPORT_SETTINGS, **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr


def test_a_command_without_secret_key_stops_with_one_line_naming_it():
    result = run(["manage.py", "send_reminders"], DEBUG="0")

    assert result.returncode == 1
    assert result.stderr == "KK Portal cannot start: SECRET_KEY must be set when DEBUG is false.\n"


@pytest.mark.parametrize(
    ("cache_url", "backend", "location"),
    [
        (None, "django.core.cache.backends.db.DatabaseCache", "kk_portal_cache"),
        ("db://", "django.core.cache.backends.db.DatabaseCache", "kk_portal_cache"),
        (
            "redis://cache:6379/1",
            "django.core.cache.backends.redis.RedisCache",
            "redis://cache:6379/1",
        ),
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache", "kk-portal"),
    ],
)
def test_settings_cache_url_chooses_a_shared_backend(cache_url, backend, location):
    env = {"DEBUG": "1"} if cache_url is None else {"DEBUG": "1", "CACHE_URL": cache_url}

    result = run(
        IMPORT_SETTINGS + "; c = settings.CACHES['default']; print(c['BACKEND'], c['LOCATION'])",
        **env,
    )

    assert result.stdout.split() == [backend, location]


def test_migrate_creates_the_database_cache_table_and_every_worker_shares_it(db):
    """After ``migrate`` (its ``post_migrate`` step), two cache objects, as two gunicorn
    workers hold, read what the other wrote."""
    with override_settings(CACHES=DATABASE_CACHE):
        create_cache_table(sender=None, using="default", verbosity=0)
    worker_one = DatabaseCache(settings.CACHE_TABLE, {})
    worker_two = DatabaseCache(settings.CACHE_TABLE, {})

    worker_one.set("dashboard:figure", 42)

    assert worker_two.get("dashboard:figure") == 42


def test_settings_database_url_unset_means_sqlite_file():
    result = run(
        IMPORT_SETTINGS + "; print(settings.DATABASES['default']['ENGINE'], "
        "settings.DATABASES['default']['NAME'])",
        DEBUG="1",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", str(ROOT / "db.sqlite3")]


@pytest.mark.parametrize("url", ["", "sqlite:////tmp/kk.sqlite3"])
def test_settings_sqlite_writers_wait_for_the_lock(url):
    result = run(
        IMPORT_SETTINGS + "; o = settings.DATABASES['default']['OPTIONS']; "
        "print(o['transaction_mode'], o['timeout'], o['init_command'])",
        DEBUG="1",
        DATABASE_URL=url,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["IMMEDIATE", "20", "PRAGMA", "journal_mode=WAL;"]


def test_settings_database_url_postgres_uses_psycopg():
    result = run(
        IMPORT_SETTINGS + "; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'], d['USER'])",
        DEBUG="1",
        DATABASE_URL="postgres://kk@db.internal:5433/kk_portal",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "kk_portal",
        "db.internal",
        "5433",
        "kk",
    ]


def test_settings_check_deploy_is_clean_in_production():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
        EMAIL_URL="smtp+tls://kk:rahasia@mail.example.org:587",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_settings_check_deploy_without_email_silences_only_the_mailer_check():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_settings_check_deploy_warns_of_a_cache_per_process():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
        CACHE_URL="locmem://",
    )

    assert result.returncode == 1
    assert "(kk_portal.W001) CACHE_URL=locmem:// gives each worker process a cache" in (
        result.stdout + result.stderr
    )


def test_settings_csp_forbids_inline_code():
    assert "'unsafe-inline'" not in str(settings.SECURE_CSP)
    assert settings.SECURE_CSP["script-src"] and settings.SECURE_CSP["style-src"]
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE


def test_settings_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _name in settings.LANGUAGES] == ["id", "en"]
    assert (settings.TIME_ZONE, settings.USE_TZ) == ("Asia/Makassar", True)


def test_custom_user_model_in_first_migration():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    first = loader.get_migration("kk_portal", "0001_initial")

    assert settings.AUTH_USER_MODEL == "kk_portal.User"
    assert "user" in {getattr(op, "name", "").lower() for op in first.operations}


MAILER = (
    IMPORT_SETTINGS + "; m = settings.MAILERS['default']; o = m.get('OPTIONS', {}); "
    "print(settings.EMAIL_CONFIGURED, m['BACKEND'].rsplit('.', 2)[-2], "
    "o.get('host'), o.get('port'), o.get('username'), o.get('password'), "
    "o.get('use_tls'), o.get('use_ssl'), settings.DEFAULT_FROM_EMAIL)"
)


@pytest.mark.parametrize(
    ("env", "printed"),
    [
        ({}, "False dummy None None None None None None KK Portal <noreply@localhost>"),
        (
            {"EMAIL_URL": "smtp+tls://kk%40example.org:r%2Fahasia@mail.example.org:2525"},
            "True smtp mail.example.org 2525 kk@example.org r/ahasia True False",
        ),
        (
            {"EMAIL_URL": "smtps://kk:rahasia@mail.example.org"},
            "True smtp mail.example.org 465 kk rahasia False True",
        ),
        (
            {
                "EMAIL_HOST": "mail.example.org",
                "EMAIL_HOST_USER": "kk",
                "EMAIL_HOST_PASSWORD": "rahasia",
                "DEFAULT_FROM_EMAIL": "KK Portal <kk@example.org>",
            },
            "True smtp mail.example.org 587 kk rahasia True None KK Portal <kk@example.org>",
        ),
        ({"EMAIL_URL": "console://"}, "True console None None None None None None"),
    ],
    ids=["none", "url tls", "url ssl", "host", "console"],
)
def test_settings_email_from_the_environment(env, printed):
    result = run(MAILER, DEBUG="1", **env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(printed)


@pytest.mark.parametrize("url", ["postgres://kk@db.internal:5432/kk_portal", ""])
def test_settings_connections_are_checked_before_reuse(url):
    result = run(
        IMPORT_SETTINGS + "; print(settings.DATABASES['default']['CONN_HEALTH_CHECKS'])",
        DEBUG="1",
        DATABASE_URL=url,
    )

    assert result.stdout.strip() == "True", result.stderr


def test_settings_error_mails_go_to_the_admins_of_the_environment():
    result = run(
        IMPORT_SETTINGS + "; print(settings.ADMINS)",
        DEBUG="1",
        ADMINS="ops@example.org, Budi <budi@example.org>",
    )

    assert result.stdout.strip() == "['ops@example.org', 'Budi <budi@example.org>']"


REDIS_URL = "redis://{}:{}/0".format(*system.REDIS)


def test_settings_redis_cache_url_configures_djangos_redis_cache(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "rediss://cache.internal:6380/2")

    assert portal_settings.env_cache() == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "rediss://cache.internal:6380/2",
    }


def test_settings_redis_cache_url_without_the_package_names_the_extra(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "redis://cache:6379/0")
    monkeypatch.setattr(portal_settings, "find_spec", lambda name: None)

    with pytest.raises(ImproperlyConfigured, match=r"needs the redis package: uv sync --extra"):
        portal_settings.env_cache()


def test_two_workers_share_the_redis_cache():
    """One process writes through ``CACHE_URL=redis://`` as a gunicorn worker would, a second
    process with the same settings reads it: the cache is shared, not per process."""
    if "redis" in MISSING:
        pytest.skip(system.message("redis"))
    key = f"kk-portal-test:{uuid.uuid4().hex}"
    cache = (
        IMPORT_SETTINGS + "; from django.core.cache import caches; cache = caches['default']; "
        "print(type(cache).__name__)"
    )

    one = run(cache + f"; cache.set({key!r}, 42, 30)", DEBUG="1", CACHE_URL=REDIS_URL)
    two = run(cache + f"; print(cache.get({key!r}))", DEBUG="1", CACHE_URL=REDIS_URL)

    RedisCache(REDIS_URL, {}).delete(key)
    assert one.returncode == 0, one.stderr
    assert two.stdout.split() == ["RedisCache", "42"], two.stderr


@pytest.mark.parametrize(
    ("value", "named"),
    [
        (
            "ftp://u:secret@files.example.org",
            "MEDIA_STORAGE must be file:// or s3://bucket/prefix?endpoint_url=…, not 'ftp'.",
        ),
        ("s3://", "MEDIA_STORAGE names no valid bucket"),
        ("s3://Bad_Bucket", "MEDIA_STORAGE names no valid bucket"),
        ("s3://kk-media:9000", "MEDIA_STORAGE names no valid bucket"),
        ("s3://key:secret@kk-media", "MEDIA_STORAGE must not hold the keys"),
        ("s3://kk-media?acl=public-read", "MEDIA_STORAGE takes endpoint_url, region_name"),
        ("s3://kk-media?region_name=a&region_name=b", "MEDIA_STORAGE takes endpoint_url"),
        ("s3://kk-media?region_name", "s3://bucket/prefix?endpoint_url=…, not ?region_name."),
        ("s3://kk-media?endpoint_url=minio:9000", "endpoint_url must be an http(s):// address"),
        ("s3://kk-media?addressing_style=dns", "addressing_style must be path, virtual or auto"),
    ],
)
def test_settings_media_storage_malformed_is_one_line_naming_it(monkeypatch, value, named):
    monkeypatch.setenv("MEDIA_STORAGE", value)

    with pytest.raises(ImproperlyConfigured, match=re.escape(named)) as raised:
        portal_settings.env_media_storage()

    assert "\n" not in str(raised.value)
    assert "secret" not in str(raised.value)


@pytest.mark.parametrize("value", [None, "", "file://"])
def test_settings_media_storage_defaults_to_the_local_disk(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("MEDIA_STORAGE", raising=False)
    else:
        monkeypatch.setenv("MEDIA_STORAGE", value)

    assert portal_settings.env_media_storage() == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


def test_settings_media_storage_s3_configures_a_private_bucket_through_django_storages():
    from storages.backends.s3 import S3Storage

    result = run(
        IMPORT_SETTINGS + "; import json; print(json.dumps(settings.STORAGES['default']))",
        DEBUG="1",
        MEDIA_STORAGE="s3://kk-media/uploads/?endpoint_url=https://minio.internal:9000"
        "&region_name=ap-southeast-3&addressing_style=path",
    )
    default = json.loads(result.stdout)
    storage = S3Storage(**default["OPTIONS"])

    assert result.returncode == 0, result.stderr
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (storage.bucket_name, storage.location) == ("kk-media", "uploads")
    assert storage.endpoint_url == "https://minio.internal:9000"
    assert (storage.region_name, storage.addressing_style) == ("ap-southeast-3", "path")
    # Private files under names never overwritten, as on the local disk.
    assert (storage.file_overwrite, storage.querystring_auth, storage.default_acl) == (
        False,
        True,
        None,
    )


def test_settings_media_storage_s3_without_the_packages_names_the_extra(monkeypatch):
    monkeypatch.setenv("MEDIA_STORAGE", "s3://kk-media")
    monkeypatch.setattr(portal_settings, "find_spec", lambda name: None)

    with pytest.raises(ImproperlyConfigured, match=r"needs django-storages and boto3: uv sync"):
        portal_settings.env_media_storage()


def test_a_malformed_media_storage_stops_a_command_with_one_line():
    result = run(["manage.py", "check"], DEBUG="1", MEDIA_STORAGE="s3://Bad_Bucket")

    assert result.returncode == 1
    assert result.stderr == (
        "KK Portal cannot start: MEDIA_STORAGE names no valid bucket: 's3://Bad_Bucket'.\n"
    )


ROUTING = (
    IMPORT_SETTINGS + "; print(sorted(settings.DATABASES), settings.DATABASE_ROUTERS, "
    "settings.DATABASES.get('replica', {}).get('HOST'))"
)


def test_settings_without_a_replica_there_is_one_database_and_no_router():
    result = run(ROUTING, DEBUG="1", DATABASE_URL="postgres://kk@db.internal:5432/kk_portal")

    assert result.stdout.strip() == "['default'] [] None", result.stderr


def test_settings_database_replica_url_adds_the_replica_and_its_router():
    result = run(
        ROUTING,
        DEBUG="1",
        DATABASE_URL="postgres://kk@db.internal:5432/kk_portal",
        DATABASE_REPLICA_URL="postgres://kk@replica.internal:5432/kk_portal",
    )

    assert result.stdout.strip() == (
        "['default', 'replica'] ['kk_portal.routers.ReplicaRouter'] replica.internal"
    ), result.stderr


@pytest.mark.parametrize(
    ("primary", "replica"),
    [("", "postgres://kk@replica.internal/kk"), ("postgres://kk@db/kk", "sqlite:///r.sqlite3")],
    ids=["sqlite primary", "sqlite replica"],
)
def test_settings_a_replica_needs_postgresql_on_both_sides(primary, replica):
    result = run(IMPORT_SETTINGS, DEBUG="1", DATABASE_URL=primary, DATABASE_REPLICA_URL=replica)

    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL must be a postgres:// streaming replica" in result.stderr
