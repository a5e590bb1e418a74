"""The console lists' one helper (console/views/listing.py): a filter value outside its choices lists everything,
a valid one narrows the list, and the rows come a page at a time."""

import pytest
from django.urls import reverse

from propdesk.engage.notices import services

pytestmark = pytest.mark.django_db


def test_a_list_is_filtered_by_known_values_only_and_paginated(client, homes, manager, project):
    for n in range(51):
        services.save_notice(manager, project, {"kind": "service_tip", "title": f"温馨提示{n:02d}", "body": "x",
                                                "channels": ["board"]})
    client.force_login(manager)
    url = reverse("console:notices")
    first = client.get(url).content.decode()
    assert "温馨提示50" in first and "温馨提示00" not in first  # 50 a page, newest first
    assert "温馨提示00" in client.get(url, {"page": 2}).content.decode()
    assert "温馨提示50" in client.get(url, {"status": "no-such-status", "project": "x"}).content.decode()
    assert "温馨提示50" not in client.get(url, {"status": "sent"}).content.decode()
    assert "温馨提示50" not in client.get(url, {"project": project.pk + 1000}).content.decode()
