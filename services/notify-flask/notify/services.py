"""Business logic: the user's inbox, handling one event, and the dead-letter store.

Handling an event (`event_handle`) is safe to repeat, because Celery delivers at least once:

1. The envelope and data are checked against the contracts; a broken event is permanent.
2. If the event id is in `processed_events`, the event was handled: nothing more to do.
3. What the e-mail needs and the event does not carry is fetched over REST: the user from auth;
   the order only from events that do not carry it (older ones, see `_order_of`).
4. The e-mail is sent unless an `email_deliveries` row says it was (`email_deliver`).
5. The `Notification` and the `ProcessedEvent` are committed in ONE transaction: a retry either
   finds both or neither. Two workers racing on the same event both reach this point; the
   primary key on `processed_events.event_id` lets one commit and turns the other into a
   duplicate.
"""

import logging
import math
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from flask import current_app
from sqlalchemy import Insert, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from notify.clients import User
from notify.errors import NotFound, PermanentError
from notify.events import Event, load_contracts
from notify.extensions import db, peers
from notify.mail import Email, email_render, money, smtp_send
from notify.models import DeadLetter, EmailDelivery, Notification, ProcessedEvent, utcnow

logger = logging.getLogger(__name__)

# --- the inbox ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationPage:
    items: list[Notification]
    count: int
    page: int
    page_size: int

    @property
    def total_pages(self) -> int:
        return max(1, math.ceil(self.count / self.page_size))


