"""The admin site: like Django's, but a session must have passed the second factor to use it."""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class JimAdminSite(AdminSite):
    site_header = "JIM"
    site_title = "JIM"

    def has_permission(self, request):
        # Every admin account has a second factor (jimcase.accounts.rules.second_factor_required);
        # a session that did not pass it gets no admin page, whatever else lets it through.
        return super().has_permission(request) and request.user.is_verified()


class JimAdminConfig(AdminConfig):
    """Django's admin app, with `JimAdminSite` as `admin.site` (named in INSTALLED_APPS)."""

    default_site = "jimcase.admin_site.JimAdminSite"
