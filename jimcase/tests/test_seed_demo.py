import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from jimcase.demo import DEMO_PASSWORD, DEMO_USERNAMES
from jimcase.models import Organisation, Team, Training, User

from .demo_walk import dates_agree


def _snapshot():
    return {
        "users": sorted(
            User.objects.values_list(
                "username", "display_name", "email", "organisation__name", "is_staff", "password"
            )
        ),
        "groups": sorted(User.objects.values_list("username", "groups__name")),
        "organisations": sorted(
            Organisation.objects.values_list("name", "jurisdiction", "default_trial_days")
        ),
        "teams": sorted(Team.objects.values_list("organisation__name", "name", "group__name")),
        "group_count": Group.objects.count(),
        "trainings": sorted(
            Training.objects.values_list("user__username", "kind", "completed_on", "provider")
        ),
    }


def test_seed_demo_twice_leaves_the_same_data(db):
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first
    assert set(User.objects.values_list("username", flat=True)) == DEMO_USERNAMES


def test_demo_accounts_have_their_roles_and_password(db):
    call_command("seed_demo")
    anna = User.objects.get(username="hv.anna")
    assert anna.check_password(DEMO_PASSWORD)
    assert anna.is_professional and not anna.is_jim
    assert User.objects.get(username="jim.wilma").is_jim
    dana = User.objects.get(username="coord.dana")
    assert dana.is_coordinator and dana.is_staff and not dana.is_superuser
    assert {t.name for t in anna.teams} == {"Team A"}
    jurisdictions = set(Organisation.objects.values_list("jurisdiction", flat=True))
    assert jurisdictions == {"flanders", "netherlands"}
    # Anna is trained; Bram is not, so his caseload shows the training hint.
    assert anna.has_training and not User.objects.get(username="hv.bram").has_training


def test_seed_demo_refuses_a_database_with_real_users(db):
    User.objects.create_user(username="echte.gebruiker", password="x" * 12)
    with pytest.raises(CommandError, match="non-demo"):
        call_command("seed_demo")
    assert not User.objects.filter(username="hv.anna").exists()
    call_command("seed_demo", force=True)
    assert User.objects.filter(username="hv.anna").exists()


def test_seed_demo_if_empty_leaves_a_used_database_alone(db):
    User.objects.create_user(username="echte.gebruiker", password="x" * 12)
    call_command("seed_demo", if_empty=True)
    assert not User.objects.filter(username="hv.anna").exists()


# --- The demo describes a believable year: its dates agree with each other (issue 22) -----------------


def test_the_demo_dates_agree_with_each_other(db):
    call_command("seed_demo", verbosity=0)
    wrong = dates_agree()
    assert wrong == [], "\n".join(wrong[:40])
