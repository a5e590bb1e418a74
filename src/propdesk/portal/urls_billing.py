"""Portal pages of the billing domain, included into the portal's namespace by portal/urls.py."""

urlpatterns = []
