"""Console pages of the engage domain, included into the console's namespace by console/urls.py."""

urlpatterns = []
