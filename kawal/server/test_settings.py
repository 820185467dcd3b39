"""Settings for the test run: a throwaway data directory, a fast password hasher, and PostgreSQL when
``KAWAL_TEST_DATABASE_URL`` is set (``.ci/run`` runs the suite on both)."""

import os
import tempfile

os.environ.setdefault("KAWAL_DATA_DIR", tempfile.mkdtemp(prefix="kawal-test-"))
os.environ["KAWAL_SECRET_KEY"] = "test-only-secret-key-not-for-production"
if os.environ.get("KAWAL_TEST_DATABASE_URL"):
    os.environ["KAWAL_DATABASE_URL"] = os.environ["KAWAL_TEST_DATABASE_URL"]
else:
    os.environ.pop("KAWAL_DATABASE_URL", None)

from kawal.server.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# WhiteNoise warns on every request when STATIC_ROOT is missing; tests serve no collected files.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
