"""Django settings for the plaatsbaar web application, read from the environment.

Safe production defaults: DEBUG off, secure cookies, a secret key required.
Development (``plaatsbaar serve --dev``) and the test suite set
``PLAATSBAAR_DEV=1``, which allows a generated key and plain HTTP.

Environment:
- ``PLAATSBAAR_SECRET_KEY``: required outside development.
- ``DATABASE_URL``: e.g. ``postgres://user:pw@localhost/plaatsbaar``; default
  SQLite at ``$PLAATSBAAR_DATA_DIR/plaatsbaar.sqlite3``.
- ``PLAATSBAAR_DATA_DIR``: where SQLite and uploaded originals live (default ``./plaatsbaar-data``).
- ``PLAATSBAAR_ALLOWED_HOSTS``: comma-separated (default ``localhost,127.0.0.1``).
- ``PLAATSBAAR_EMAIL_URL``-free mail settings: ``EMAIL_HOST``, ``EMAIL_PORT``,
  ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``, ``EMAIL_USE_TLS``; without
  ``EMAIL_HOST`` mail goes to the console in development.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

DEV = os.environ.get("PLAATSBAAR_DEV") == "1"
DEBUG = DEV and os.environ.get("PLAATSBAAR_DEBUG", "1") == "1"
DATA_DIR = Path(os.environ.get("PLAATSBAAR_DATA_DIR", "plaatsbaar-data")).resolve()

SECRET_KEY = os.environ.get("PLAATSBAAR_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEV:
        raise ImproperlyConfigured(
            "PLAATSBAAR_SECRET_KEY ontbreekt: zet een lange willekeurige sleutel in de omgeving "
            "(of start in ontwikkelmodus met 'plaatsbaar serve --dev')."
        )
    SECRET_KEY = "dev-only-" + "x" * 50  # development and tests only

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("PLAATSBAAR_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h.strip()]
if DEV:
    ALLOWED_HOSTS += ["testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "plaatsbaar.web.audit",
    "plaatsbaar.web.organisation",
    "plaatsbaar.web.consent",
    "plaatsbaar.web.portal",
    "plaatsbaar.web.imports",
    "plaatsbaar.web.rounds",
    "plaatsbaar.web.checks",
    "plaatsbaar.web.notices",
    "plaatsbaar.web.drafts",
    "plaatsbaar.web.review",
    "plaatsbaar.web.publication",
    "plaatsbaar.web.takedown",
    "plaatsbaar.web.api",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "plaatsbaar.web.accounts",
]

# API (issue 4)
from plaatsbaar.web.api.settings_fragment import API_INSTALLED_APPS, REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: E402,F401

INSTALLED_APPS += API_INSTALLED_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "plaatsbaar.web.urls"
WSGI_APPLICATION = "plaatsbaar.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "plaatsbaar.web.notices.context.unread_notices",
            ]
        },
    }
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        try:
            return dj_database_url.parse(url, conn_max_age=60)
        except Exception as exc:  # noqa: BLE001 - any parse problem is a configuration error
            raise ImproperlyConfigured(f"DATABASE_URL is ongeldig: {exc}") from None
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "plaatsbaar.sqlite3"}


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]  # the interface is Dutch only: no English texts for English browsers
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
WHITENOISE_USE_FINDERS = True  # serve app static files without collectstatic
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from here after collectstatic
MEDIA_ROOT = DATA_DIR / "media"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
OTP_TOTP_ISSUER = "plaatsbaar"  # the name authenticator apps show

SESSION_COOKIE_SECURE = not DEV
CSRF_COOKIE_SECURE = not DEV
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS") == "1"
elif DEV:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
PLAATSBAAR_BASE_URL = os.environ.get("PLAATSBAAR_BASE_URL", "http://127.0.0.1:8000").rstrip("/")  # for links in e-mails
DEFAULT_FROM_EMAIL = os.environ.get("PLAATSBAAR_FROM_EMAIL", "plaatsbaar@localhost")

# No personal data in logs: only warnings from Django itself, no request bodies.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
