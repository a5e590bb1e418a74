from propdesk.service import services, transitions
from propdesk.service.models import WorkOrder


def test_a_leak_goes_from_hotline_to_closure(occupancy, staff, technician, manager):
    wo, created = services.create_work_order(
        staff, project=occupancy.unit.project, kind="repair_home", channel="hotline",
        description="3栋1201卫生间天花板漏水，水一直往下滴", unit=occupancy.unit, requester=occupancy.customer)
    assert created and wo.state == "received"
    wo = transitions.transition(staff, wo, "dispatch", assignee=technician)
    wo = transitions.transition(technician, wo, "respond")
    wo = transitions.transition(technician, wo, "start")
    wo = transitions.transition(technician, wo, "resolve", note="更换了上层住户的排水管接头")
    wo = transitions.transition(staff, wo, "confirm")
    wo = transitions.transition(staff, wo, "callback", rating=5, note="很满意")
    wo = transitions.transition(staff, wo, "close")
    assert wo.state == WorkOrder.State.CLOSED
