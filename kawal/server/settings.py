"""Django settings: everything from the environment, SQLite in the data directory by default.

``KAWAL_DATABASE_URL`` switches to PostgreSQL (``postgresql://user@host:5432/name``).
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url

from kawal.server.env import data_dir, env, envbool

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The key from the environment, else one generated once and kept in the data directory."""
    key = env("KAWAL_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("KAWAL_DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in env("KAWAL_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("KAWAL_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
SITE_URL = env("KAWAL_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "kawal.apps.audit",
    "kawal.apps.orgs",
    "kawal.apps.social",
    "kawal.apps.publishing",
    "kawal.apps.integrity",
    "kawal.apps.incidents",
    "kawal.apps.notifications",
    "kawal.apps.listening",
    "kawal.apps.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kawal.apps.web.middleware.Require2FAMiddleware",
    "kawal.apps.web.middleware.OrgTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kawal.server.urls"
WSGI_APPLICATION = "kawal.server.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kawal.apps.web.context.kawal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("KAWAL_DATABASE_URL", f"sqlite:///{DATA_DIR / 'kawal.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web app read while the worker writes; the timeout rides out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
OTP_TOTP_ISSUER = "Kawal"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("id", "Bahasa Indonesia")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("KAWAL_TIME_ZONE", "Asia/Jakarta")  # display default; everything stored is UTC
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Front-end packages come from the npm registry at install time (`make assets`), never from a CDN.
STATICFILES_DIRS = [p for p in [BASE_DIR / "static"] if p.exists()]

# The API takes an image as JSON base64 (up to 5 MB of image, about 6.7 MB encoded); multipart uploads
# stream to disk and are not held to this.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
# Behind a TLS-terminating proxy: secure cookies, and trust its X-Forwarded-Proto.
if envbool("KAWAL_HTTPS", False):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = env("KAWAL_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("KAWAL_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("KAWAL_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = env("KAWAL_EMAIL_FROM", "kawal@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("KAWAL_LOG_LEVEL", "INFO")},
}
