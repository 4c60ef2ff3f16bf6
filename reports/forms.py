"""The filters every report shares: period, team, professional; organisation and jurisdiction for a superuser."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jimcase.forms import DateInput
from jimcase.models import Organisation, Role, Team, User
from jimcase.selectors import professionals_of
from jimcase.validators import validate_event_date

from .selectors import Filters

#: The default period: this month and the eleven before it.
DEFAULT_MONTHS = 12


def month_start(day, months_back=0):
    """The first day of `day`'s month, or of the month `months_back` months before it."""
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(day):
    """The last day of `day`'s month."""
    following = day.replace(day=28) + datetime.timedelta(days=4)
    return following - datetime.timedelta(days=following.day)


class ReportFilterForm(forms.Form):
    """A coordinator chooses among her own organisation's teams and professionals only: another
    organisation's team or professional is not a valid choice, so it is refused, never applied.

    A period is whole calendar months (reports.rules: a youth count for a day or a week could be had by
    subtracting two periods): it runs from the first day of the first date's month to the last day of the
    second date's month, or to today while that month is not over. Dates keep the project's range.
    """

    date_from = forms.DateField(
        label=_("from"),
        required=False,
        widget=DateInput(),
        validators=[validate_event_date],
        help_text=_("Reports cover whole months: from the first day of this date's month."),
    )
    date_to = forms.DateField(
        label=_("until"),
        required=False,
        widget=DateInput(),
        validators=[validate_event_date],
        help_text=_("Up to the last day of this date's month, or today while that month is not over."),
    )
    team = forms.ModelChoiceField(label=_("team"), queryset=Team.objects.none(), required=False)
    professional = forms.ModelChoiceField(
        label=_("professional"), queryset=User.objects.none(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organisation.objects.all(), required=False
    )
    jurisdiction = forms.ChoiceField(
        label=_("jurisdiction"),
        choices=[("", "---------"), *Organisation.Jurisdiction.choices],
        required=False,
    )

    def __init__(self, data=None, *, user, today=None):
        super().__init__(data, auto_id="report-%s")
        self.user = user
        self.today = today or timezone.localdate()
        if user.is_superuser:
            self.fields["team"].queryset = Team.objects.all()
            self.fields["professional"].queryset = (
                User.objects.in_role(Role.PROFESSIONAL)
                .filter(is_active=True)
                .order_by("display_name", "username")
            )
        else:
            self.fields["team"].queryset = Team.objects.filter(organisation=user.organisation_id)
            self.fields["professional"].queryset = professionals_of(user.organisation_id)
            del self.fields["organisation"]
            del self.fields["jurisdiction"]

    def clean(self):
        cleaned = super().clean()
        if "date_from" in self.errors or "date_to" in self.errors:
            return cleaned
        chosen_to = cleaned.get("date_to") or self.today
        date_to = min(month_end(chosen_to), self.today)
        date_from = month_start(
            cleaned.get("date_from") or chosen_to, 0 if cleaned.get("date_from") else DEFAULT_MONTHS - 1
        )
        if date_from > self.today:
            self.add_error("date_from", _("A report period cannot start after this month."))
        elif date_from > date_to:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        cleaned["date_from"], cleaned["date_to"] = date_from, date_to
        # The fields show the period the report covers.
        self.data = self.data.copy()
        self.data["date_from"], self.data["date_to"] = date_from.isoformat(), date_to.isoformat()
        return cleaned

    def filters(self):
        """The validated choice as `Filters`: a coordinator's own organisation, always."""
        data = self.cleaned_data
        superuser = self.user.is_superuser
        organisation = data.get("organisation") if superuser else None
        return Filters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            organisation_id=organisation.pk
            if organisation
            else (None if superuser else self.user.organisation_id),
            all_organisations=superuser and organisation is None,
            jurisdiction=data.get("jurisdiction", "") if superuser else "",
            team_id=data["team"].pk if data.get("team") else None,
            professional_id=data["professional"].pk if data.get("professional") else None,
        )
