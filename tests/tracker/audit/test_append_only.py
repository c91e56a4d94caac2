import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from tests.factories import PatientFactory
from tracker.audit.admin import AuditedAdminMixin
from tracker.audit.models import AppendOnlyError, AuditAction, AuditEvent
from tracker.audit.services import audit_record
from tracker.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(clinic):
    return audit_record(
        actor=clinic.linked_physio,
        action=AuditAction.READ,
        view_name="patient_detail",
        patient_id=clinic.patient_a.pk,
        client_address="192.0.2.1",
    )


def test_a_stored_row_cannot_be_changed(event):
    event.view_name = "something_else"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get().view_name == "patient_detail"


def test_a_stored_row_cannot_be_deleted(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(view_name="x")
    assert AuditEvent.objects.count() == 1


def test_deleting_an_account_keeps_what_it_did_and_what_was_done_to_it(event, clinic):
    clinic.linked_physio.care_team_links.all().delete()
    clinic.linked_physio.caseload_links.all().delete()
    User.objects.filter(pk=clinic.linked_physio.pk).delete()
    row = AuditEvent.objects.get()
    assert row.actor_id == clinic.linked_physio.pk
    assert row.patient_id == clinic.patient_a.pk


def test_the_database_itself_refuses_raw_changes_on_postgresql(event):
    """PostgreSQL has a trigger (migration audit 0002); SQLite relies on the app, which refuses above."""
    statements = ["UPDATE audit_auditevent SET view_name = 'x'", "DELETE FROM audit_auditevent"]
    for statement in statements:
        if connection.vendor == "postgresql":
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement)
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
                assert cursor.fetchone()[0] == 0  # no trigger: test databases are emptied with DELETE
    assert AuditEvent.objects.get().view_name == "patient_detail"


def test_the_admin_shows_the_trail_and_offers_no_way_to_change_it(admin_client, event):
    assert admin_client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert page.status_code == 200
    assert "Save" not in page.text
    assert admin_client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    )
    admin_client.post(reverse("admin:audit_auditevent_change", args=[event.pk]), {"view_name": "x"})
    admin_client.post(
        reverse("admin:audit_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert AuditEvent.objects.filter(pk=event.pk, view_name="patient_detail").exists()
    model_admin = admin.site._registry[AuditEvent]
    assert not model_admin.has_change_permission(None)
    assert not model_admin.has_delete_permission(None)
    assert not model_admin.has_add_permission(None)


def _concerns_patients(model) -> bool:
    return model is User or any(field.name == "patient" for field in model._meta.get_fields())


def test_every_admin_of_patient_records_is_audited():
    from tracker.models import FlagNotification

    audited = {
        model for model, model_admin in admin.site._registry.items() if isinstance(model_admin, AuditedAdminMixin)
    }
    about_patients = {model for model in admin.site._registry if _concerns_patients(model)} | {FlagNotification}
    about_patients.discard(AuditEvent)
    assert about_patients - audited == set()


def test_an_admin_look_at_a_patient_is_recorded_against_them(admin_client, clinic):
    admin_client.get(reverse("admin:tracker_user_change", args=[clinic.patient_a.pk]))
    row = AuditEvent.objects.get()
    assert (row.patient_id, row.view_name, row.actor_role) == (
        clinic.patient_a.pk,
        "admin:tracker_user_change",
        "staff",
    )
    assert (row.object_type, row.object_id) == ("tracker.user", str(clinic.patient_a.pk))


def test_an_admin_look_at_a_clinical_record_names_its_patient(admin_client, clinic):
    from tests.factories import CheckInFactory

    check_in = CheckInFactory(patient=clinic.patient_a)
    admin_client.get(reverse("admin:tracker_checkin_change", args=[check_in.pk]))
    assert AuditEvent.objects.get().patient_id == clinic.patient_a.pk


@pytest.mark.parametrize("page", ["history", "password_change"])
def test_the_admin_pages_of_a_patients_account_are_recorded_against_them(admin_client, clinic, page):
    admin_client.get(
        reverse(
            f"admin:tracker_user_{page}" if page == "history" else "admin:auth_user_password_change",
            args=[clinic.patient_a.pk],
        )
    )
    assert AuditEvent.objects.get().patient_id == clinic.patient_a.pk


def test_the_history_of_a_clinical_record_is_recorded_against_its_patient(admin_client, clinic):
    from tests.factories import CheckInFactory

    check_in = CheckInFactory(patient=clinic.patient_a)
    assert admin_client.get(reverse("admin:tracker_checkin_history", args=[check_in.pk])).status_code == 200
    version = check_in.history.first().history_id
    admin_client.get(reverse("admin:tracker_checkin_simple_history", args=[check_in.pk, version]))
    assert list(AuditEvent.objects.values_list("patient_id", flat=True)) == [clinic.patient_a.pk] * 2


def test_an_admin_change_to_a_patient_is_recorded_as_a_change(admin_client, clinic):
    link = clinic.patient_a.care_team_links.get(clinician=clinic.linked_physio)
    admin_client.post(
        reverse("admin:tracker_careteammembership_change", args=[link.pk]),
        {
            "patient": link.patient_id,
            "clinician": link.clinician_id,
            "started_at_0": link.started_at.date().isoformat(),
            "started_at_1": "09:00:00",
            "ended_at_0": "2099-01-02",
            "ended_at_1": "10:00:00",
        },
    )
    row = AuditEvent.objects.get()
    assert (row.action, row.patient_id) == (AuditAction.CHANGE, clinic.patient_a.pk)


def test_admin_pages_about_the_exercise_library_are_not_patient_records(admin_client):
    admin_client.get(reverse("admin:routines_exercise_changelist"))
    admin_client.get(reverse("admin:index"))
    assert not AuditEvent.objects.exists()


def test_adding_a_patient_in_the_admin_names_the_new_patient(admin_client, clinic):
    response = admin_client.post(
        reverse("admin:tracker_user_add"),
        {
            "username": "newpatient",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
            "usable_password": "true",
            "role": "patient",
            "clinic": clinic.patient_a.clinic_id,
            "condition": "neck",
            "time_zone": "Europe/London",
            "care_team_links-TOTAL_FORMS": "0",
            "care_team_links-INITIAL_FORMS": "0",
        },
    )
    patient = User.objects.filter(username="newpatient").first()
    assert patient is not None, response.context["adminform"].form.errors if response.context else response
    row = AuditEvent.objects.get()
    assert row.patient_id == patient.pk
    PatientFactory()  # an ordinary save elsewhere adds no row
    assert AuditEvent.objects.count() == 1
