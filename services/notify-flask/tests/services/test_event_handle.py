"""Handling one event: the right e-mail and notification per type, once per event id."""

import asyncio
import email.policy
import threading
import uuid
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select
from tests.factories import order_event, user_registered

import testenv
from notify.errors import InvalidEvent, PermanentError, TransientError
from notify.extensions import db
from notify.models import EmailDelivery, Notification, ProcessedEvent
from notify.services import event_handle


def _mails(mail_server):
    messages = []
    for stored in reversed(mail_server.store.list()):  # oldest first
        with stored.path.open("rb") as handle:
            messages.append(message_from_bytes(handle.read(), policy=email.policy.default))
    return messages


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_user_registered_sends_a_welcome_mail_and_notification(app, peers, mail_server):
    user = {"id": 11, "email": "ada@example.com", "name": "Ada Lovelace"}
    event = user_registered(user)

    assert event_handle(envelope=event) == "handled"

    [mail] = _mails(mail_server)
    assert mail["To"].addresses[0].addr_spec == "ada@example.com"
    assert mail["To"].addresses[0].display_name == "Ada Lovelace"
    assert mail["From"].addresses[0].addr_spec == "shop@shop.test"
    assert mail["Subject"] == "Welcome to Reference Shop"
    assert mail["Message-ID"] == f"<notify.{event['id']}@shop.test>"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "Hello Ada Lovelace" in text
    assert "https://shop.test/" in text
    assert 'href="https://shop.test/"' in html
    [notification] = db.session.scalars(select(Notification)).all()
    assert (notification.user_id, notification.type, notification.link) == (
        11,
        "user.registered",
        "/",
    )
    # The event carries the address: nothing to fetch.
    assert peers.state.seen == []


ORDER_EVENTS = {
    "order.placed": ("We received your order 2026-000042", "placed"),
    "order.paid": ("Order 2026-000042 is confirmed", "payment of €37.80"),
    "order.payment_failed": ("Payment for order 2026-000042 did not go through", "declined"),
    "order.cancelled": ("Order 2026-000042 is cancelled", "will be refunded"),
    "order.shipped": ("Order 2026-000042 is on its way", "left our warehouse"),
    "order.delivered": ("Order 2026-000042 has arrived", "was delivered"),
}


@pytest.mark.parametrize("carried", [True, False], ids=["order-carried", "order-fetched"])
@pytest.mark.parametrize("event_type", ORDER_EVENTS)
def test_each_order_event_mails_the_customer_and_files_a_notification(
    app, peers, mail_server, event_type, carried
):
    user = peers.add_user(5, email="grace@example.com", name="Grace Hopper")
    order = peers.add_order(user_id=5)
    event = order_event(event_type, order, carried=carried)
    subject, phrase = ORDER_EVENTS[event_type]

    assert event_handle(envelope=event) == "handled"

    [mail] = _mails(mail_server)
    assert mail["Subject"] == subject
    assert mail["To"].addresses[0].addr_spec == user["email"]
    assert mail["X-Event-ID"] == event["id"]
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    link = f"https://shop.test/orders/{order['id']}"
    assert link in text
    assert f'href="{link}"' in html
    assert phrase in text
    assert "Hello Grace Hopper" in html
    if event_type in {"order.placed", "order.paid", "order.cancelled"}:
        assert "Enamel mug" in text
        assert "€25.00" in text
        assert "€37.80" in html
    if event_type in {"order.paid", "order.shipped"}:
        assert "12 Analytical Row" in text

    [notification] = db.session.scalars(select(Notification)).all()
    assert notification.user_id == 5
    assert notification.type == event_type
    assert notification.title == subject
    assert phrase in notification.body
    assert notification.link == f"/orders/{order['id']}"
    assert notification.read_at is None

    # The user is always read from auth; the order only when the event does not carry it.
    [user_read] = peers.requests_to("/internal/users/5")
    order_reads = peers.requests_to(f"/internal/orders/{order['id']}/")
    assert len(order_reads) == (0 if carried else 1)
    for seen in (user_read, *order_reads):
        assert seen.headers["Authorization"].startswith("Bearer svc-")


@pytest.mark.parametrize("event_type", ORDER_EVENTS)
def test_the_email_is_the_same_whether_the_event_carries_the_order_or_not(
    app, peers, mail_server, event_type
):
    peers.add_user(5, email="grace@example.com", name="Grace Hopper")
    order = peers.add_order(user_id=5)

    event_handle(envelope=order_event(event_type, order, carried=True))
    event_handle(envelope=order_event(event_type, order, carried=False))

    carried, fetched = _mails(mail_server)
    assert carried["Subject"] == fetched["Subject"]
    for part in ("plain", "html"):
        assert carried.get_body((part,)).get_content() == fetched.get_body((part,)).get_content()


def test_the_same_event_twice_gives_one_mail_and_one_notification(app, peers, mail_server):
    peers.add_user(5)
    event = order_event("order.paid", peers.add_order(user_id=5))

    assert event_handle(envelope=event) == "handled"
    assert event_handle(envelope=event) == "duplicate"

    assert len(mail_server.store.list()) == 1
    assert _count(Notification) == 1
    assert _count(ProcessedEvent) == 1


