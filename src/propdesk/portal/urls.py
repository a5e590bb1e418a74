from django.urls import path

from .views import auth, home

app_name = "portal"
urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.login, name="login"),
    path("logout/", auth.logout, name="logout"),
]
