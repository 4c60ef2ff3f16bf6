import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import forms as auth_forms


class CrispyMixin:
    """Give a form a crispy helper that renders fields only; the template owns <form> and buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class LoginForm(CrispyMixin, auth_forms.AuthenticationForm):
    pass


class PasswordChangeForm(CrispyMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(CrispyMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(CrispyMixin, auth_forms.SetPasswordForm):
    pass


class DateInput(forms.DateInput):
    """A native date picker; the browser sends ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class OnceFormMixin(forms.Form):
    """Add a hidden one-time token; the view claims it with services.submission_claim."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission_token"] = uuid.uuid4()
