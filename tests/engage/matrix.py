"""The engage domain's access matrix (see tests/domain_matrices.py for the shapes and who reads them).

Kinds as in the service desk's matrices: "object" (the first project's object: another project's staff get
403/404, another owner 404), "list" (200, nothing of the first project), "public" (no sign-in: the key is in
the URL), "action" (200 or a redirect, acting on the user's own project only). A kwarg "=value" is passed as that literal, otherwise it names an attribute of the `engage_world`
fixture (tests/engage/test_access.py); a form value "<attr>" is that attribute's pk. Entries with a role
rule name it in ROLE_RULES: the wrong role of the same project gets 403.
"""

OBJ, LIST, PUBLIC, ACTION = "object", "list", "public", "action"

NOTICE = {"notice_id": "notice"}
ACTIVITY = {"activity_id": "activity"}
CUSTOMER = {"customer_id": "owner"}
MEETING = {"meeting_id": "meeting"}
VOTE = {"vote_id": "vote"}
DRAFT_VOTE = {"vote_id": "draft_vote"}
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
    # activities (item 2)
    "activities": (LIST, ["GET"], {}, [{}, {"status": "published"}]),
    "activity_add": (LIST, ["GET", "POST"], {}, {
        "project": "<project>", "title": "外人活动", "place": "x", "starts_at": "2099-01-02T10:00",
        "ends_at": "2099-01-02T12:00", "capacity": "5", "max_seats": "2", "signup_opens_at": "2099-01-01T08:00",
        "signup_closes_at": "2099-01-01T20:00"}),
    "activity": (OBJ, ["GET"], ACTIVITY, {}),
    "activity_edit": (OBJ, ["GET", "POST"], ACTIVITY, {"title": "改", "place": "x", "capacity": "9"}),
    "activity_publish": (OBJ, ["POST"], {"activity_id": "draft_activity"}, {}),
    "activity_cancel": (OBJ, ["GET", "POST"], ACTIVITY, {"reason": "外人取消"}),
    "activity_signup": (OBJ, ["POST"], ACTIVITY, {"phone": "13700003333", "seats": "1"}),
    "activity_door": (OBJ, ["GET", "POST"], ACTIVITY, {"typed": "13812345678"}),
    "activity_photos": (OBJ, ["POST"], ACTIVITY, {"caption": "外人"}),
    "activity_photo": (OBJ, ["GET"], {"photo_id": "photo"}, {}),
    "activity_record": (OBJ, ["GET", "POST"], ACTIVITY, {"record": "外人记录"}),
    "activity_export": (OBJ, ["GET"], ACTIVITY, {}),
    "signup_cancel": (OBJ, ["POST"], {"signup_id": "signup"}, {}),
    # points (item 3): another project's rules fall back to the user's own project
    "earn_rules": (ACTION, ["GET", "POST"], {}, [{"project": "<project>"}, {"project": "<project>",
                                                                         "points-survey": "999"}]),
    "rewards": (LIST, ["GET", "POST"], {}, {"project": "<project>", "name": "外人奖品", "cost": "1"}),
    "reward_edit": (OBJ, ["GET", "POST"], {"reward_id": "reward"}, {"name": "改", "cost": "1"}),
    "reward_restock": (OBJ, ["POST"], {"reward_id": "reward"}, {"quantity": "-5"}),
    "redemptions": (LIST, ["GET"], {}, [{}, {"status": "handed_over"}]),
    "redemption_act": (OBJ, ["POST"], {"redemption_id": "redemption", "action": "=cancel"}, {}),
    "customer_points": (OBJ, ["GET", "POST"], CUSTOMER, [{"form": "adjust", "adjust-amount": "-10",
                                                          "adjust-note": "外人"}]),
    "customer_engagement": (OBJ, ["GET"], CUSTOMER, {}),
    # the care calendar (item 4): another project's id falls back to the user's own project
    "care_calendar": (LIST, ["GET"], {}, [{}, {"project": "<project>"}]),
    "care_templates": (ACTION, ["GET", "POST"], {}, [{"project": "<project>", "text-birthday": "外人"}]),
    "care_greet": (OBJ, ["GET", "POST"], {"project_id": "project", "occasion": "=mid_autumn", "day": "=2027-09-15"},
                   {}),
    "customer_greetings": (OBJ, ["POST"], CUSTOMER, {"opt_out": "1"}),
    # the owners' assembly and committee, reports, votes (item 5)
    "meetings": (LIST, ["GET"], {}, {}),
    "meeting_add": (LIST, ["GET", "POST"], {}, {"project": "<project>", "body": "committee", "title": "外人会议",
                                                 "starts_at": "2099-01-01T10:00", "place": "x", "agenda": "x"}),
    "meeting": (OBJ, ["GET", "POST"], MEETING, {"form": "sign_in", "name": "外人", "capacity": "guest"}),
    "meeting_edit": (OBJ, ["GET", "POST"], MEETING, {"body": "committee", "title": "改", "place": "x", "agenda": "x",
                                                     "starts_at": "2099-01-01T10:00"}),
    "report_add": (LIST, ["GET", "POST"], {}, {"project": "<project>", "kind": "work", "title": "外人报告",
                                               "body": "x"}),
    "report_publish": (OBJ, ["POST"], {"report_id": "draft_report"}, {}),
    "report_file": (OBJ, ["GET"], {"report_id": "report"}, {}),
    "rules_of_procedure": (OBJ, ["GET", "POST"], {"project_id": "project"}, {"non_voters": "abstain"}),
    "votes": (LIST, ["GET"], {}, {}),
    "vote_add": (LIST, ["GET", "POST"], {}, {"project": "<project>", "title": "外人表决", "matters": "4 | 外人",
                                             "opens_at": "2099-01-01T10:00", "closes_at": "2099-01-02T10:00"}),
    "vote": (OBJ, ["GET"], VOTE, [{}, {"q": "1201"}]),
    "vote_edit": (OBJ, ["GET", "POST"], DRAFT_VOTE, {"title": "改", "matters": "4 | 改",
                                                     "opens_at": "2099-01-01T10:00", "closes_at": "2099-01-02T10:00"}),
    "vote_open": (OBJ, ["GET", "POST"], DRAFT_VOTE, {}),
    "vote_close": (OBJ, ["POST"], VOTE, {}),
    "vote_result_pdf": (OBJ, ["GET"], VOTE, {}),
    "vote_result_xlsx": (OBJ, ["GET"], VOTE, {}),
    "ballot_entry": (OBJ, ["GET", "POST"], {"elector_id": "elector"}, {"m<matter>": "against", "paper_ref": "外人"}),
    # public relations (item 6): a form naming the first project is invalid (200)
    "relations": (LIST, ["GET", "POST"], {}, [{"kind": "street_office"}, {"project": "<project>",
                                                                           "kind": "media", "name": "外人报社"}]),
    "outside_body": (OBJ, ["GET", "POST"], {"body_id": "outside_body"}, {"form": "contact", "contact-name": "外人"}),
    "dealing_settle": (OBJ, ["POST"], {"dealing_id": "dealing"}, {"note": "外人"}),
    "committee_letters": (LIST, ["GET"], {}, {}),
    "relations_export": (LIST, ["GET"], {}, [{}, {"letters": "1"}]),
}

