"""Login and logout with the console's templates; login attempts are rate-limited."""

from django.contrib.auth import views as auth_views

from ..forms import LoginForm
from ..navigation import landing_url


class LoginView(auth_views.LoginView):
    template_name = "console/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Each role lands on its daily page (console.navigation.LANDING) unless ?next= says otherwise."""
        return landing_url(self.request.user)


class LogoutView(auth_views.LogoutView):
    """POST only (Django's rule): the user menu posts a small form with the CSRF token."""
