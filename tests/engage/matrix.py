"""The engage domain's access matrix (see tests/domain_matrices.py for the shapes and who reads them).

Kinds as in the service desk's matrices: "object" (the first project's object: another project's staff get
403/404, another owner 404), "list" (200, nothing of the first project), "public" (no sign-in: the key is in
the URL). A kwarg "=value" is passed as that literal, otherwise it names an attribute of the `engage_world`
fixture (tests/engage/test_access.py); a form value "<attr>" is that attribute's pk. Entries with a role
rule name it in ROLE_RULES: the wrong role of the same project gets 403.
"""

OBJ, LIST, PUBLIC = "object", "list", "public"

NOTICE = {"notice_id": "notice"}
DRAFT = {"notice_id": "draft"}
NOTICE_POST = {"project": "<project>", "kind": "service_tip", "title": "外人通知", "body": "外人", "channels": "board",
               "roles": "owner", "buildings": "<building>", "segment": "<segment>"}

CONSOLE: dict = {
    # notices (issue 15 item 1): a form naming the first project (or its buildings, segments) is invalid (200)
    "notices": (LIST, ["GET"], {}, [{}, {"project": "<project>"}, {"status": "sent"}]),
    "notice_add": (LIST, ["GET", "POST"], {}, NOTICE_POST),
    "notice": (OBJ, ["GET"], NOTICE, {}),
    "notice_edit": (OBJ, ["GET", "POST"], DRAFT, {"kind": "service_tip", "title": "改", "body": "改",
                                                   "channels": "board", "roles": "owner"}),
    "notice_send": (OBJ, ["GET", "POST"], DRAFT, {}),
    "notice_unschedule": (OBJ, ["POST"], DRAFT, {}),
    "notice_resend": (OBJ, ["GET", "POST"], NOTICE, {"channels": "sms"}),
    "notice_withdraw": (OBJ, ["GET", "POST"], NOTICE, {}),
    "notice_rate": (OBJ, ["GET"], NOTICE, {}),
    "notice_recipients": (OBJ, ["GET"], NOTICE, [{}, {"unread": "1"}]),
    "notice_recipients_export": (OBJ, ["GET"], NOTICE, {}),
    "notice_pdf": (OBJ, ["GET"], NOTICE, {}),
    "segments": (LIST, ["GET"], {}, {}),
    "segment_add": (LIST, ["GET", "POST"], {}, {"project": "<project>", "name": "外人细分"}),
    "segment_edit": (OBJ, ["GET", "POST"], {"segment_id": "segment"}, {"name": "改名"}),
}

PORTAL: dict = {
    "community": (LIST, ["GET"], {}, {}),
    "notices": (LIST, ["GET"], {}, {}),
    "notices_unread": (LIST, ["GET"], {}, {}),
    "notice": (OBJ, ["GET"], {"notice_id": "notice"}, {}),
    "notice_by_token": (PUBLIC, ["GET"], {"token": "=not-a-real-token-0123456789"}, {}),
}

API_LISTS: dict = {}
API_OBJECTS: dict = {}

# Console URL name -> the roles of the same project that are refused (403).
NOT_OFFICE = ["technician", "security", "cleaning"]
NOT_MANAGERS = ["front_desk", "butler", *NOT_OFFICE]
ROLE_RULES: dict = {
    "notice_edit": NOT_OFFICE,
    "notice_send": NOT_MANAGERS,
    "notice_withdraw": NOT_MANAGERS,
    "notice_resend": NOT_OFFICE,
}
