import factory
from factory.django import DjangoModelFactory

from tests.factories import PhysiotherapistFactory
from tracker.clinics.models import Invitation


class InvitationFactory(DjangoModelFactory):
    """An open invitation for a lower-back patient, sent now by a physiotherapist of the test clinic."""

    class Meta:
        model = Invitation

    invited_by = factory.SubFactory(PhysiotherapistFactory)
    clinic = factory.LazyAttribute(lambda invitation: invitation.invited_by.clinic)
    email = factory.Sequence(lambda number: f"invitee{number}@example.org")
    role = "patient"
    first_name = "Ivy"
    last_name = "Invitee"
    condition = "lower_back"
    time_zone = "Europe/London"
