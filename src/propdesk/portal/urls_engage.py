"""Portal pages of the engage domain, included into the portal's namespace by portal/urls.py."""

from django.urls import path

from .views.engage import activities, care, hub, notices, points, votes

urlpatterns = [
    path("community/", hub.community, name="community"),
    # notices (issue 15 item 1); the SMS link opens a notice without signing in: the token is the key
    path("notices/", notices.notice_list, name="notices"),
    path("notices/unread/", notices.unread_banner, name="notices_unread"),
    path("notices/<int:notice_id>/", notices.notice_detail, name="notice"),
    path("n/<str:token>/", notices.notice_by_token, name="notice_by_token"),
    # activities (item 2) and points (item 3)
    path("activities/", activities.activity_list, name="activities"),
    path("activities/<int:activity_id>/", activities.activity_detail, name="activity"),
    path("activities/<int:activity_id>/photos/<int:photo_id>/", activities.activity_photo, name="activity_photo"),
    path("signups/<int:signup_id>/cancel/", activities.signup_cancel, name="signup_cancel"),
    path("points/", points.points, name="points"),
    path("rewards/<int:reward_id>/redeem/", points.reward_redeem, name="reward_redeem"),
    # greetings (item 4)
    path("greetings/", care.care_settings, name="care_settings"),
    # votes and reports (item 5)
    path("votes/", votes.vote_list, name="votes"),
    path("votes/<int:vote_id>/", votes.vote_detail, name="vote"),
    path("reports/", votes.report_list, name="reports"),
    path("reports/<int:report_id>/", votes.report_detail, name="published_report"),
    path("reports/<int:report_id>/file/", votes.report_file, name="published_report_file"),
]
