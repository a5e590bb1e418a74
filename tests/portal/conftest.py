import re

import pytest

from propdesk.notify.models import Notification


def sent_code(phone: str) -> str:
    """The code in the latest sign-in SMS to `phone` (what the owner reads on their phone)."""
    row = Notification.objects.filter(address=phone, event="portal.login_code").latest("id")
    return re.search(r"\d{6}", row.params["body"]["code"] if "body" in row.params else row.body).group(0)


def sign_in(client, phone: str):
    client.post("/portal/login/", {"phone": phone})
    return client.post("/portal/login/", {"phone": phone, "code": sent_code(phone)})


@pytest.fixture
def owner_client(client, occupancy):
    """A browser signed in as 王建国, owner of 3-2-1201 (13812345678)."""
    response = sign_in(client, "13812345678")
    assert response.status_code == 302
    return client