PORTAL: dict = {
    "community": (LIST, ["GET"], {}, {}),
    "notices": (LIST, ["GET"], {}, {}),
    "notices_unread": (LIST, ["GET"], {}, {}),
    "notice": (OBJ, ["GET"], {"notice_id": "notice"}, {}),
    "notice_by_token": (PUBLIC, ["GET"], {"token": "=not-a-real-token-0123456789"}, {}),
    # a neighbour of the same project may open the activity (it is open to the whole project): see
    # OTHER_PROJECT_ONLY; nobody else's sign-up can be cancelled
    "activities": (LIST, ["GET"], {}, {}),
    "activity": (LIST, ["GET", "POST"], ACTIVITY, {"unit": "<unit>", "seats": "1", "phone": "13812345678",
                                                   "idempotency_key": "m1"}),
    "activity_photo": (LIST, ["GET"], {"activity_id": "finished_activity", "photo_id": "finished_photo"}, {}),
    "signup_cancel": (OBJ, ["POST"], {"signup_id": "signup"}, {}),
    "points": (LIST, ["GET"], {}, {}),
    "reward_redeem": (LIST, ["POST"], {"reward_id": "reward"}, {"quantity": "1", "idempotency_key": "m2"}),
    "care_settings": (LIST, ["GET", "POST"], {}, {"greet": "<owner>"}),
    # a vote of the whole project: a neighbour opens it as their own elector (never 王建国's ballot)
    "votes": (LIST, ["GET"], {}, {}),
    "vote": (LIST, ["GET", "POST"], VOTE, {"m<matter>": "against"}),
    "reports": (LIST, ["GET"], {}, {}),
    "published_report": (LIST, ["GET"], {"report_id": "report"}, {}),
    "published_report_file": (LIST, ["GET"], {"report_id": "report"}, {}),
}
# Object pages only for an owner of another project (the object is public within its project).
OTHER_PROJECT_ONLY = {"activity", "activity_photo", "reward_redeem", "vote", "published_report",
                      "published_report_file"}


