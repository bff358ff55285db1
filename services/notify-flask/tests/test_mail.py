"""Rendering and sending e-mail: escaping, Message-IDs, and what an SMTP failure means."""

import uuid

import pytest
from aiosmtpd.controller import Controller

import testenv
from notify.errors import PermanentError, TransientError
from notify.mail import email_render, message_id_for, money, smtp_send


def test_money_is_shown_with_its_currency():
    assert money("37.8", "EUR") == "€37.80"
    assert money("1234.5", "USD") == "$1,234.50"
    assert money("5", "SEK") == "5.00 SEK"


def test_the_message_id_is_derived_from_the_event_id():
    event_id = uuid.UUID("2f1c0c0e-8a6b-4b7e-9a43-7c1c8d9e0f11")

    first = message_id_for(event_id, "Reference Shop <shop@shop.test>")

    assert first == "<notify.2f1c0c0e-8a6b-4b7e-9a43-7c1c8d9e0f11@shop.test>"
    assert message_id_for(event_id, "Reference Shop <shop@shop.test>") == first


def test_names_are_escaped_in_the_html_part(app):
    email = email_render(
        template="user.registered",
        event_id=uuid.uuid4(),
        recipient="eve@example.com",
        recipient_name="<script>alert(1)</script>",
        subject="Welcome",
        context={
            "user": {"email": "eve@example.com"},
            "title": "Welcome",
            "body": "Hello <b>",
            "shop_url": "https://shop.test",
            "action_url": "https://shop.test/",
        },
    )

    assert "<script>" not in email.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in email.html
    assert "Hello &lt;b&gt;" in email.html
    assert "<script>alert(1)</script>" in email.text  # plain text is shown as text


class Refusing:
    """An SMTP server that refuses every recipient with the given reply."""

    def __init__(self, reply: str) -> None:
        self.reply = reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return self.reply


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        ("550 5.1.1 No such mailbox", PermanentError),
        ("451 4.3.0 Try again later", TransientError),
    ],
)
def test_smtp_replies_decide_between_retry_and_dead_letter(make_app, reply, error):
    port = testenv.free_port()
    controller = Controller(Refusing(reply), hostname="127.0.0.1", port=port)
    controller.start()
    app = make_app(SMTP_PORT=str(port))
    try:
        with app.app_context():
            email = email_render(
                template="order.delivered",
                event_id=uuid.uuid4(),
                recipient="ada@example.com",
                recipient_name="Ada",
                subject="Order 1 has arrived",
                context={"order": {}, "shop_url": "https://shop.test", "action_url": "x"},
            )
            with pytest.raises(error, match=reply[:3]):
                smtp_send(email)
    finally:
        controller.stop()


def test_an_smtp_server_that_is_not_there_is_transient(make_app):
    app = make_app(SMTP_PORT=str(testenv.free_port()))

    with app.app_context():
        email = email_render(
            template="order.shipped",
            event_id=uuid.uuid4(),
            recipient="ada@example.com",
            recipient_name="Ada",
            subject="Order 1 is on its way",
            context={"order": {}, "shop_url": "https://shop.test", "action_url": "x"},
        )
        with pytest.raises(TransientError, match="SMTP"):
            smtp_send(email)


class CountingSmtp:
    """Accepts mail and counts the connections it was sent over (one EHLO each)."""

    def __init__(self) -> None:
        self.connections = 0
        self.received: list[bytes] = []

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope.content)
        return "250 OK"


def _order_email(subject: str):
    return email_render(
        template="order.delivered",
        event_id=uuid.uuid4(),
        recipient="ada@example.com",
        recipient_name="Ada",
        subject=subject,
        context={"order": {}, "shop_url": "https://shop.test", "action_url": "x"},
    )


def test_e_mails_share_one_connection_and_survive_the_server_closing_it(make_app):
    smtp = CountingSmtp()
    port = testenv.free_port()
    controller = Controller(smtp, hostname="127.0.0.1", port=port)
    controller.start()
    app = make_app(SMTP_PORT=str(port))
    try:
        with app.app_context():
            for n in range(3):
                smtp_send(_order_email(f"Order {n} has arrived"))
            assert (len(smtp.received), smtp.connections) == (3, 1)

            # The server restarts, closing the kept connection: the next e-mail opens another.
            controller.stop()
            controller = Controller(smtp, hostname="127.0.0.1", port=port)
            controller.start()
            smtp_send(_order_email("Order 3 has arrived"))
    finally:
        controller.stop()

    assert (len(smtp.received), smtp.connections) == (4, 2)
