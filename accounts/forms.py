"""The sign-in forms: login, password change, reset and choice, a second-factor code, a new e-mail address."""

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from jimcase.forms import CrispyMixin
from outbox import mails
from outbox.text import absolute_url

from .services import email_address_problem


class LoginForm(CrispyMixin, auth_forms.AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django gives the field a max_length but not its validator: an over-long name reached the
        # login backends and the failed-login log (a 255-character column, a server error on PostgreSQL).
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class PasswordChangeForm(CrispyMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(CrispyMixin, auth_forms.PasswordResetForm):
    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        """The reset link leaves through the outbox like every other mail (retried if the server is down).

        The link starts with SITE_URL, as every mail's links do, never with the host the request named.
        """
        url = absolute_url("password_reset_confirm", uidb64=context["uid"], token=context["token"])
        mails.send("password_reset", to=to_email, about=context["user"], user=context["user"], url=url)


class SetPasswordForm(CrispyMixin, auth_forms.SetPasswordForm):
    pass


class CodeForm(forms.Form):
    """One code: six digits from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class EmailChangeForm(forms.Form):
    """The person's own new e-mail address, with their password: a session left open is not enough."""

    email = forms.EmailField(
        label=_("New e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_email(self):
        email = self.cleaned_data["email"]
        problem = email_address_problem(self.user, email)
        if problem:
            raise forms.ValidationError(problem, code="email_taken")
        return email

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This password is not right."), code="password_incorrect")
        return password
