"""Django settings for Zaireen: the one place that reads the environment.

Every key can be overridden from the environment; `docs/operations.md` lists them all with
their defaults. A production start (`ZAIREEN_ENV=production`) without its secrets stops here
with a message naming what is missing; the demo generates its own into the data folder.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from zaireen.core.secrets import DEMO_SECRET_NAMES, load_or_create_demo_secrets

PACKAGE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_float(name: str, default: float) -> float:
    raw = env_str(name)
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


ZAIREEN_ENV = env_str("ZAIREEN_ENV", "development")
if ZAIREEN_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"ZAIREEN_ENV must be 'development' or 'production', not {ZAIREEN_ENV!r}."
    )
PRODUCTION = ZAIREEN_ENV == "production"
# pytest sets PYTEST_VERSION before it imports anything: tests run background jobs inline.
TESTING = "PYTEST_VERSION" in os.environ

DATA_DIR = Path(env_str("ZAIREEN_DATA_DIR", str(Path.cwd() / "var"))).resolve()

# --- Secrets ------------------------------------------------------------------------------
if PRODUCTION:
    _missing = [name for name in DEMO_SECRET_NAMES if not env_str(name)]
    if _missing:
        raise ImproperlyConfigured(
            "Zaireen will not start in production without its secrets. Set "
            + ", ".join(_missing)
            + " in the environment (see docs/operations.md, 'Secrets')."
        )
    _secrets = {name: env_str(name) for name in DEMO_SECRET_NAMES}
else:
    _secrets = load_or_create_demo_secrets(DATA_DIR)
    _secrets.update({name: env_str(name) for name in DEMO_SECRET_NAMES if env_str(name)})

SECRET_KEY = _secrets["SECRET_KEY"]
# Keyed hashes of identifiers (HMAC-SHA256): "version:key,version:key", newest first.
ZAIREEN_IDENTIFIER_KEYS = _secrets["ZAIREEN_IDENTIFIER_KEYS"]
# Encryption of identifiers at rest (MultiFernet): comma-separated keys, newest first.
ZAIREEN_FERNET_KEYS = _secrets["ZAIREEN_FERNET_KEYS"]

DEBUG = env_bool("ZAIREEN_DEBUG", default=False)
ALLOWED_HOSTS = env_list(
    "ZAIREEN_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1],testserver"
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ZAIREEN_ALLOWED_HOSTS to the host names Zaireen serves.")
CSRF_TRUSTED_ORIGINS = env_list("ZAIREEN_CSRF_TRUSTED_ORIGINS")

# --- Applications -------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "bootstrap",
    "leaflet",
    "ninja",
    "huey.contrib.djhuey",
    "zaireen.core",
    "zaireen.accounts",
    "zaireen.organizers",
    "zaireen.places",
    "zaireen.pilgrims",
    "zaireen.trips",
    "zaireen.rosters",
    "zaireen.documents",
    "zaireen.safety",
    "zaireen.lookup",
    "zaireen.planning",
    "zaireen.crowd",
    "zaireen.notifications",
    "zaireen.cases",
    "zaireen.incidents",
    "zaireen.itineraries",
    "zaireen.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zaireen.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "zaireen.urls"
WSGI_APPLICATION = "zaireen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zaireen.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'zaireen.sqlite3'}",
        conn_max_age=int(env_float("ZAIREEN_DB_CONN_MAX_AGE", 60)),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time: WAL lets readers go on while it writes, IMMEDIATE takes the write
    # lock at BEGIN so two writers queue on the busy timeout instead of failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background jobs ----------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
HUEY_IMMEDIATE = env_bool("ZAIREEN_HUEY_IMMEDIATE", default=TESTING)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "zaireen",
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "zaireen",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }
HUEY["consumer"] = {
    "workers": int(env_float("ZAIREEN_WORKERS", 2)),
    "worker_type": "thread",
    "periodic": True,
}

# --- Authentication -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# One-time codes for phone logins (group leaders and pilgrims).
ZAIREEN_OTP_TTL_SECONDS = int(env_float("ZAIREEN_OTP_TTL_SECONDS", 300))
ZAIREEN_OTP_MAX_ATTEMPTS = int(env_float("ZAIREEN_OTP_MAX_ATTEMPTS", 5))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# --- Messages out: SMS and email -----------------------------------------------------------
ZAIREEN_SMS_BACKEND = env_str("ZAIREEN_SMS_BACKEND", "locmem" if TESTING else "console")
if ZAIREEN_SMS_BACKEND not in {"console", "file", "locmem", "http"}:
    raise ImproperlyConfigured("ZAIREEN_SMS_BACKEND must be console, file, locmem or http.")
ZAIREEN_SMS_GATEWAY_URL = env_str("ZAIREEN_SMS_GATEWAY_URL")
ZAIREEN_SMS_GATEWAY_TOKEN = env_str("ZAIREEN_SMS_GATEWAY_TOKEN")
if ZAIREEN_SMS_BACKEND == "http" and not ZAIREEN_SMS_GATEWAY_URL:
    raise ImproperlyConfigured("ZAIREEN_SMS_BACKEND=http needs ZAIREEN_SMS_GATEWAY_URL.")
# WhatsApp: the same gateway interface as SMS (docs/notifications.md).
ZAIREEN_WHATSAPP_BACKEND = env_str("ZAIREEN_WHATSAPP_BACKEND", "locmem" if TESTING else "console")
if ZAIREEN_WHATSAPP_BACKEND not in {"console", "file", "locmem", "http"}:
    raise ImproperlyConfigured("ZAIREEN_WHATSAPP_BACKEND must be console, file, locmem or http.")
ZAIREEN_WHATSAPP_GATEWAY_URL = env_str("ZAIREEN_WHATSAPP_GATEWAY_URL")
ZAIREEN_WHATSAPP_GATEWAY_TOKEN = env_str("ZAIREEN_WHATSAPP_GATEWAY_TOKEN")
if ZAIREEN_WHATSAPP_BACKEND == "http" and not ZAIREEN_WHATSAPP_GATEWAY_URL:
    raise ImproperlyConfigured("ZAIREEN_WHATSAPP_BACKEND=http needs ZAIREEN_WHATSAPP_GATEWAY_URL.")
# Notifications: attempts per message, and the delay after the first failure (doubling).
ZAIREEN_NOTIFY_ATTEMPTS = max(1, int(env_float("ZAIREEN_NOTIFY_ATTEMPTS", 5)))
ZAIREEN_NOTIFY_RETRY_SECONDS = int(env_float("ZAIREEN_NOTIFY_RETRY_SECONDS", 30))
ZAIREEN_NOTIFY_STUCK_MINUTES = max(1, int(env_float("ZAIREEN_NOTIFY_STUCK_MINUTES", 10)))
# Missing-person cases: a case still searched for is reminded about after this much silence.
ZAIREEN_CASE_REMINDER_MINUTES = max(1, int(env_float("ZAIREEN_CASE_REMINDER_MINUTES", 60)))
EMAIL_BACKEND = env_str(
    "ZAIREEN_EMAIL_BACKEND",
    "django.core.mail.backends.locmem.EmailBackend"
    if TESTING
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("ZAIREEN_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_float("ZAIREEN_EMAIL_PORT", 25))
EMAIL_HOST_USER = env_str("ZAIREEN_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("ZAIREEN_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("ZAIREEN_EMAIL_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("ZAIREEN_EMAIL_FROM", "Zaireen <no-reply@zaireen.invalid>")
# Where links in emails point (invitations): the public address of this Zaireen.
ZAIREEN_BASE_URL = env_str("ZAIREEN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Languages and time -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ur", _("Urdu")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# whitenoise serves STATIC_ROOT; it exists before `collectstatic` fills it (tests never run it).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = TESTING
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"

# --- Security -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("ZAIREEN_SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = int(env_float("ZAIREEN_HSTS_SECONDS", 0))

# --- Roster imports ---------------------------------------------------------------------------
ZAIREEN_IMPORT_MAX_BYTES = int(env_float("ZAIREEN_IMPORT_MAX_BYTES", 32 * 1024 * 1024))
ZAIREEN_IMPORT_MAX_ROWS = int(env_float("ZAIREEN_IMPORT_MAX_ROWS", 100_000))

# --- Documents --------------------------------------------------------------------------------
# Printed on every ID card and emergency card. Set it to the Pakistani embassy's emergency line
# in Baghdad; the default is a visible placeholder, and the documents page warns until it is set.
ZAIREEN_EMBASSY_PHONE = env_str("ZAIREEN_EMBASSY_PHONE", "+964 … (set ZAIREEN_EMBASSY_PHONE)")

# --- Maps and reference geography ---------------------------------------------------------
# A tile URL template (e.g. a tile server on the ministry's network). Empty: the map draws the
# markers over a plain background, so it works at a border post with no internet.
ZAIREEN_MAP_TILES = env_str("ZAIREEN_MAP_TILES")
ZAIREEN_MAP_ATTRIBUTION = env_str("ZAIREEN_MAP_ATTRIBUTION")
LEAFLET_CONFIG = {
    "TILES": (
        [(_("Map"), ZAIREEN_MAP_TILES, {"attribution": ZAIREEN_MAP_ATTRIBUTION})]
        if ZAIREEN_MAP_TILES
        else []
    ),
    "DEFAULT_CENTER": (32.6, 44.2),
    "DEFAULT_ZOOM": 7,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 18,
    "RESET_VIEW": False,
    "ATTRIBUTION_PREFIX": "Zaireen",
}
# Great-circle distance times this factor estimates a road distance when no road leg is known.
ZAIREEN_ROAD_FACTOR = env_float("ZAIREEN_ROAD_FACTOR", 1.3)
# Average speed for estimated drive times (km/h), for legs without a sourced drive time.
ZAIREEN_ESTIMATE_SPEED_KMH = env_float("ZAIREEN_ESTIMATE_SPEED_KMH", 70.0)

# --- Itinerary planner rules (docs/itineraries.md says which are assumptions) -------------
ZAIREEN_ITINERARY_NIGHT = env_str("ZAIREEN_ITINERARY_NIGHT", "22:00-05:00")  # no road legs
ZAIREEN_ITINERARY_MAX_ROAD_HOURS = env_float("ZAIREEN_ITINERARY_MAX_ROAD_HOURS", 8.0)
ZAIREEN_ITINERARY_WALK_MINUTES = {  # outdoor walking a day, by needs profile
    "standard": int(env_float("ZAIREEN_ITINERARY_WALK_STANDARD", 300)),
    "elderly": int(env_float("ZAIREEN_ITINERARY_WALK_ELDERLY", 90)),
    "wheelchair": int(env_float("ZAIREEN_ITINERARY_WALK_WHEELCHAIR", 30)),
}
ZAIREEN_ITINERARY_HEAT_C = env_float("ZAIREEN_ITINERARY_HEAT_C", 40.0)
ZAIREEN_ITINERARY_DEFAULT_HOURS = env_str("ZAIREEN_ITINERARY_DEFAULT_HOURS", "05:00-22:00")

# --- Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("ZAIREEN_LOG_LEVEL", "INFO")},
    # The Huey consumer adds a handler of its own.
    "loggers": {
        "huey": {"level": env_str("ZAIREEN_LOG_LEVEL", "INFO"), "propagate": False},
        # WeasyPrint reports every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
