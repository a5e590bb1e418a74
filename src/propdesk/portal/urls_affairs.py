"""Portal pages of the affairs domain, included into the portal's namespace by portal/urls.py."""

from django.urls import path

from .views import affairs

urlpatterns = [
    path("affairs/", affairs.affairs_home, name="affairs"),
    path("affairs/handovers/<int:handover_id>/", affairs.handover_detail, name="affairs_handover"),
    path("affairs/renovations/new/", affairs.renovation_apply, name="affairs_renovation_apply"),
    path("affairs/renovations/<int:renovation_id>/", affairs.renovation_detail, name="affairs_renovation"),
    path("affairs/renovations/<int:renovation_id>/files/", affairs.renovation_files, name="affairs_renovation_files"),
    path("affairs/renovation-files/<int:file_id>/", affairs.renovation_file, name="affairs_renovation_file"),
    path("affairs/passes/new/", affairs.pass_apply, name="affairs_pass_apply"),
    path("affairs/passes/<int:pass_id>/", affairs.pass_detail, name="affairs_pass"),
    path("affairs/homes/<int:unit_id>/hold/", affairs.hold, name="affairs_hold"),
    path("affairs/visitors/", affairs.visitor_preregister, name="affairs_visitors"),
    path("affairs/found/", affairs.found_notices, name="affairs_found"),
]
