"""A real local SMTP server for tests (aiosmtpd on 127.0.0.1, a free port).

Use in a test module::

    from tests.web.smtp import mail_server, smtp_settings  # noqa: F401  (fixtures)

``smtp_settings`` points Django's SMTP backend at the server; ``mail_server.messages``
holds every delivered message as an :class:`email.message.EmailMessage`
(``mail_server.recipients(msg)`` gives its envelope recipients).
"""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


@dataclass
class Delivered:
    """One message as the server received it."""

    envelope_to: list[str]
    message: email.message.EmailMessage

    @property
    def body(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()


@dataclass
class MailServer:
    """What the handler collected; ``clear()`` forgets it."""

    port: int = 0
    delivered: list[Delivered] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.delivered.append(Delivered(list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Delivered]:
        """The messages delivered to ``address``."""
        return [d for d in self.delivered if address in d.envelope_to]

    def clear(self) -> None:
        self.delivered.clear()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def _smtp_controller():
    handler = MailServer(port=free_port())
    controller = Controller(handler, hostname=HOST, port=handler.port)
    controller.start()
    yield handler
    controller.stop()


@pytest.fixture
def mail_server(_smtp_controller) -> MailServer:
    """The running server, emptied for this test."""
    _smtp_controller.clear()
    return _smtp_controller


@pytest.fixture
def smtp_settings(settings, mail_server) -> MailServer:
    """Django settings that send mail through ``mail_server`` with the real SMTP backend."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = HOST
    settings.EMAIL_PORT = mail_server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    return mail_server
