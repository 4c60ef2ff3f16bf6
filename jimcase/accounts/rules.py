"""Who must log in with a second factor (read-only)."""

from django_otp import user_has_device


def second_factor_required(user):
    """True if `user` may not work without a second factor.

    Admin accounts (coordinators, staff) always; a professional when their organisation says so;
    a JIM never has to (their page shows one triad), but may turn it on.
    """
    if user.is_admin_account:
        return True
    organisation = user.organisation
    return user.is_professional and organisation is not None and organisation.second_factor_for_professionals


#: What a logged-in user must do before anything else (kept in the session at login).
VERIFY, SET_UP, NOTHING = "verify", "set-up", ""


def second_factor_step(user):
    """VERIFY if `user` has a second factor, SET_UP if they must but have none, else NOTHING."""
    if user_has_device(user):
        return VERIFY
    if second_factor_required(user):
        return SET_UP
    return NOTHING
