"""The admin site: like Django's, but a session must have passed the second factor to use it."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.templatetags import admin_list
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext as _

from . import registry
from .admin_narrow import NarrowAutocompleteJsonView


class JimAdminSite(AdminSite):
    site_header = "JIM"
    site_title = "JIM"

    def has_permission(self, request):
        # Every admin account has a second factor (accounts.rules.second_factor_required);
        # a session that did not pass it gets no admin page, whatever else lets it through.
        return super().has_permission(request) and request.user.is_verified()

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        # One door for everyone: the app's login page (throttling, lockout page, second factor), and
        # from there back to the admin page that was asked for.
        from django.contrib.auth.views import redirect_to_login  # not at import: the app registry loads us

        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, settings.LOGIN_URL)

    def each_context(self, request):
        # The apps' links beside "log out" (jimcase.registry.ADMIN_USER_LINKS), read by admin/base_site.html.
        return {**super().each_context(request), "user_links": registry.admin_user_links()}

    def autocomplete_view(self, request):
        # Only for a field a screen declares (none today): never a search through any relation.
        return NarrowAutocompleteJsonView.as_view(admin_site=self)(request)

    def get_urls(self):
        # The apps' own admin pages (jimcase.registry.ADMIN_SECTIONS) come before the admin's catch-all.
        sections = [
            path(f"{section.slug}/", include(section.urls)) for section in registry.admin_sections(self)
        ]
        return sections + super().get_urls()

    def get_app_list(self, request, app_label=None):
        """The models' apps, then the apps' own sections (e.g. the reports) that this user may see."""
        app_list = super().get_app_list(request, app_label)
        # The login page asks too, for a visitor who is not logged in: no section for anyone the
        # admin does not let in.
        if app_label is not None or not self.has_permission(request):
            return app_list
        for section in registry.admin_sections(self):
            if not section.may_see(request):
                continue
            app_list.append(
                {
                    "name": section.label,
                    "app_label": section.slug,
                    "app_url": reverse(section.index, current_app=self.name),
                    "has_module_perms": True,
                    "models": [
                        {
                            "name": label,
                            "object_name": url_name.rpartition(":")[2],
                            "admin_url": reverse(url_name, current_app=self.name),
                            "add_url": None,
                            "view_only": True,
                            "perms": {"view": True},
                        }
                        for label, url_name in section.links
                    ],
                }
            )
        return app_list


class JimAdminConfig(AdminConfig):
    """Django's admin app, with `JimAdminSite` as `admin.site` (named in INSTALLED_APPS)."""

    default_site = "jimcase.admin_site.JimAdminSite"

    def ready(self):
        super().ready()
        # Django's admin shows a yes/no icon with the English alt text "True", "False" or "None": the
        # name a screen reader reads out. Every caller imports it from admin_list when it runs, so
        # replacing it there gives the icon a translated name.
        admin_list._boolean_icon = boolean_icon


def boolean_icon(value):
    """The admin's yes/no/unknown icon, named in the reader's language."""
    name = {True: "yes", False: "no", None: "unknown"}[value]
    label = {True: _("Yes"), False: _("No"), None: _("Unknown")}[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{name}.svg"), label)
