"""Factories for every model the tests need. No fixtures files, no fixed ids."""

import factory
from factory.django import DjangoModelFactory

from tracker.models import CareTeamMembership, Condition, Role, User

TEST_PASSWORD = "correct horse battery staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda number: f"user{number}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    time_zone = "Europe/London"
    password = factory.django.Password(TEST_PASSWORD)


class PatientFactory(UserFactory):
    username = factory.Sequence(lambda number: f"patient{number}")
    role = Role.PATIENT
    condition = Condition.LOWER_BACK


class PhysiotherapistFactory(UserFactory):
    username = factory.Sequence(lambda number: f"physio{number}")
    role = Role.PHYSIOTHERAPIST


class DoctorFactory(UserFactory):
    username = factory.Sequence(lambda number: f"doctor{number}")
    role = Role.DOCTOR


class AdminFactory(UserFactory):
    username = factory.Sequence(lambda number: f"admin{number}")
    is_staff = True
    is_superuser = True


class CareTeamMembershipFactory(DjangoModelFactory):
    class Meta:
        model = CareTeamMembership

    patient = factory.SubFactory(PatientFactory)
    clinician = factory.SubFactory(PhysiotherapistFactory)


# Exercise library, clearances and programs.


# Daily check-ins and session logs.


# Flags and clinical notes.
