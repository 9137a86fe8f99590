"""Django settings for every runnable example in the course.

Each ```python run``` block executes in a process where Django was set up with
this file (DJANGO_SETTINGS_MODULE=course_settings). Learners may copy it: it is
a minimal but real settings module for Django 6.1.
"""

from pathlib import Path

SNIPPETS_DIR = Path(__file__).resolve().parent

SECRET_KEY = "course-examples-only-not-secret"
DEBUG = True
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
USE_TZ = True
TIME_ZONE = "UTC"

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
]

DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SNIPPETS_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {},
    },
]

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}

# The caching lesson requests pages with Django's test client, which looks
# URLs up here. No MIDDLEWARE is set: examples that need some (the per-site
# cache) add it with override_settings.
ROOT_URLCONF = "bookshelf.urls"

# Django 6.1 configures outgoing mail with MAILERS (EMAIL_BACKEND, EMAIL_HOST
# and friends are deprecated). Code picks a mailer with `using="alias"`.
MAILERS = {
    # Development: print every message to standard output.
    "default": {
        "BACKEND": "django.core.mail.backends.console.EmailBackend",
    },
    # Tests: keep messages in django.core.mail.outbox.
    "outbox": {
        "BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    },
    # Production-style SMTP. Nothing listens on this loopback port, so the
    # lessons can show what happens when no mail server is running.
    "smtp": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "127.0.0.1",
            "port": 2525,
            "timeout": 5,
        },
    },
}

DEFAULT_FROM_EMAIL = "Django Course <course@example.com>"
SERVER_EMAIL = "server@example.com"
ADMINS = [("Ops", "ops@example.com")]
