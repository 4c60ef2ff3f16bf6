"""The JIM's pages: phone first, warm and light (B1 Dutch). A JIM sees only their own live triads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jimcase.views import _form_errors_from

from . import services
from .access import get_triad_for_jim
from .forms import SignForm
from .models import Party, Signature
from .selectors import triads_of_mentor
from .views import _agreement_context


def mine(request):
    """The JIM's start page: their own triad(s)."""
    if not request.user.is_jim:
        raise Http404
    triads = list(triads_of_mentor(request.user))
    if len(triads) == 1:
        return redirect("triads:jim_triad", pk=triads[0].pk)
    return render(request, "triads/mine.html", {"triads": triads})


def jim_triad(request, pk):
    """What the JIM sees: the youth's first name, the agreement, the fallback professional."""
    triad = get_triad_for_jim(request.user, pk)
    agreement = triad.current_agreement
    signed = agreement.signatures.filter(party=Party.JIM).exists()
    form = SignForm(request.POST or None, initial={"typed_name": triad.jim.name})
    if request.method == "POST" and not signed and form.is_valid():
        try:
            services.agreement_sign(
                agreement=agreement,
                party=Party.JIM,
                method=Signature.Method.LOGGED_IN,
                typed_name=form.cleaned_data["typed_name"],
                user=request.user,
            )
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("Thank you for signing!"))
            return redirect("triads:jim_triad", pk=triad.pk)
    return render(
        request,
        "triads/jim_triad.html",
        {"form": form, "signed": signed, **_agreement_context(triad, agreement)},
    )