def test_a_retry_after_the_mail_went_out_does_not_send_it_again(
    app, peers, mail_server, monkeypatch
):
    """The process failed between the SMTP send and the notification commit."""
    peers.add_user(5)
    event = order_event("order.shipped", peers.add_order(user_id=5))
    real_commit = db.session.commit
    commits = []

    def commit_then_fail_the_third():
        commits.append(1)
        # 1: delivery row created, 2: sent_at recorded, 3: the notification -> fails
        if len(commits) == 3:
            db.session.rollback()
            raise TransientError("database went away")
        real_commit()

    monkeypatch.setattr(db.session, "commit", commit_then_fail_the_third)
    with pytest.raises(TransientError):
        event_handle(envelope=event)
    monkeypatch.undo()
    assert db.session.get(EmailDelivery, event_id := uuid.UUID(event["id"]))
    assert _count(Notification) == 0

    assert event_handle(envelope=event) == "handled"

    assert len(mail_server.store.list()) == 1
    assert db.session.get(EmailDelivery, event_id).sent_at is not None
    assert _count(Notification) == 1


def test_an_unknown_order_is_a_permanent_error(app, peers, mail_server):
    peers.add_user(5)
    order = peers.add_order(user_id=5)
    event = order_event("order.shipped", order, carried=False)
    del peers.state.orders[order["id"]]

    with pytest.raises(PermanentError, match="404"):
        event_handle(envelope=event)
    assert mail_server.store.list() == []
    assert _count(Notification) == 0


def test_an_order_of_another_user_is_refused(app, peers, mail_server):
    peers.add_user(5)
    peers.add_user(6)
    order = peers.add_order(user_id=6)
    event = order_event("order.shipped", order, carried=False, user_id=5)

    with pytest.raises(PermanentError, match="does not belong"):
        event_handle(envelope=event)
    assert mail_server.store.list() == []


def test_a_peer_answering_5xx_is_a_transient_error(app, peers):
    peers.add_user(5)
    order = peers.add_order(user_id=5)
    peers.fail(f"/internal/orders/{order['id']}/", 503)

    with pytest.raises(TransientError, match="503"):
        event_handle(envelope=order_event("order.paid", order, carried=False))


def test_smtp_down_is_a_transient_error(app, peers, mail_server):
    peers.add_user(5)
    event = order_event("order.delivered", peers.add_order(user_id=5))
    mail_server.stop_smtp()
    try:
        with pytest.raises(TransientError, match="SMTP"):
            event_handle(envelope=event)
    finally:
        mail_server.start_smtp()
    assert _count(Notification) == 0
    assert db.session.get(EmailDelivery, uuid.UUID(event["id"])).sent_at is None


def test_an_expired_service_token_is_fetched_again(app, peers, mail_server):
    peers.add_user(5)
    first = order_event("order.shipped", peers.add_order(user_id=5))
    event_handle(envelope=first)
    peers.state.issued_tokens.clear()  # auth restarted; our cached token is no longer good

    second = order_event("order.delivered", peers.add_order(user_id=5, number="2026-000043"))
    assert event_handle(envelope=second) == "handled"

    assert len(peers.requests_to("/internal/service-token")) == 2
    assert len(mail_server.store.list()) == 2


def test_an_event_breaking_its_schema_is_refused_before_anything_happens(app, peers):
    event = user_registered({"id": 1, "email": "not-an-address", "name": "X"})

    with pytest.raises(InvalidEvent, match="data/email"):
        event_handle(envelope=event)
    assert peers.state.seen == []
    assert _count(ProcessedEvent) == 0


class SlowSmtp:
    """Accepts mail, slowly, and says when a message has started to arrive."""

    def __init__(self) -> None:
        self.receiving = threading.Event()
        self.received: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        self.receiving.set()
        await asyncio.sleep(1.0)
        self.received.append(envelope.content)
        return "250 OK"


def test_concurrent_deliveries_of_one_event_send_one_mail(make_app, peers):
    """Three more workers get the same event while the first one is still sending its e-mail."""
    smtp = SlowSmtp()
    port = testenv.free_port()
    controller = Controller(smtp, hostname="127.0.0.1", port=port)
    controller.start()
    app = make_app(SMTP_PORT=str(port))
    peers.add_user(5)
    event = order_event("order.paid", peers.add_order(user_id=5))
    outcomes: list[str] = []

    def deliver() -> None:
        with app.app_context():
            outcomes.append(event_handle(envelope=event))

    first = threading.Thread(target=deliver)
    others = [threading.Thread(target=deliver) for _ in range(3)]
    try:
        first.start()
        assert smtp.receiving.wait(timeout=10)
        for thread in others:
            thread.start()
        for thread in (first, *others):
            thread.join(timeout=30)
    finally:
        controller.stop()

    assert len(smtp.received) == 1
    assert sorted(outcomes) == ["duplicate", "duplicate", "duplicate", "handled"]
    with app.app_context():
        assert _count(Notification) == 1
