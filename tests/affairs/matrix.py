"""The affairs domain's access matrix (see tests/domain_matrices.py for the shapes and who reads them).

Console kinds: "object" (kwargs name the first project's objects: another project's staff get 403/404),
"list" (200 with nothing of the first project; a form naming the first project is invalid). A kwarg
"=value" is a literal; a form value "<attr>" is the pk of that attribute of the world (tests/affairs/world.py).
"""

from django.utils import timezone

OBJ, LIST = "object", "list"
H, R, P = {"handover_id": "handover"}, {"renovation_id": "renovation"}, {"pass_id": "release_pass"}
UNIT_PERSON = {"project": "<project>", "unit": "3-2-1201", "customer": "王建"}

CONSOLE: dict = {
    "affairs_handovers": (LIST, ["GET", "POST"], {}, {**UNIT_PERSON, "kind": "move_in", "date": "2027-01-05"}),
    "affairs_handover": (OBJ, ["GET"], H, {}),
    "affairs_settings": (LIST, ["GET", "POST"], {}, [{}, {
        "project": "<project>", "patrol_interval_days": "5", "unclaimed_notice_days": "3", "disposal_days": "60",
        "checklist_keys": "外人钥匙 1"}]),
    "affairs_handover_add_line": (OBJ, ["POST"], H, {"name": "外人"}),
    "affairs_handover_sign": (OBJ, ["POST"], H, {"signed_by": "外人"}),
    "affairs_handover_line": (OBJ, ["POST"], {"line_id": "line"}, {"status": "ok", "quantity": "1"}),
    "affairs_handover_pdf": (OBJ, ["GET"], H, {}),
    "affairs_renovations": (LIST, ["GET", "POST"], {}, [{}, {"status": "active"}, {
        **UNIT_PERSON, "scope": "x", "contractor": "x", "foreman": "x", "foreman_phone": "13512345678",
        "planned_start": "2030-01-01", "planned_end": "2030-02-01"}]),
    "affairs_renovation": (OBJ, ["GET"], R, {}),
    "affairs_renovation_files": (OBJ, ["POST"], R, {}),
    "affairs_renovation_file": (OBJ, ["GET"], {"file_id": "renovation_file"}, {}),
    "affairs_renovation_review": (OBJ, ["POST"], R, {"decision": "approve"}),
    "affairs_renovation_agreement": (OBJ, ["POST"], R, {"signed_by": "x", "deposit": "1", "deposit_receipt": "x"}),
    "affairs_renovation_permit": (OBJ, ["POST"], R, {"location": "x", "work": "x", "starts_at": "2030-01-01T08:00",
                                                      "ends_at": "2030-01-01T18:00", "fire_watch": "x",
                                                      "extinguisher_checked": "on"}),
    "affairs_renovation_accept": (OBJ, ["POST"], R, {"items": "水电"}),
    "affairs_renovation_refund": (OBJ, ["POST"], R, {"voucher": "x"}),
    "affairs_renovation_pdf": (OBJ, ["GET"], R, {}),
    "affairs_patrols": (LIST, ["GET"], {}, {}),
    "affairs_patrol": (OBJ, ["GET", "POST"], R, {"result": "ok"}),
    "affairs_recheck": (OBJ, ["POST"], {"rectification_id": "rectification"}, {"passed": "1"}),
    "affairs_passes": (LIST, ["GET", "POST"], {}, [{}, {**UNIT_PERSON, "carrier": "x", "date": "2030-01-01",
                                                        "items": "桌子 1"}]),
    "affairs_pass": (OBJ, ["GET"], P, {}),
    "affairs_pass_authorise": (OBJ, ["POST"], P, {"owner": "<owner>", "id_last4": "1234", "phone": "1381234",
                                                  "granted": "on"}),
    "affairs_pass_cancel": (OBJ, ["POST"], P, {}),
    "affairs_pass_pdf": (OBJ, ["GET"], P, {}),
    "affairs_register": (LIST, ["GET"], {}, [{}, {"project": "<project>"}]),
    "gate": (LIST, ["GET"], {}, [{}, {"q": "3-2-1201"}, {"q": "<release_pass.number>"}]),
    "gate_release": (OBJ, ["POST"], P, {}),
    "gate_plate": (LIST, ["GET"], {}, [{"q": "粤B6K78"}, {"q": "粤B"}]),
    "gate_visitors": (LIST, ["GET", "POST"], {}, {"project": "<project>", "unit": "3-2-1201", "name": "外人",
                                                  "people": "1"}),
    "gate_visitor_recall": (OBJ, ["GET"], {}, {"project": "<project>", "phone": "13311112222"}),
    "gate_visit_checkout": (OBJ, ["POST"], {"visit_id": "visit"}, {}),
    "affairs_parking": (LIST, ["GET", "POST"], {}, [{}, {"project": "<project>"}, {
        "project": "<project>", "number": "X-1", "zone": "x", "kind": "rented"}]),
    "affairs_space": (OBJ, ["GET", "POST"], {"space_id": "space"}, {"unit": "3-2-1201", "customer": "王建",
                                                                     "kind": "owned", "start_date": "2030-01-01",
                                                                     "plates": "粤B99999"}),
    "affairs_allocation_end": (OBJ, ["POST"], {"allocation_id": "allocation"}, {}),
    "affairs_allocation_pdf": (OBJ, ["GET"], {"allocation_id": "allocation"}, {}),
    "affairs_found": (LIST, ["GET", "POST"], {}, [{}, {"status": "held"}, {
        "project": "<project>", "description": "x", "place": "x", "found_at": "2026-01-01T08:00", "kept_at": "x"}]),
    "affairs_found_item": (OBJ, ["GET", "POST"], {"item_id": "found_item"}, {
        "claimant_name": "外人", "id_type": "resident_id", "id_number": "110101199001011234",
        "described_contents": "x", "paper_reference": "x"}),
    "affairs_found_dispose": (OBJ, ["POST"], {"item_id": "found_item"}, {"note": "x"}),
    "affairs_claim_signature": (OBJ, ["GET"], {"item_id": "found_item"}, {}),
    "affairs_photo": (OBJ, ["GET"], {"photo_id": "photo"}, {}),
    "affairs_export": (LIST, ["GET"], {"register": "=releases"}, [{}, {"project": "<project>"}]),
}
# Every register of the export, not only the one above (see test_console_access.py).
REGISTERS = ("handovers", "renovations", "permits", "patrols", "releases", "parking", "visitors", "found")
# Portal kinds: "object" (another owner gets 404), "list" (200 or a redirect within the portal, nothing of
# the first owner's; a form naming the first owner's home is invalid).
PORTAL: dict = {
    "affairs": (LIST, ["GET"], {}, {}),
    "affairs_handover": (OBJ, ["GET"], H, {}),
    "affairs_renovation_apply": (LIST, ["GET", "POST"], {}, {
        "unit": "<unit>", "scope": "x", "contractor": "x", "foreman": "x", "foreman_phone": "13512345678",
        "planned_start": "2030-01-01", "planned_end": "2030-02-01"}),
    "affairs_renovation": (OBJ, ["GET"], R, {}),
    "affairs_renovation_files": (OBJ, ["POST"], R, {}),
    "affairs_renovation_file": (OBJ, ["GET"], {"file_id": "renovation_file"}, {}),
    "affairs_pass_apply": (LIST, ["GET", "POST"], {}, {"unit": "<unit>", "carrier": "x", "date": "2030-01-01",
                                                       "items": "桌子 1"}),
    "affairs_pass": (OBJ, ["GET", "POST"], P, {"decision": "grant"}),
    "affairs_hold": (OBJ, ["POST"], {"unit_id": "unit"}, {"on": "1"}),
    "affairs_visitors": (LIST, ["GET", "POST"], {}, {"unit": "<unit>", "visitor_name": "外人", "date": "2030-01-01",
                                                     "people": "1"}),
    "affairs_found": (LIST, ["GET"], {}, {}),
}

