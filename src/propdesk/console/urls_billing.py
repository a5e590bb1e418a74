"""Console pages of the billing domain, included into the console's namespace by console/urls.py."""

urlpatterns = []
