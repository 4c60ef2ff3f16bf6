"""Factories for the case core; the named cast lives in the top-level conftest.py."""

import factory
from django.contrib.auth.models import Group

from jimcase import services
from jimcase.models import Organisation, Role, User, Youth

PASSWORD = "test-pass-2026!"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    jurisdiction = Organisation.Jurisdiction.FLANDERS


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    display_name = factory.LazyAttribute(lambda u: u.username.title())
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            services.user_role_set(user=self, role=extracted)
        self.save()


def professional(**kwargs):
    return UserFactory(role=Role.PROFESSIONAL, **kwargs)


def team(organisation, name="Team"):
    return services.team_create(organisation=organisation, name=name)


class YouthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Youth

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Sequence(lambda n: f"Jongere{n}")
    last_name = "Testmans"
    case_number = factory.Sequence(lambda n: f"D-{n:05d}")


def role_group(role):
    return Group.objects.get(name=role)
