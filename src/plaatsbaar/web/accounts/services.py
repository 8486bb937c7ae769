"""Log-in in two steps and the TOTP second factor (django-otp's ``TOTPDevice``).

Step 1 checks the password; a user with a confirmed device is then only
*pending* (user id, backend and time in the session, not logged in) until
step 2 accepts a code from their authenticator app. Setting up and removing a
device are audited (``account.second_factor_on`` / ``account.second_factor_off``).
"""

from __future__ import annotations

import time
from base64 import b32encode
from dataclasses import dataclass
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from plaatsbaar.web.audit.services import client_ip, record as audit

PENDING_KEY = "plaatsbaar_pending_login"
#: Seconds between the password and the code before the password is asked again.
PENDING_SECONDS = 300
#: Wrong codes in one pending log-in before the password is asked again.
MAX_CODE_ATTEMPTS = 5
DEVICE_NAME = "authenticator-app"


@dataclass(frozen=True)
class PendingLogin:
    """A user who gave the right password and still has to give a code."""

    user: Any
    backend: str
    next_url: str
    attempts: int


def confirmed_device(user) -> TOTPDevice | None:
    """The user's confirmed TOTP device, or ``None`` (no second factor)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def start_pending_login(session, user, next_url: str) -> None:
    """Remember in ``session`` that ``user`` (authenticated by a backend) passed step 1."""
    session[PENDING_KEY] = {"user": user.pk, "backend": user.backend, "at": time.time(), "next": next_url, "attempts": 0}


def pending_login(session) -> PendingLogin | None:
    """The pending log-in of this session, or ``None`` (none, expired, or too many wrong codes)."""
    data = session.get(PENDING_KEY)
    if not data or time.time() - data["at"] > PENDING_SECONDS or data["attempts"] >= MAX_CODE_ATTEMPTS:
        session.pop(PENDING_KEY, None)
        return None
    user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    if user is None:
        session.pop(PENDING_KEY, None)
        return None
    return PendingLogin(user, data["backend"], data["next"], data["attempts"])


def code_allowed_now(user) -> bool:
    """False while django-otp throttles the device after wrong codes (1, 2, 4 … seconds)."""
    device = confirmed_device(user)
    return device is not None and device.verify_is_allowed()[0]


def finish_login(request, pending: PendingLogin, code: str) -> bool:
    """Step 2: log the pending user in when ``code`` is valid; counts wrong codes.

    The code is checked by django-otp (throttled, each code once).
    """
    device = confirmed_device(pending.user)
    if device is None or not device.verify_token(code.strip()):
        data = request.session.get(PENDING_KEY)
        if data:
            data["attempts"] += 1
            request.session[PENDING_KEY] = data
        return False
    request.session.pop(PENDING_KEY, None)
    auth.login(request, pending.user, backend=pending.backend)
    otp_login(request, device)
    return True


@transaction.atomic
def device_to_confirm(user) -> TOTPDevice:
    """The user's unconfirmed device (a new key when there is none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def confirm_device(request, device: TOTPDevice, code: str) -> bool:
    """Confirm ``device`` with a first code from the app; the session counts as verified.

    Audited as ``account.second_factor_on``.
    """
    if not device.verify_token(code.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    audit("account.second_factor_on", device, actor=request.user, ip=client_ip(request))
    return True


def remove_device(request, code: str) -> bool:
    """Turn the second factor off after a valid code; audited as ``account.second_factor_off``."""
    device = confirmed_device(request.user)
    if device is None or not device.verify_token(code.strip()):
        return False
    audit("account.second_factor_off", device, actor=request.user, ip=client_ip(request))
    TOTPDevice.objects.filter(user=request.user).delete()
    return True


def typed_key(device: TOTPDevice) -> str:
    """The device's key in base32, in groups of four, for typing it into an app."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(uri: str) -> str:
    """The ``otpauth://`` URI as an inline SVG QR code (markup generated here, no user text)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    return svg[svg.index("<svg"):] if "<svg" in svg else svg
