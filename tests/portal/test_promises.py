"""The published promises: generated from the project's limits, with the service center's phone and hours
(the portal issue, item 6)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from propdesk.service.models import SlaPolicy
from propdesk.service.promises import published_promises

PROMISES = reverse("portal:promises")


@pytest.fixture
def center(project):
    project.phone = "0731-88886666"
    project.service_hours = "08:00–20:00；24小时值班电话"
    project.save()
    return project


def page(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(PROMISES).content.decode()


def test_the_defaults_of_the_brief_in_english(owner_client, center):
    body = page(owner_client, "en")
    assert "response within 30 minutes" in body
    assert "Normal repairs and inquiries: response within 2 hours" in body
    assert "General complaints: resolved within 24 hours" in body
    assert "Complex complaints: resolved within 72 hours" in body
    assert "answered within 3 days" in body
    assert "0731-88886666" in body and "08:00–20:00；24小时值班电话" in body


def test_the_page_follows_the_projects_limits_in_chinese(owner_client, center):
    SlaPolicy.objects.create(project=center, emergency_response_minutes=20, complaint_general_hours=12)
    body = page(owner_client, "zh-hans")
    with translation.override("zh-hans"):
        lines = [p.text for p in published_promises(center)]
    assert lines[0] in body and lines[2] in body
    assert "20分钟" in lines[0] and "30分钟" not in body
    assert "12小时" in lines[2]


def test_the_page_follows_the_projects_limits_in_english(owner_client, center):
    SlaPolicy.objects.create(project=center, emergency_response_minutes=20, normal_response_minutes=90)
    body = page(owner_client, "en")
    assert "response within 20 minutes" in body and "response within 90 minutes" in body
    assert "30 minutes" not in body


def test_a_tenant_with_homes_in_two_projects_sees_both(client, center, other_project, occupancy):
    from tests.factories import OccupancyFactory, UnitFactory
    from tests.portal.conftest import sign_in

    OccupancyFactory(unit=UnitFactory(building__project=other_project), customer__phones=["13812345678"],
                     customer__project=other_project, role="tenant")
    sign_in(client, "13812345678")
    body = page(client, "en")
    assert center.name in body and other_project.name in body
