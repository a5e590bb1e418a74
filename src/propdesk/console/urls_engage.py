"""Console pages of the engage domain, included into the console's namespace by console/urls.py."""

from django.urls import path

from .views.engage import activities, care, notices, points

urlpatterns = [
    # notices (issue 15 item 1)
    path("notices/", notices.notice_list, name="notices"),
    path("notices/new/", notices.notice_add, name="notice_add"),
    path("notices/<int:notice_id>/", notices.notice_detail, name="notice"),
    path("notices/<int:notice_id>/edit/", notices.notice_edit, name="notice_edit"),
    path("notices/<int:notice_id>/send/", notices.notice_send, name="notice_send"),
    path("notices/<int:notice_id>/unschedule/", notices.notice_unschedule, name="notice_unschedule"),
    path("notices/<int:notice_id>/resend/", notices.notice_resend, name="notice_resend"),
    path("notices/<int:notice_id>/withdraw/", notices.notice_withdraw, name="notice_withdraw"),
    path("notices/<int:notice_id>/rate/", notices.notice_rate, name="notice_rate"),
    path("notices/<int:notice_id>/receipts/", notices.notice_recipients, name="notice_recipients"),
    path("notices/<int:notice_id>/receipts.xlsx", notices.notice_recipients_export, name="notice_recipients_export"),
    path("notices/<int:notice_id>/print.pdf", notices.notice_pdf, name="notice_pdf"),
    path("segments/", notices.segment_list, name="segments"),
    path("segments/new/", notices.segment_edit, name="segment_add"),
    path("segments/<int:segment_id>/", notices.segment_edit, name="segment_edit"),
    # community activities (item 2)
    path("activities/", activities.activity_list, name="activities"),
    path("activities/new/", activities.activity_add, name="activity_add"),
    path("activities/<int:activity_id>/", activities.activity_detail, name="activity"),
    path("activities/<int:activity_id>/edit/", activities.activity_edit, name="activity_edit"),
    path("activities/<int:activity_id>/publish/", activities.activity_publish, name="activity_publish"),
    path("activities/<int:activity_id>/cancel/", activities.activity_cancel, name="activity_cancel"),
    path("activities/<int:activity_id>/signup/", activities.activity_signup, name="activity_signup"),
    path("activities/<int:activity_id>/door/", activities.activity_door, name="activity_door"),
    path("activities/<int:activity_id>/photos/", activities.activity_photos, name="activity_photos"),
    path("activities/<int:activity_id>/record/", activities.activity_record, name="activity_record"),
    path("activities/<int:activity_id>/signups.xlsx", activities.activity_export, name="activity_export"),
    path("activity-photos/<int:photo_id>/", activities.activity_photo, name="activity_photo"),
    path("signups/<int:signup_id>/cancel/", activities.signup_cancel, name="signup_cancel"),
    # points, rewards and the customer value (item 3)
    path("points/rules/", points.earn_rules, name="earn_rules"),
    path("points/rewards/", points.reward_list, name="rewards"),
    path("points/rewards/<int:reward_id>/", points.reward_edit, name="reward_edit"),
    path("points/rewards/<int:reward_id>/restock/", points.reward_restock, name="reward_restock"),
    path("points/redemptions/", points.redemption_list, name="redemptions"),
    path("points/redemptions/<int:redemption_id>/<str:action>/", points.redemption_act, name="redemption_act"),
    path("customers/<int:customer_id>/points/", points.customer_points, name="customer_points"),
    path("customers/<int:customer_id>/engagement/", points.customer_engagement, name="customer_engagement"),
    # the care calendar (item 4)
    path("care/", care.care_calendar, name="care_calendar"),
    path("care/texts/", care.care_templates, name="care_templates"),
    path("care/<int:project_id>/<str:occasion>/<str:day>/greet/", care.care_greet, name="care_greet"),
    path("customers/<int:customer_id>/greetings/", care.customer_greetings, name="customer_greetings"),
]
