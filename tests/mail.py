"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd), keeping every email it is sent."""

import asyncio
import socket
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailServer:
    """An SMTP server on a free port of 127.0.0.1, serving from a thread of its own. `messages` are the
    emails it accepted (email.message.EmailMessage), in order; `stop()` and `start()` take it down and
    up again on the same port. It refuses the addresses in `refused` (550), and takes `delay` seconds
    over each email."""

    def __init__(self):
        self.port = free_port()
        self.messages = []
        self.refused = set()
        self.delay = 0.0
        self.controller = None
        self.start()

    @property
    def settings(self):
        """The app's MAIL_* settings for this server."""
        return {
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": self.port,
            "MAIL_USE_TLS": False,
            "MAIL_USERNAME": "",
            "MAIL_PASSWORD": "",
            "MAIL_FROM": "Case file audit <caseaudit@council.example.org>",
        }

    def start(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address):
        """The emails sent to `address`."""
        return [message for message in self.messages if message["To"] == address]

    # aiosmtpd calls these for each email.

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        # As it came over SMTP, with its lines ending \r\n; kept as Python writes them, with \n.
        self.messages.append(message_from_bytes(envelope.content.replace(b"\r\n", b"\n"), policy=policy.default))
        return "250 Message accepted for delivery"