# Console URL name -> the roles of the same project that are refused (403).
NOT_OFFICE = ["technician", "security", "cleaning"]
NOT_MANAGERS = ["front_desk", "butler", *NOT_OFFICE]
ROLE_RULES: dict = {
    "activity_edit": NOT_OFFICE, "activity_publish": NOT_OFFICE, "activity_cancel": NOT_OFFICE,
    "activity_signup": NOT_OFFICE, "activity_door": NOT_OFFICE, "activity_photos": NOT_OFFICE,
    "activity_record": NOT_OFFICE, "signup_cancel": NOT_OFFICE,
    "reward_edit": NOT_MANAGERS, "reward_restock": NOT_MANAGERS, "redemption_act": NOT_OFFICE,
    "notice_edit": NOT_OFFICE,
    "care_greet": NOT_OFFICE, "customer_greetings": NOT_OFFICE,
    "meeting_add": NOT_MANAGERS, "meeting_edit": NOT_MANAGERS, "report_add": NOT_MANAGERS,
    "report_publish": NOT_MANAGERS, "vote_add": NOT_MANAGERS, "vote_edit": NOT_MANAGERS, "vote_open": NOT_MANAGERS,
    "vote_close": NOT_MANAGERS, "ballot_entry": NOT_OFFICE, "dealing_settle": NOT_OFFICE,
    "notice_send": NOT_MANAGERS,
    "notice_withdraw": NOT_MANAGERS,
    "notice_resend": NOT_OFFICE,
}

