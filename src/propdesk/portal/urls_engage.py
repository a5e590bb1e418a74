"""Portal pages of the engage domain, included into the portal's namespace by portal/urls.py."""

urlpatterns = []
