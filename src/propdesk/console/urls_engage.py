"""Console pages of the engage domain, included into the console's namespace by console/urls.py."""

from django.urls import path

from .views.engage import notices

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
]
