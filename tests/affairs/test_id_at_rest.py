"""Visitors' and claimants' ID numbers at rest: encrypted, found by keyed hash only, nowhere in clear (item 5, 6).

Extends tests/archive/test_id_at_rest.py to public affairs: every column of every table is read past
the ORM after a visitor and a claimant have given their ID numbers."""

import pytest
from django.utils import timezone

from propdesk.affairs import lost_found, visitors
from tests.archive.test_id_at_rest import raw_database_text

pytestmark = pytest.mark.django_db
VISITOR_ID = "440301198506061117"
CLAIMANT_ID = "32010219880303456X"


def test_no_visitor_or_claimant_id_number_is_stored_in_clear(guard, staff, project, unit):
    visit = visitors.register_visit(guard, project, unit_text="3-2-1201", name="孙来访", id_number=VISITOR_ID)
    item = lost_found.register_item(guard, project, description="钱包", place="大堂", kept_at="岗亭",
                                    found_at=timezone.now())
    claim = lost_found.claim_item(staff, item, claimant_name="周失主", id_type="resident_id",
                                  id_number=CLAIMANT_ID.lower(), described_contents="身份证和银行卡",
                                  paper_reference="LQ-1")
    text = raw_database_text()
    for clear in (VISITOR_ID, CLAIMANT_ID, CLAIMANT_ID.lower(), VISITOR_ID[2:-2], CLAIMANT_ID[2:-2]):
        assert clear not in text
    assert visit.visitor.id_number_mask in text and claim.id_number_mask == "3201**********456X"
    visit.visitor.refresh_from_db()
    assert visit.visitor.id_number == VISITOR_ID
