"""Console pages of the affairs domain, included into the console's namespace by console/urls.py."""

urlpatterns = []
