from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorsConfig(AppConfig):
    """The wie-vraag: the youth's network, the search for a JIM and the candidates."""

    name = "mentors"
    verbose_name = _("Mentor search")
