"""Settings for Lianxin. Everything comes from the environment; the defaults are the embedded ones."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LIANXIN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("LIANXIN_DEBUG", False)
# The embedded default is a single-machine demo; production must set its own key.
SECRET_KEY = os.environ.get("LIANXIN_SECRET_KEY", "lianxin-embedded-demo-key-change-me-in-production")
ALLOWED_HOSTS = os.environ.get("LIANXIN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "huey.contrib.djhuey",
    "lianxin.core",
    "lianxin.orders",
    "lianxin.intake",
    "lianxin.routing",
    "lianxin.analytics",
    "lianxin.open311",
    "lianxin.web",
    "lianxin.public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lianxin.web.middleware.ChineseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "lianxin.urls"
WSGI_APPLICATION = "lianxin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "lianxin.web.context.workbench",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'lianxin.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web process read while a worker writes; a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Short OLTP queries pay tens of milliseconds for JIT compilation and gain nothing from it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "lianxin" / "locale", BASE_DIR / "lianxin" / "public" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
LOGIN_URL = "/login/"
# Public pages show their own Chinese page when a form's CSRF check fails; other paths keep Django's.
CSRF_FAILURE_VIEW = "lianxin.public.errors.csrf_failure"
# Front-end libraries installed from npm by `make assets` (git-ignored); only their dist folders are served.
NPM_DIR = BASE_DIR / "var" / "npm" / "node_modules"
STATICFILES_DIRS = [
    ("vendor/htmx", NPM_DIR / "htmx.org" / "dist"),
    ("vendor/echarts", NPM_DIR / "echarts" / "dist"),
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "lianxin.core.api_support.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "lianxin.core.api_support.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "lianxin.core.api_support.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Lianxin (连心) API",
    "DESCRIPTION": "Citizen appeals and work orders from intake to close.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "lianxin.core.api_support.portable_integers",
    ],
}

# Background jobs: Huey on SQLite by default (no extra server); Redis in production via LIANXIN_QUEUE_URL.
_queue_url = os.environ.get("LIANXIN_QUEUE_URL", "")
if _queue_url.startswith("redis"):
    HUEY = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": "lianxin",
        "url": _queue_url,
        "immediate": False,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "lianxin",
        "filename": str(VAR_DIR / "queue.sqlite3"),
        "immediate": _env_bool("LIANXIN_QUEUE_IMMEDIATE", False),
    }

# Optional large-language-model backend for intake analysis (OpenAI-compatible); off when unset.
LLM_ENDPOINT = os.environ.get("LIANXIN_LLM_URL", "")
LLM_MODEL = os.environ.get("LIANXIN_LLM_MODEL", "")
LLM_API_KEY = os.environ.get("LIANXIN_LLM_API_KEY", "")
LLM_TIMEOUT_SECONDS = float(os.environ.get("LIANXIN_LLM_TIMEOUT", "8"))
MODELS_DIR = Path(os.environ.get("LIANXIN_MODELS_DIR", VAR_DIR / "models"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LIANXIN_LOG_LEVEL", "WARNING")},
    "loggers": {"lianxin": {"level": "INFO"}},
}
