"""The filters every report shares: period, team, professional; organisation and jurisdiction for a superuser."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jimcase.forms import DateInput
from jimcase.models import Organisation, Role, Team, User
from jimcase.selectors import professionals_of

from .selectors import Filters


def year_before(day):
    """The first day of the 12 months that end on `day` (29-11-2026 → 30-11-2025)."""
    try:
        start = day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        start = day.replace(year=day.year - 1, day=28)
    return start + datetime.timedelta(days=1)


class ReportFilterForm(forms.Form):
    """A coordinator chooses among her own organisation's teams and professionals only: another
    organisation's team or professional is not a valid choice, so it is refused, never applied."""

    date_from = forms.DateField(label=_("from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("until"), required=False, widget=DateInput())
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
        date_to = cleaned.get("date_to") or self.today
        date_from = cleaned.get("date_from") or year_before(date_to)
        if "date_from" not in self.errors and "date_to" not in self.errors and date_from > date_to:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        cleaned["date_from"], cleaned["date_to"] = date_from, date_to
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