# API: lists with the query parameters to try (none may answer a row of the first project), and the other
# operations with a body aimed at the first project's objects (another project's staff: 403/404).
A = "/api/v1/affairs"
_PROJECT = lambda w: [{}, {"project": w.project.pk}]  # noqa: E731
API_LISTS = {
    (f"{A}/handovers", "get"): _PROJECT,
    (f"{A}/renovations", "get"): _PROJECT,
    (f"{A}/permits", "get"): _PROJECT,
    (f"{A}/passes", "get"): _PROJECT,
    (f"{A}/release-register", "get"): _PROJECT,
    (f"{A}/parking/spaces", "get"): _PROJECT,
    (f"{A}/parking/allocations", "get"): _PROJECT,
    (f"{A}/visits", "get"): _PROJECT,
    (f"{A}/found-items", "get"): _PROJECT,
    (f"{A}/patrols/due", "get"): _PROJECT,
    (f"{A}/preregistrations", "get"): lambda w: [{}, {"project": w.project.pk},
                                                 {"date": timezone.localdate().isoformat()}],
    (f"{A}/plates", "get"): lambda w: [{"plate": "粤B6K78"}, {"plate": "粤B"}],
}
API_OBJECTS = {
    (f"{A}/handovers/{{handover_id}}", "get"): lambda w: (f"/affairs/handovers/{w.handover.pk}", None),
    (f"{A}/handovers", "post"): lambda w: ("/affairs/handovers", {"unit": w.unit.pk, "customer": w.owner.pk}),
    (f"{A}/renovations/{{renovation_id}}/patrols", "post"): lambda w: (
        f"/affairs/renovations/{w.renovation.pk}/patrols", {"result": "ok"}),
    (f"{A}/renovations", "post"): lambda w: ("/affairs/renovations", {
        "unit": w.unit.pk, "applicant": w.owner.pk, "scope": "冒名", "contractor": "x", "foreman": "x",
        "foreman_phone": "13512345678", "planned_start": "2030-01-01", "planned_end": "2030-02-01"}),
    (f"{A}/renovations/{{renovation_id}}", "get"): lambda w: (f"/affairs/renovations/{w.renovation.pk}", None),
    (f"{A}/renovation-files/{{file_id}}", "get"): lambda w: (f"/affairs/renovation-files/{w.renovation_file.pk}",
                                                              None),
    (f"{A}/renovations/{{renovation_id}}/permits", "post"): lambda w: (
        f"/affairs/renovations/{w.renovation.pk}/permits", {
            "location": "x", "work": "x", "starts_at": "2030-01-01T08:00:00+08:00",
            "ends_at": "2030-01-01T18:00:00+08:00", "fire_watch": "x", "extinguisher_checked": True}),
    (f"{A}/passes", "post"): lambda w: ("/affairs/passes", {
        "unit": w.unit.pk, "applicant": w.owner.pk, "carrier": "x", "items": [{"name": "桌子", "quantity": 1}]}),
    (f"{A}/passes/{{pass_id}}", "get"): lambda w: (f"/affairs/passes/{w.release_pass.pk}", None),
    (f"{A}/gate/check", "get"): lambda w: (f"/affairs/gate/check?number={w.release_pass.number}", None),
    (f"{A}/passes/{{pass_id}}/releases", "post"): lambda w: (
        f"/affairs/passes/{w.release_pass.pk}/releases",
        {"items": [{"item": w.release_pass.items.get().pk, "quantity": 1}]}),
    (f"{A}/parking/allocations", "post"): lambda w: ("/affairs/parking/allocations", {
        "space": w.space.pk, "unit": w.unit.pk, "customer": w.owner.pk, "start_date": "2030-01-01",
        "plates": "粤B99999"}),
    (f"{A}/visits", "post"): lambda w: ("/affairs/visits", {"project": w.project.pk, "unit": "3-2-1201",
                                                             "name": "冒名"}),
    (f"{A}/visits/{{visit_id}}/checkout", "post"): lambda w: (f"/affairs/visits/{w.visit.pk}/checkout", {}),
    (f"{A}/found-items", "post"): lambda w: ("/affairs/found-items", {
        "project": w.project.pk, "description": "x", "place": "x", "found_at": "2026-01-01T08:00:00+08:00",
        "kept_at": "x"}),
    (f"{A}/found-items/{{item_id}}", "get"): lambda w: (f"/affairs/found-items/{w.found_item.pk}", None),
    (f"{A}/found-items/{{item_id}}/claim", "post"): lambda w: (f"/affairs/found-items/{w.found_item.pk}/claim", {
        "claimant_name": "冒领", "id_number": "110101199001011234", "described_contents": "x",
        "paper_reference": "x"}),
    (f"{A}/rectifications/{{rectification_id}}/recheck", "post"): lambda w: (
        f"/affairs/rectifications/{w.rectification.pk}/recheck", {"passed": True}),
}
