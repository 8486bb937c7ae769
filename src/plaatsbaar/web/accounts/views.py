"""Log-in (password, then a code when the user has a second factor) and setting up TOTP."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from plaatsbaar.web.accounts.forms import CodeForm
from plaatsbaar.web.accounts.services import (
    code_allowed_now,
    confirm_device,
    confirmed_device,
    device_to_confirm,
    finish_login,
    pending_login,
    qr_svg,
    remove_device,
    start_pending_login,
    typed_key,
)

WRONG_CODE = "Deze code klopt niet of is al gebruikt. Wacht op de volgende code in je app en probeer opnieuw."
TOO_FAST = "Te veel verkeerde codes; wacht een paar seconden en probeer opnieuw."


class LoginView(auth_views.LoginView):
    """Step 1: username and password. With a confirmed second factor, on to the code
    (the user is not logged in yet)."""

    def form_valid(self, form):
        user = form.get_user()
        if confirmed_device(user) is None:
            return super().form_valid(form)
        start_pending_login(self.request.session, user, self.get_success_url())
        return redirect("accounts:code")


def code(request):
    """Step 2: the code from the authenticator app; back to step 1 when nothing is pending."""
    pending = pending_login(request.session)
    if pending is None:  # none, expired or too many wrong codes: the password again
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not code_allowed_now(pending.user):
            form.add_error("code", TOO_FAST)
        elif finish_login(request, pending, form.cleaned_data["code"]):
            return redirect(pending.next_url)
        else:
            form.add_error("code", WRONG_CODE)
    return render(request, "accounts/code.html", {"form": form})


@login_required
def second_factor(request):
    """Set up TOTP (QR code and key, confirmed with a first code), or turn it off with a code."""
    device = confirmed_device(request.user)
    form = CodeForm(request.POST or None)
    if device is not None:
        if request.method == "POST" and form.is_valid():
            if remove_device(request, form.cleaned_data["code"]):
                messages.success(request, "Tweestapsverificatie staat uit.")
                return redirect("accounts:second_factor")
            form.add_error("code", WRONG_CODE)
        return render(request, "accounts/second_factor.html", {"device": device, "form": form})
    pending = device_to_confirm(request.user)
    if request.method == "POST" and form.is_valid():
        if confirm_device(request, pending, form.cleaned_data["code"]):
            messages.success(request, "Tweestapsverificatie staat aan. Bij het inloggen vragen we voortaan om een code.")
            return redirect("accounts:second_factor")
        form.add_error("code", WRONG_CODE)
    uri = pending.config_url
    context = {"device": None, "form": form, "uri": uri, "qr": qr_svg(uri), "secret": typed_key(pending)}
    return render(request, "accounts/second_factor.html", context)
