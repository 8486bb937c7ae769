from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Log-in with an optional second factor (TOTP, via django-otp) for staff accounts."""

    name = "plaatsbaar.web.accounts"
    label = "accounts"
    verbose_name = "Accounts"
