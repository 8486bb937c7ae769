"""The second factor for staff: setting up TOTP (QR code, confirmed with a code) and the
log-in that asks for a code when the user has a confirmed device."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from plaatsbaar.web.accounts.services import PENDING_KEY
from plaatsbaar.web.audit.models import AuditEvent

PASSWORD = "geheim-wachtwoord-1"  # as in conftest


def code_for(device: TOTPDevice, steps: int = 0) -> str:
    """The code of ``device`` now (``steps`` periods later), computed from its key as an
    authenticator app does."""
    device.refresh_from_db()
    t0 = device.t0 - steps * device.step
    return f"{totp(device.bin_key, step=device.step, t0=t0, digits=device.digits, drift=device.drift):06d}"


def wrong_code(device: TOTPDevice) -> str:
    """A code that is valid in no period django-otp accepts now (one before to one after)."""
    valid = {code_for(device, steps) for steps in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


@pytest.fixture
def teacher(world):
    return world.users["teacher"]


@pytest.fixture
def with_device(teacher):
    return TOTPDevice.objects.create(user=teacher, name="app", confirmed=True)


def _log_in(client, username="juf", password=PASSWORD, next_url=""):
    url = "/inloggen/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": password})


def _logged_in(client) -> bool:
    return client.get("/").status_code == 200


def test_the_setup_page_shows_a_qr_code_and_the_otpauth_uri(client, teacher):
    client.force_login(teacher)
    page = client.get("/account/tweestapsverificatie/").content.decode()
    device = TOTPDevice.objects.get(user=teacher)
    assert not device.confirmed
    assert "<svg" in page and "otpauth://totp/plaatsbaar%3Ajuf?secret=" in page
    assert client.get("/account/tweestapsverificatie/").content.decode().count("secret=") >= 1
    assert TOTPDevice.objects.filter(user=teacher).count() == 1  # the same key on reload


def test_a_valid_code_confirms_the_device_and_is_audited(client, teacher):
    client.force_login(teacher)
    client.get("/account/tweestapsverificatie/")
    device = TOTPDevice.objects.get(user=teacher)
    response = client.post("/account/tweestapsverificatie/", {"code": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.get(action="account.second_factor_on").actor_label == "juf"
    assert "Staat aan" in client.get("/account/tweestapsverificatie/").content.decode()


def test_a_wrong_code_does_not_confirm(client, teacher):
    client.force_login(teacher)
    client.get("/account/tweestapsverificatie/")
    device = TOTPDevice.objects.get(user=teacher)
    page = client.post("/account/tweestapsverificatie/", {"code": wrong_code(device)}).content.decode()
    assert "Deze code klopt niet" in page
    assert not TOTPDevice.objects.get(user=teacher).confirmed
    assert "Vul de zes cijfers" in client.post("/account/tweestapsverificatie/", {"code": "abc"}).content.decode()


def test_without_a_device_the_password_is_enough(client, teacher):
    response = _log_in(client)
    assert response.status_code == 302 and response["Location"] == "/"
    assert _logged_in(client)


def test_with_a_device_the_log_in_asks_for_the_code(client, with_device):
    response = _log_in(client, next_url="/toetsen/")
    assert response.status_code == 302 and response["Location"] == "/account/code/"
    assert not _logged_in(client)  # the password alone does not log in
    response = client.post("/account/code/", {"code": code_for(with_device)})
    assert response.status_code == 302 and response["Location"] == "/toetsen/"
    assert _logged_in(client)
    assert client.session.get("otp_device_id") == with_device.persistent_id


def test_a_wrong_code_does_not_log_in(client, with_device):
    _log_in(client)
    page = client.post("/account/code/", {"code": wrong_code(with_device)}).content.decode()
    assert "Deze code klopt niet" in page
    assert not _logged_in(client)


def test_a_code_is_accepted_only_once(client, with_device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    code = code_for(with_device)
    _log_in(client)
    client.post("/account/code/", {"code": code})
    client.logout()
    _log_in(client)
    assert "Deze code klopt niet" in client.post("/account/code/", {"code": code}).content.decode()
    assert not _logged_in(client)


def test_a_wrong_password_never_reaches_the_code(client, with_device):
    response = _log_in(client, password="fout")
    assert response.status_code == 200 and "klopt niet" in response.content.decode()
    assert client.get("/account/code/")["Location"] == "/inloggen/"


def test_after_five_wrong_codes_the_password_is_asked_again(client, with_device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # count the attempts, not django-otp's waiting time
    _log_in(client)
    for _ in range(5):
        client.post("/account/code/", {"code": wrong_code(with_device)})
    response = client.post("/account/code/", {"code": code_for(with_device)})
    assert response.status_code == 302 and response["Location"] == "/inloggen/"
    assert not _logged_in(client)


def test_a_pending_log_in_expires(client, with_device):
    _log_in(client)
    session = client.session
    session[PENDING_KEY]["at"] -= 600
    session.save()
    response = client.post("/account/code/", {"code": code_for(with_device)})
    assert response["Location"] == "/inloggen/" and not _logged_in(client)


def test_the_second_factor_can_be_turned_off_with_a_code(client, teacher, with_device):
    client.force_login(teacher)
    response = client.post("/account/tweestapsverificatie/", {"code": code_for(with_device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=teacher).exists()
    assert AuditEvent.objects.filter(action="account.second_factor_off").exists()
    assert _log_in(client)["Location"] == "/"


def test_the_admin_log_in_goes_through_the_same_two_steps(client, with_device):
    response = client.get("/beheer/login/?next=/beheer/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/?next=/beheer/")


def test_anonymous_visitors_cannot_set_up_a_device(client, world):
    response = client.get("/account/tweestapsverificatie/")
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
    assert not TOTPDevice.objects.exists()
