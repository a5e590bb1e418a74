"""The engage domain's access matrix (see tests/domain_matrices.py for the shapes and who reads them).

Kinds as in the service desk's matrices: "object" (the first project's object: another project's staff get
403/404, another owner 404), "list" (200, nothing of the first project), "public" (no sign-in: the key is in
the URL). A kwarg "=value" is passed as that literal, otherwise it names an attribute of the `engage_world`
fixture (tests/engage/test_access.py); a form value "<attr>" is that attribute's pk. Entries with a role
rule name it in ROLE_RULES: the wrong role of the same project gets 403.
"""

OBJ, LIST, PUBLIC = "object", "list", "public"

CONSOLE: dict = {}

PORTAL: dict = {
    "notices": (LIST, ["GET"], {}, {}),
    "notices_unread": (LIST, ["GET"], {}, {}),
    "notice": (OBJ, ["GET"], {"notice_id": "notice"}, {}),
    "notice_by_token": (PUBLIC, ["GET"], {"token": "=not-a-real-token-0123456789"}, {}),
}

API_LISTS: dict = {}
API_OBJECTS: dict = {}

# Console URL name -> the roles of the same project that are refused (403).
ROLE_RULES: dict = {}
