"""A project's own settings of public affairs (issue 13, items 1, 2, 6): its managers set the handover
checklist and the numbers of days on one page; a bad line changes nothing; other roles only read."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from propdesk.affairs import configuration, handover
from propdesk.affairs.models import AffairsSettings, ChecklistItem
from propdesk.core.timeline import events_for

pytestmark = pytest.mark.django_db

NUMBERS = {"patrol_interval_days": 3, "unclaimed_notice_days": 10, "disposal_days": 90}
CHECKLIST = [("keys", "入户门钥匙", 4), ("documents", "业主手册", 1), ("meters", "水表读数", None)]


def test_managers_set_the_checklist_and_the_numbers_together(manager, project, unit, owner, staff):
    configuration.configure(manager, project, checklist=CHECKLIST, **NUMBERS)
    s = AffairsSettings.objects.get(project=project)
    assert (s.patrol_interval_days, s.unclaimed_notice_days, s.disposal_days) == (3, 10, 90)
    h = handover.start_handover(staff, unit=unit, customer=owner)
    assert list(h.lines.values_list("name", "expected_quantity")) == [("入户门钥匙", 4), ("业主手册", 1), ("水表读数", None)]
    assert events_for(project).filter(verb="affairs.settings.changed").exists()


def test_a_bad_checklist_leaves_the_numbers_unchanged(manager, project):
    with pytest.raises(ValidationError):
        configuration.configure(manager, project, checklist=[("keys", "钥匙", 1), ("keys", "钥匙", 2)], **NUMBERS)
    assert not AffairsSettings.objects.exists() and not ChecklistItem.objects.exists()


@pytest.mark.parametrize(("field", "value"), [("patrol_interval_days", 0), ("unclaimed_notice_days", 91),
                                              ("disposal_days", 10)])
def test_numbers_out_of_range_or_disposal_before_posting_are_refused(manager, project, field, value):
    with pytest.raises(ValidationError) as exc:
        configuration.configure(manager, project, checklist=CHECKLIST, **{**NUMBERS, field: value})
    assert field in exc.value.message_dict and not AffairsSettings.objects.exists()


def test_the_desk_cannot_change_them(staff, project):
    with pytest.raises(PermissionDenied):
        configuration.configure(staff, project, checklist=CHECKLIST, **NUMBERS)


def test_the_page_shows_the_default_checklist_then_saves_the_projects_own(client, manager, project):
    client.force_login(manager)
    url = reverse("console:affairs_settings")
    page = client.get(url).content.decode()
    assert "data-default-checklist" in page and "入户门钥匙 3" in page
    response = client.post(f"{url}?project={project.pk}", {
        "project": project.pk, "patrol_interval_days": "4", "unclaimed_notice_days": "7", "disposal_days": "180",
        "checklist_keys": "入户门钥匙 2\n车库遥控器 1", "checklist_meters": "电表读数", "checklist_documents": "",
        "checklist_fittings": "", "checklist_other": ""})
    assert response.status_code == 302
    assert list(ChecklistItem.objects.values_list("group", "name", "quantity")) == [
        ("keys", "入户门钥匙", 2), ("keys", "车库遥控器", 1), ("meters", "电表读数", None)]
    page = client.get(response["Location"]).content.decode()
    assert "data-default-checklist" not in page and "车库遥控器 1" in page
