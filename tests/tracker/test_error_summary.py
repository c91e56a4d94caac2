"""The error summary every form shows when it did not go through (templates/includes/form_errors.html)."""

import re

import pytest
from django.urls import reverse

from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_a_check_in_with_answers_missing_lists_each_one_linked_to_its_question(client):
    patient = PatientFactory()
    client.force_login(patient)
    day = patient.local_today().isoformat()
    response = client.post(reverse("checkin", args=[day]), {"submission_token": "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f"})
    page = response.text
    summary = re.search(r'<div class="error-summary" tabindex="-1" data-error-summary>(.*?)</ul>', page, re.S)
    assert summary, "no error summary"
    targets = re.findall(r'<a href="#([^"]+)">', summary.group(1))
    assert targets, "the summary links to no field"
    # Each link leads to a control that is on the page: for a group of tiles, its first choice.
    for target in targets:
        assert f'id="{target}"' in page, target
    assert "id_neck_back_pain_0" in targets


def test_a_failed_sign_in_shows_the_problem_in_the_summary_without_a_list_of_fields(client):
    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    assert "data-error-summary" in response.text
    assert "There is a problem" in response.text
    summary = response.text.split("data-error-summary", 1)[1].split("</div>\n</div>", 1)[0]
    assert "<ul>" not in summary
