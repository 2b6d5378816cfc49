"""Sign-in and sign-up pages: Django's LoginView, and a sign-up form beside it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters

from monolith.shop import Refused, shop_for

from .forms import RegisterForm, SignInForm

WELCOME = "Welcome, {username}! Your account is ready."
SIGNED_IN = "Signed in as {username}."


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        # The shop's login(): Django's, and in services mode the user's tokens too.
        user = form.get_user()
        shop_for(self.request).login(user)
        messages.success(self.request, SIGNED_IN.format(username=user.username))
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The demo users' passwords are shown on a developer's machine only.
        context["show_demo_users"] = settings.DEBUG
        return context


@sensitive_post_parameters("password1", "password2")
def register(request):
    """Sign up, sign in at once, and go on to ``next`` (or the shop)."""
    next_url = request.POST.get("next", request.GET.get("next", ""))
    if request.method == "POST":
        form = RegisterForm(request.POST)
        if form.is_valid():
            shop = shop_for(request)
            try:
                user = shop.register(
                    username=form.cleaned_data["username"],
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                )
            except Refused as exc:  # services mode: the gateway checks again
                form.add_refusal(exc)
            else:
                shop.login(user)
                messages.success(request, WELCOME.format(username=user.username))
                return redirect(_safe_next_url(request, next_url))
    else:
        form = RegisterForm()
    return render(request, "accounts/register.html", {"form": form, "next": next_url})


def _safe_next_url(request, next_url: str) -> str:
    # Never redirect off-site: a crafted ?next= link is a classic phishing trick.
    is_safe = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return next_url if is_safe else settings.LOGIN_REDIRECT_URL
