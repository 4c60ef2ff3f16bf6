"""Settings for JIM, read from the environment.

Every value comes from an environment variable through a helper that fails loudly on a value it
cannot understand, so a typo in production stops the start instead of silently using a default.
"""

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def envstr(name, default=""):
    return os.environ.get(name, default)


def envbool(name, default="False"):
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def envint(name, default):
    value = os.environ.get(name, str(default)).strip()
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envlist(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DJANGO_ENV = envstr("DJANGO_ENV", "development")
if DJANGO_ENV not in ("development", "production"):
    raise ImproperlyConfigured(f"DJANGO_ENV must be 'development' or 'production', got {DJANGO_ENV!r}")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = envbool("DJANGO_DEBUG", "False")


def _secret_key():
    key = envstr("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production")
    # Development and tests: a key kept in the ignored var/ folder, made once.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

if PRODUCTION:
    ALLOWED_HOSTS = envlist("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_ENV=production")
else:
    ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The admin, with a site that refuses a session whose second factor is not verified.
    "jimcase.admin_site.JimAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "guardian",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "outbox",
    "jimcase",
    "accounts",
    "mentors",
    "triads",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jimcase.middleware.CookieLocaleMiddleware",
    # Before anything reads the form: a body that cannot be read gets a 400 page (in the chosen language).
    "jimcase.middleware.UnreadableFormMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "jimcase.middleware.NoStoreForUsersMiddleware",
    "jimcase.middleware.AccessLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After the messages: a session ended for inactivity says so on the login page.
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jimcase.context_processors.roles",
            ],
        },
    },
]

# SQLite in the ignored var/ folder unless DATABASE_URL names another database.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jim.sqlite3'}"),
        # Opening a connection per request costs more than most pages (issue 12: the floor went from
        # about 155 to 1 300 requests/s with kept connections). The health check drops a connection
        # the database closed (a restart) before a request uses it.
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        conn_health_checks=envbool("DATABASE_CONN_HEALTH_CHECKS", "True"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Each transaction takes SQLite's write lock when it begins, and waits for it (up to `timeout`
    # seconds) when another one holds it. SQLite's default takes it at the first write and fails at
    # once with "database is locked" when two transactions that both read want to write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": envint("SQLITE_TIMEOUT", 20)}
    )
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql") and not envbool(
    "DATABASE_JIT", "False"
):
    # PostgreSQL compiles queries it estimates as costly (JIT); for the reports' aggregates at 100 000 youths
    # that compiling took longer than running them (docs/performance.md, "Reports at 100 000 youths").
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "jimcase.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses every login attempt of a locked-out account or address (django-axes).
    "accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# No anonymous user in the permission tables: an anonymous visitor can never hold a permission.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jimcase.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", 3 * 24 * 3600)

# The oldest criminal-record extract (model 2 / VOG) the organisation accepts, in days since its issue date:
# an older one is flagged on the wie-vraag pages (mentors.rules.record_check_warning), not refused.
CRIMINAL_RECORD_MAX_AGE_DAYS = envint("CRIMINAL_RECORD_MAX_AGE_DAYS", 90)

# Sessions live in the database so that several app servers can share them. A session ends after
# SESSION_IDLE_TIMEOUT seconds without a request, and SESSION_COOKIE_AGE after logging in, whatever
# happens (accounts.middleware.SessionTimeoutMiddleware).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 12 * 3600)
SESSION_IDLE_TIMEOUT = envint("SESSION_IDLE_TIMEOUT", 30 * 60)

# Login throttling (django-axes, accounts.lockout): a username is locked after
# AXES_FAILURE_LIMIT failed logins from anywhere, a client address after LOGIN_FAILURE_LIMIT_PER_ADDRESS
# failures whatever the usernames; both for AXES_COOLOFF_TIME hours, or until a coordinator unlocks.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = envint("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 20)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# The client address is REMOTE_ADDR; behind a reverse proxy, the last address of X-Forwarded-For (the one
# the proxy added: whatever a client puts before it is not trusted).
TRUST_X_FORWARDED_FOR = envbool("TRUST_X_FORWARDED_FOR", "True" if PRODUCTION else "False")
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
# Axes' own log of every login would keep usernames and addresses forever; jimcase.security logs instead.
AXES_DISABLE_ACCESS_LOG = True
# Locks are lifted by a coordinator on the user screen (jimcase.admin), not on axes' own screens.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# At most this many password-reset mails per hour to one address, and per client address.
PASSWORD_RESET_LIMIT_PER_EMAIL = envint("PASSWORD_RESET_LIMIT_PER_EMAIL", 3)
PASSWORD_RESET_LIMIT_PER_ADDRESS = envint("PASSWORD_RESET_LIMIT_PER_ADDRESS", 10)

# Second factor (django-otp): the name an authenticator app shows next to the codes.
OTP_TOTP_ISSUER = envstr("OTP_TOTP_ISSUER", "JIM")
# Wrong codes (accounts.rules.second_factor_locked_until): after SECOND_FACTOR_FAILURE_LIMIT wrong
# codes of one kind in a row (app codes, recovery codes) that kind is refused for
# SECOND_FACTOR_LOCKOUT_MINUTES, and after that each further wrong one locks it again, until a right code.
# It replaces django-otp's own throttling, which doubles the wait from the first wrong code without an end
# (after 20, six days) and refuses even the right code without saying why or until when.
SECOND_FACTOR_FAILURE_LIMIT = envint("SECOND_FACTOR_FAILURE_LIMIT", 5)
SECOND_FACTOR_LOCKOUT_MINUTES = envint("SECOND_FACTOR_LOCKOUT_MINUTES", 15)
OTP_TOTP_THROTTLE_FACTOR = OTP_STATIC_THROTTLE_FACTOR = 0

LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True
FORMAT_MODULE_PATH = ["jimcase.formats"]

STATIC_URL = "/static/"
# collectstatic writes here in production; elsewhere whitenoise reads the apps' static folders directly.
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles"))) if PRODUCTION else None
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production, whitenoise serves straight from the apps' static folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content-Security-Policy: every script, style, font and image from this server; no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws its form icons as data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# E-mail: printed to the console in development unless an SMTP host is configured; production refuses
# to start without one (mail that silently goes to a console is mail that is lost).
EMAIL_HOST = envstr("EMAIL_HOST")
if PRODUCTION and not EMAIL_HOST:
    raise ImproperlyConfigured(
        "EMAIL_HOST must be set when DJANGO_ENV=production (the SMTP server JIM sends mail through)"
    )
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "True")
    # A mail server that hangs must not hold a user's request: the outbox retries later.
    EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "JIM <noreply@jim.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The outbox (the outbox app): a request only queues its mail; the worker `manage.py send_outbox --watch`
# sends it at once (woken by PostgreSQL's NOTIFY, else every OUTBOX_POLL_SECONDS) and retries what did
# not go out, giving up after OUTBOX_MAX_ATTEMPTS tries. No request ever talks to an SMTP server: a hung
# one would hold the user, and the time a password reset takes would tell whether an account exists. So
# sending right after the commit is only for mail printed to the console (`make run`, no worker needed).
OUTBOX_SEND_AT_COMMIT = envbool("OUTBOX_SEND_AT_COMMIT", "False" if EMAIL_HOST else "True")
if OUTBOX_SEND_AT_COMMIT and EMAIL_HOST:
    raise ImproperlyConfigured(
        "OUTBOX_SEND_AT_COMMIT cannot be on with an SMTP server (EMAIL_HOST): a web request never sends "
        "mail itself; run the worker `manage.py send_outbox --watch`"
    )
OUTBOX_POLL_SECONDS = envint("OUTBOX_POLL_SECONDS", 30)
OUTBOX_MAX_ATTEMPTS = envint("OUTBOX_MAX_ATTEMPTS", 8)


def _site_url():
    """The address that links in e-mails point to (e-mails sent from cron have no request)."""
    url = envstr("SITE_URL").rstrip("/")
    if url:
        return url
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SITE_URL must be set when DJANGO_ENV=production (e.g. https://jim.example.org)"
        )
    # Development: the port `make run` serves on (PORT=8123 make run), so the links in e-mails work.
    return f"http://127.0.0.1:{envint('PORT', 8000)}"


SITE_URL = _site_url()

if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "True")
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "True")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if envbool("BEHIND_TLS_PROXY", "True"):
        # The reverse proxy terminates TLS and says so in this header.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# The youth's file page shows these sections after its own, in order. Each is a callable
# (request, youth) -> {"template": ..., "context": {...}}; the core never imports the apps above it.
# What each app adds to the core's pages (read by jimcase.registry; the core imports no app above it).
ROLE_HOME_PAGES = [
    ("is_coordinator", "admin:index", _("Administration")),
    ("is_professional", "jimcase:caseload", _("Caseload")),
    ("is_jim", "triads:mine", _("My triad")),
]
# Beside "log out" on every admin page: the person's own e-mail address (the password is Django's link).
ADMIN_USER_LINKS = [("accounts:email_change", _("E-mail address"))]
ACCESS_LOG_PAGES = [
    "jimcase.models.ACCESS_LOG_PAGES",
    "mentors.sections.ACCESS_LOG_PAGES",
    "triads.sections.ACCESS_LOG_PAGES",
]
YOUTH_FLAGS = ["triads.sections.youth_flags", "triads.sections.urgent_request_flags"]
CASELOAD_NOTICES = ["triads.sections.caseload_notices"]
YOUTH_STAGE_FACTS = ["mentors.sections.stage_facts", "triads.sections.stage_facts"]
ACCESS_LOG_YOUTH_OF = [
    "jimcase.access.youth_of_url",
    "mentors.sections.youth_of_url",
    "triads.sections.youth_of_url",
]
ASSIGNMENT_ENDED = ["triads.services.triad.triad_after_assignment_end"]
CONSENT_DECIDERS_CHANGED = ["triads.services.consent.triads_start_after_deciders_change"]
CONSENT_STATE_LINES = ["triads.sections.consent_state_lines"]
ACCOUNT_LINK_REFUSALS = ["triads.selectors.password_link_refusal"]
ADMIN_SECTIONS = ["reports.admin.section"]
SEARCH_FOUND_NEXT = "triads:create"
YOUTH_FILE_SECTIONS = [
    "mentors.sections.network_section",
    "mentors.sections.search_section",
    "triads.sections.triad_section",
]

# seed_demo runs these in order; each gets and extends a shared context dict.
DEMO_SEEDERS = [
    "jimcase.demo.seed",
    "accounts.demo.seed",
    "mentors.demo.seed",
    "triads.demo.seed",
    "reports.demo.seed",
]
# `seed_demo --scale N`: bulk scale data for the benchmark, on top of the demo, in layer order.
SCALE_SEEDERS = [
    "jimcase.scale.seed",
    "mentors.scale.seed",
    "triads.scale.seed",
    # Last: the stage histories, replayed from the moves the apps above reported.
    "jimcase.scale.stage_histories",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
    # Failed logins, lockouts, second factor and password resets: who, when, from where (never a secret).
    "loggers": {"jimcase.security": {"level": envstr("SECURITY_LOG_LEVEL", "INFO")}},
}
