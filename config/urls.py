"""The root URL conf: every app's pages under their prefix."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from accounts.urls import auth_urlpatterns
from jimcase import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include(auth_urlpatterns)),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("youths/", include("jimcase.urls")),
    path("mentors/", include("mentors.urls")),
    path("triads/", include("triads.urls")),
]

# 503 (try again) while the database is away for a moment; the usual 500 page otherwise.
handler500 = "jimcase.views.server_error"
