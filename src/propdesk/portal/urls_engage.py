"""Portal pages of the engage domain, included into the portal's namespace by portal/urls.py."""

from django.urls import path

from .views.engage import hub, notices

urlpatterns = [
    path("community/", hub.community, name="community"),
    # notices (issue 15 item 1); the SMS link opens a notice without signing in: the token is the key
    path("notices/", notices.notice_list, name="notices"),
    path("notices/unread/", notices.unread_banner, name="notices_unread"),
    path("notices/<int:notice_id>/", notices.notice_detail, name="notice"),
    path("n/<str:token>/", notices.notice_by_token, name="notice_by_token"),
]
