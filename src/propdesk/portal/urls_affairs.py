"""Portal pages of the affairs domain, included into the portal's namespace by portal/urls.py."""

urlpatterns = []