def notification_list(*, user_id: int, page: int, page_size: int) -> NotificationPage:
    """One page of the user's own notifications, newest first."""
    mine = select(Notification).where(Notification.user_id == user_id)
    count = db.session.scalar(select(func.count()).select_from(mine.subquery())) or 0
    items = db.session.scalars(
        mine.order_by(Notification.created_at.desc(), Notification.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return NotificationPage(items=list(items), count=count, page=page, page_size=page_size)


def notification_unread_count(*, user_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        or 0
    )


def notification_mark_read(*, user_id: int, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read; another user's is simply not found."""
    notification = db.session.scalar(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user_id
        )
    )
    if notification is None:
        raise NotFound("Notification not found.")
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def notification_mark_all_read(*, user_id: int) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount


# --- handling one event ------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """What one event means to its user: the e-mail and the inbox entry."""

    user: User
    subject: str
    title: str
    body: str
    link: str
    template: str
    context: dict[str, Any]


def _order_link(event: Event) -> str:
    return f"/orders/{event.data['order_id']}"


def _order_of(data: dict[str, Any]) -> dict[str, Any]:
    """The order as its e-mail shows it (lines, amounts, address).

    Order events carry it (`data.order`: it never changes after checkout, so the copy is as
    good as the original). Only events written before they did (still queued, or replayed from
    the dead letters) make us read it from orders, the service busiest while customers check out.
    """
    if "order" in data:
        return data["order"]
    order = peers.client.order(data["order_id"])
    if "user_id" in order and order["user_id"] != data["user_id"]:
        raise PermanentError(f"order {data['order_id']} does not belong to user {data['user_id']}")
    return order


def _message_for(event: Event) -> Message:
    """Fetch what the event's e-mail needs and write its subject, inbox title and body."""
    data = event.data
    if event.type == "user.registered":
        # The event carries the address and name it was registered with; nothing to fetch.
        user = User(id=data["user_id"], email=data["email"], name=data["name"])
        return Message(
            user=user,
            subject="Welcome to Reference Shop",
            title="Welcome to Reference Shop",
            body=f"Hello {user.name}, your account is ready. Happy shopping!",
            link="/",
            template="user.registered",
            context={},
        )

    user = peers.client.user(data["user_id"])
    order = _order_of(data)
    number = data["number"]
    total = money(order.get("total", data.get("total")), order.get("currency", "EUR"))
    context: dict[str, Any] = {"order": order, "total": total}

    if event.type == "order.placed":
        subject = title = f"We received your order {number}"
        body = f"Order {number} ({total}) is placed; we are taking the payment now."
    elif event.type == "order.paid":
        subject = title = f"Order {number} is confirmed"
        body = f"We received your payment of {total}. We will tell you when it ships."
    elif event.type == "order.payment_failed":
        subject = title = f"Payment for order {number} did not go through"
        if data["reason"] == "declined":
            body = "Your card was declined. Nothing was charged and the order was not placed."
        else:
            body = (
                "The payment provider was unavailable. Nothing was charged; "
                "please try again in a moment."
            )
        context["reason"] = data["reason"]
    elif event.type == "order.cancelled":
        subject = title = f"Order {number} is cancelled"
        who = {"customer": "at your request", "admin": "by our team", "system": "automatically"}
        body = f"Order {number} was cancelled {who[data['cancelled_by']]}."
        if data["was_paid"]:
            body += f" Your payment of {total} will be refunded."
        context.update(was_paid=data["was_paid"], cancelled_by=data["cancelled_by"])
    elif event.type == "order.shipped":
        subject = title = f"Order {number} is on its way"
        body = f"Order {number} has left our warehouse."
    else:  # order.delivered
        subject = title = f"Order {number} has arrived"
        body = f"Order {number} was delivered. Enjoy!"
    return Message(
        user=user,
        subject=subject,
        title=title,
        body=body,
        link=_order_link(event),
        template=event.type,
        context=context,
    )


def _is_processed(event_id: uuid.UUID) -> bool:
    found = db.session.get(ProcessedEvent, event_id) is not None
    # End the read before calling peers: no transaction stays open across network calls.
    db.session.rollback()
    return found


def _insert_unless_present(model: type[db.Model]) -> Insert:
    """`INSERT ... ON CONFLICT DO NOTHING`: one statement where "read, then insert, then catch
    the duplicate key of a racing worker" takes three."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).on_conflict_do_nothing()


def email_deliver(*, email: Email) -> bool:
    """Send the event's e-mail unless it was sent already; True when it was sent now.

    The delivery row is locked (`SELECT ... FOR UPDATE` on PostgreSQL) while the e-mail goes
    out, so two workers holding the same event cannot both send it: the second waits, then sees
    `sent_at`. What remains is one window: the SMTP server accepted the message, and the process
    died (or lost the database) before `sent_at` was committed. The row then still says "not
    sent", and the retry sends a second copy with the same Message-ID. Closing that window
    entirely would need the mail server to take part in our transaction, which SMTP cannot do.
    """
    # The row is committed before the send, so that a concurrent duplicate finds it and waits on
    # its lock below; an earlier attempt (or that duplicate) may have created it already.
    db.session.execute(
        _insert_unless_present(EmailDelivery).values(
            event_id=email.event_id,
            recipient=email.recipient,
            subject=email.subject,
            message_id=email.message_id,
        )
    )
    db.session.commit()
    # populate_existing: read the row as it is once the lock is ours, not as this session
    # may remember it from before another worker set sent_at.
    delivery = db.session.scalars(
        select(EmailDelivery)
        .where(EmailDelivery.event_id == email.event_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if delivery.sent_at is not None:
        db.session.rollback()
        return False
    try:
        smtp_send(email)
    except BaseException:
        db.session.rollback()
        raise
    delivery.recipient, delivery.subject = email.recipient, email.subject
    delivery.sent_at = utcnow()
    db.session.commit()
    return True


HandleOutcome = Literal["handled", "duplicate"]


def event_handle(*, envelope: Any) -> HandleOutcome:
    """Handle one event at most once in effect: one e-mail, one inbox entry per event id."""
    event = load_contracts(current_app.config["EVENT_CONTRACTS_DIR"]).parse(envelope)
    if _is_processed(event.id):
        logger.info("event %s (%s) was handled before; ignoring it", event.id, event.type)
        return "duplicate"

    message = _message_for(event)
    shop_url = current_app.config["SHOP_BASE_URL"]
    email = email_render(
        template=message.template,
        event_id=event.id,
        recipient=message.user.email,
        recipient_name=message.user.name,
        subject=message.subject,
        context={
            **message.context,
            "user": message.user,
            "title": message.title,
            "body": message.body,
            "shop_url": shop_url,
            "action_url": f"{shop_url}{message.link}",
            "data": event.data,
        },
    )
    sent = email_deliver(email=email)

    db.session.add(ProcessedEvent(event_id=event.id, event_type=event.type))
    db.session.add(
        Notification(
            user_id=message.user.id,
            type=event.type,
            title=message.title,
            body=message.body,
            link=message.link,
            event_id=event.id,
        )
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        logger.info("event %s (%s) was handled concurrently; ignoring it", event.id, event.type)
        return "duplicate"
    logger.info(
        "event %s (%s) handled: e-mail %s to user %s",
        event.id,
        event.type,
        "sent" if sent else "already sent",
        message.user.id,
    )
    return "handled"


# --- dead letters ------------------------------------------------------------------------------


def dead_letter_record(
    *,
    envelope: Any,
    event_id: uuid.UUID | None,
    event_type: str | None,
    error: str,
    attempts: int,
) -> DeadLetter:
    """Keep an event that cannot be handled, with why, so it can be replayed later."""
    db.session.rollback()
    letter = DeadLetter(
        event_id=event_id,
        event_type=event_type,
        envelope=envelope,
        error=error[:4000],
        attempts=attempts,
    )
    db.session.add(letter)
    db.session.commit()
    return letter


def dead_letter_list(*, include_replayed: bool = False) -> list[DeadLetter]:
    query = select(DeadLetter).order_by(DeadLetter.id)
    if not include_replayed:
        query = query.where(DeadLetter.replayed_at.is_(None))
    return list(db.session.scalars(query))


class ReplayRefused(Exception):
    """The dead letter does not exist, or was replayed already and `force` was not given."""


def dead_letter_replay(*, dead_letter_id: int, force: bool = False) -> DeadLetter:
    """Put the event back on the notify queue; the consumer's dedupe still holds."""
    letter = db.session.get(DeadLetter, dead_letter_id)
    if letter is None:
        raise ReplayRefused(f"dead letter {dead_letter_id} does not exist")
    if letter.replayed_at is not None and not force:
        raise ReplayRefused(
            f"dead letter {dead_letter_id} was replayed at {letter.replayed_at:%Y-%m-%d %H:%M:%S}"
            " UTC; pass --force to replay it again"
        )
    celery = current_app.extensions["celery"]
    # Publish first, then mark: a crash in between leaves it listed, and a second replay is
    # harmless because the consumer deduplicates on the event id.
    celery.send_task(
        "notify.handle_event",
        args=[letter.envelope],
        queue=current_app.config["NOTIFY_QUEUE"],
        retry=True,
    )
    letter.replayed_at = utcnow()
    db.session.commit()
    return letter
