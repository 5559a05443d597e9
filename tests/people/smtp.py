"""A local SMTP server for the notice tests (aiosmtpd on a free port): it keeps what it
receives, answers 550 at RCPT for the addresses in ``reject`` and 451 for those in
``temporary`` (as many times as the count says)."""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


@dataclass
class Received:
    recipients: list[str]
    content: bytes

    @property
    def message(self):
        return email.message_from_bytes(self.content, policy=email.policy.default)

    @property
    def body(self) -> str:
        return self.message.get_content()


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    reject: set[str] = field(default_factory=set)
    temporary: dict[str, int] = field(default_factory=dict)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 User unknown"
        if self.temporary.get(address, 0) > 0:
            self.temporary[address] -= 1
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(Received(list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalSMTP:
    def __init__(self):
        self.handler = Handler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> Handler:
        self.controller.start()
        return self.handler

    def __exit__(self, *exc) -> None:
        self.controller.stop()
