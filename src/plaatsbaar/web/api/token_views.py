"""The token page (/api/tokens/): a staff user makes and revokes their own API tokens.

A new token is shown once, in the answer to the form (not stored, not in a
message or the session); the page is never cached.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from plaatsbaar.web.api.models import ApiToken
from plaatsbaar.web.api.services import issue_token, may_hold_tokens, revoke_token, tokens_of
from plaatsbaar.web.audit.services import client_ip

STAFF_ONLY = "Alleen medewerkers van een school kunnen API-sleutels aanmaken."


class TokenForm(forms.Form):
    """A new token: what it is for (shown in the list)."""

    name = forms.CharField(label="Waarvoor gebruik je deze sleutel?", max_length=100,
                           help_text="bijv. 'koppeling nieuwsbrief'")


@never_cache
@login_required
def tokens(request):
    """The user's tokens and the form for a new one; after a valid form, the new token once."""
    if not may_hold_tokens(request.user):
        raise PermissionDenied(STAFF_ONLY)
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        _, new_secret = issue_token(request.user, form.cleaned_data["name"], ip=client_ip(request))
        form = TokenForm()
    return render(request, "api/tokens.html", {"form": form, "tokens": tokens_of(request.user), "new_secret": new_secret})


@require_POST
@login_required
def revoke(request, token_id: int):
    """Revoke one of the user's own tokens (another's: 404)."""
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    revoke_token(token, request.user, ip=client_ip(request))
    messages.success(request, f"De sleutel {token.prefix}… is ingetrokken en werkt niet meer.")
    return redirect("api:tokens")
