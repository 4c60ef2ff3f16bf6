import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.http import Http404

from jimcase import services
from jimcase.access import get_youth_for
from jimcase.models import YouthGroupObjectPermission, YouthUserObjectPermission
from jimcase.selectors import youths_visible_to
from jimcase.tests.factories import UserFactory, YouthFactory


def test_granting_writes_a_row_in_the_direct_foreign_key_table(organisation, colleague):
    youth = YouthFactory(organisation=organisation)
    services.youth_access_grant(youth=youth, to=colleague)
    rows = YouthUserObjectPermission.objects.filter(user=colleague, content_object=youth)
    assert set(rows.values_list("permission__codename", flat=True)) == {"view_youth", "change_youth"}
    assert list(youths_visible_to(colleague)) == [youth]


def test_model_level_view_permission_opens_no_youth(organisation, colleague):
    YouthFactory.create_batch(3, organisation=organisation)
    colleague.user_permissions.add(Permission.objects.get(codename="view_youth"))
    colleague = type(colleague).objects.get(pk=colleague.pk)  # drop the permission cache
    assert colleague.has_perm("jimcase.view_youth")  # the model-level permission is really there
    assert list(youths_visible_to(colleague)) == []


def test_superuser_sees_no_youth_without_an_object_permission(organisation):
    YouthFactory(organisation=organisation)
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert list(youths_visible_to(admin)) == []


def test_stranger_sees_nothing(youth, stranger):
    assert list(youths_visible_to(stranger)) == []
    with pytest.raises(Http404):
        get_youth_for(stranger, youth.pk)


def test_team_grant_opens_the_youth_to_every_member_and_only_them(youth, team_a, colleague, stranger):
    services.youth_access_grant(youth=youth, to=team_a.group)
    assert YouthGroupObjectPermission.objects.filter(group=team_a.group, content_object=youth).exists()
    assert get_youth_for(colleague, youth.pk) == youth
    assert list(youths_visible_to(stranger)) == []
    services.team_member_remove(team=team_a, user=colleague)
    with pytest.raises(Http404):
        get_youth_for(colleague, youth.pk)


def test_revoking_ends_access_at_once(youth, lead):
    assert get_youth_for(lead, youth.pk) == youth
    services.youth_access_revoke(youth=youth, to=lead)
    with pytest.raises(Http404):
        get_youth_for(lead, youth.pk)


def test_inactive_user_sees_nothing(youth, lead):
    lead.is_active = False
    lead.save()
    assert list(youths_visible_to(lead)) == []


def test_anonymous_sees_nothing(youth):
    assert list(youths_visible_to(AnonymousUser())) == []


@pytest.mark.parametrize("bad_pk", ["abc", None, 10**12])
def test_access_helper_answers_404_for_nonsense_ids(youth, lead, bad_pk):
    with pytest.raises(Http404):
        get_youth_for(lead, bad_pk)


def test_the_visible_youths_come_from_a_union_of_the_permission_rows_never_an_or_of_two_ins(lead):
    # Guardian's `id IN (user rows) OR id IN (group rows)` makes PostgreSQL scan every youth (issue 12).
    sql = str(youths_visible_to(lead).query).upper()
    assert " UNION " in sql
    assert " OR " not in sql
    assert "YOUTHUSEROBJECTPERMISSION" in sql and "YOUTHGROUPOBJECTPERMISSION" in sql


def test_a_grant_to_the_user_and_to_their_team_on_the_same_youth_lists_it_once(youth, team_a, colleague):
    services.youth_access_grant(youth=youth, to=colleague)
    services.youth_access_grant(youth=youth, to=team_a.group)
    assert list(youths_visible_to(colleague)) == [youth]
    assert youths_visible_to(colleague).count() == 1


def test_only_the_asked_permission_opens_the_youth(youth, colleague, team_a):
    services.youth_access_grant(youth=youth, to=colleague, perms=["jimcase.view_youth"])
    services.youth_access_grant(youth=youth, to=team_a.group, perms=["jimcase.view_youth"])
    assert list(youths_visible_to(colleague)) == [youth]
    assert list(youths_visible_to(colleague, "jimcase.change_youth")) == []
