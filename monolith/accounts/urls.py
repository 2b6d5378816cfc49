"""Sign-in, sign-out and sign-up pages, mounted at /accounts/."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    # Signing out changes state, so Django accepts it by POST only (base.html's form).
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
]