E = "/api/v1/engage"
_PROJECT = lambda w: [{}, {"project": w.project.pk}]  # noqa: E731
API_LISTS: dict = {
    (f"{E}/notices", "get"): lambda w: [{}, {"project": w.project.pk}, {"status": "sent"}],
    (f"{E}/activities", "get"): lambda w: [{}, {"project": w.project.pk}, {"status": "published"}],
    (f"{E}/rewards", "get"): _PROJECT,
    (f"{E}/votes", "get"): _PROJECT,
    (f"{E}/relations/bodies", "get"): lambda w: [{}, {"project": w.project.pk}, {"kind": "owners_committee"}],
    (f"{E}/meetings", "get"): _PROJECT,
    (f"{E}/points/entries", "get"): lambda w: [{}, {"project": w.project.pk}, {"customer": w.owner.pk}],
}
API_OBJECTS: dict = {
    (f"{E}/notices", "post"): lambda w: ("/engage/notices", {
        "project": w.project.pk, "title": "外人通知", "body": "外人", "channels": ["board"]}),
    (f"{E}/notices/{{notice_id}}", "get"): lambda w: (f"/engage/notices/{w.notice.pk}", None),
    (f"{E}/notices/{{notice_id}}/send", "post"): lambda w: (f"/engage/notices/{w.draft.pk}/send", None),
    (f"{E}/notices/{{notice_id}}/resend", "post"): lambda w: (f"/engage/notices/{w.notice.pk}/resend",
                                                               {"channels": ["sms"]}),
    (f"{E}/notices/{{notice_id}}/withdraw", "post"): lambda w: (f"/engage/notices/{w.notice.pk}/withdraw", None),
    (f"{E}/notices/{{notice_id}}/receipts", "get"): lambda w: (f"/engage/notices/{w.notice.pk}/receipts", None),
    (f"{E}/activities/{{activity_id}}", "get"): lambda w: (f"/engage/activities/{w.activity.pk}", None),
    (f"{E}/activities/{{activity_id}}/signups", "get"): lambda w: (f"/engage/activities/{w.activity.pk}/signups",
                                                                    None),
    (f"{E}/activities/{{activity_id}}/check-ins", "post"): lambda w: (
        f"/engage/activities/{w.activity.pk}/check-ins", {"typed": "13812345678"}),
    (f"{E}/customers/{{customer_id}}/points", "get"): lambda w: (f"/engage/customers/{w.owner.pk}/points", None),
    (f"{E}/votes/{{vote_id}}", "get"): lambda w: (f"/engage/votes/{w.vote.pk}", None),
    (f"{E}/votes/{{vote_id}}/ballots/{{elector_id}}", "put"): lambda w: (
        f"/engage/votes/{w.vote.pk}/ballots/{w.elector.pk}", {"choices": {str(w.matter.pk): "against"},
                                                              "paper_ref": "外人"}),
    # the office side (api/engage_office.py): relations register, meetings, points awards
    (f"{E}/relations/bodies", "post"): lambda w: ("/engage/relations/bodies", {
        "project": w.project.pk, "kind": "police", "name": "外人派出所"}),
    (f"{E}/relations/bodies/{{body_id}}", "get"): lambda w: (f"/engage/relations/bodies/{w.outside_body.pk}", None),
    (f"{E}/relations/bodies/{{body_id}}/contacts", "post"): lambda w: (
        f"/engage/relations/bodies/{w.outside_body.pk}/contacts", {"name": "外人"}),
    (f"{E}/relations/bodies/{{body_id}}/dealings", "get"): lambda w: (
        f"/engage/relations/bodies/{w.outside_body.pk}/dealings", None),
    (f"{E}/relations/bodies/{{body_id}}/dealings", "post"): lambda w: (
        f"/engage/relations/bodies/{w.outside_body.pk}/dealings", {"kind": "visit", "date": "2026-01-05",
                                                                   "subject": "外人"}),
    (f"{E}/relations/dealings/{{dealing_id}}/settle", "post"): lambda w: (
        f"/engage/relations/dealings/{w.dealing.pk}/settle", {"note": "外人"}),
    (f"{E}/meetings", "post"): lambda w: ("/engage/meetings", {
        "project": w.project.pk, "title": "外人会议", "starts_at": "2026-01-05T10:00:00+08:00", "place": "外",
        "agenda": "外人"}),
    (f"{E}/meetings/{{meeting_id}}", "get"): lambda w: (f"/engage/meetings/{w.meeting.pk}", None),
    (f"{E}/meetings/{{meeting_id}}/sign-ins", "post"): lambda w: (f"/engage/meetings/{w.meeting.pk}/sign-ins",
                                                                   {"name": "外人", "capacity": "guest"}),
    (f"{E}/meetings/{{meeting_id}}/minutes", "put"): lambda w: (f"/engage/meetings/{w.meeting.pk}/minutes",
                                                                 {"minutes": "外人"}),
    (f"{E}/customers/{{customer_id}}/points/awards", "post"): lambda w: (
        f"/engage/customers/{w.owner.pk}/points/awards", {"reason": "suggestion", "note": "外人"}),
}
# API operations with a role rule: the wrong role of the same project gets 403 (nothing written).
API_ROLE_RULES: dict = {
    (f"{E}/notices", "post"): NOT_OFFICE,
    (f"{E}/notices/{{notice_id}}/send", "post"): NOT_MANAGERS,
    (f"{E}/notices/{{notice_id}}/withdraw", "post"): NOT_MANAGERS,
    (f"{E}/notices/{{notice_id}}/resend", "post"): NOT_OFFICE,
    (f"{E}/activities/{{activity_id}}/check-ins", "post"): NOT_OFFICE,
    (f"{E}/votes/{{vote_id}}/ballots/{{elector_id}}", "put"): NOT_OFFICE,
    (f"{E}/relations/bodies", "post"): NOT_OFFICE,
    (f"{E}/relations/bodies/{{body_id}}/contacts", "post"): NOT_OFFICE,
    (f"{E}/relations/bodies/{{body_id}}/dealings", "post"): NOT_OFFICE,
    (f"{E}/relations/dealings/{{dealing_id}}/settle", "post"): NOT_OFFICE,
    (f"{E}/meetings", "post"): NOT_MANAGERS,
    (f"{E}/meetings/{{meeting_id}}/sign-ins", "post"): NOT_OFFICE,
    (f"{E}/meetings/{{meeting_id}}/minutes", "put"): NOT_OFFICE,
    (f"{E}/customers/{{customer_id}}/points/awards", "post"): NOT_OFFICE,
}
