"""Django strings whose Dutch translation upstream lags behind their English text.

Listed here only so that makemessages puts them in our catalogue, which Django reads before its own.
"""

from django.utils.translation import ngettext_lazy

PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
