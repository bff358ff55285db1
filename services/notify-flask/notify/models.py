"""The notify database: the user's inbox and the records that make event handling safe to repeat.

- `Notification`: one in-app message per handled event (the inbox the SPA shows).
- `ProcessedEvent`: the ids of events whose effects are committed; written in the same
  transaction as the `Notification`, so "handled" and "has its effect" can never disagree.
- `EmailDelivery`: one row per event that has an e-mail; `sent_at` is set right after the SMTP
  server accepted it, so a retry after a successful send does not send again.
- `DeadLetter`: an event that could not be handled (invalid, or still failing after the bounded
  retries), kept with its envelope so it can be replayed once the cause is fixed.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from notify.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


# Timestamps are stored with their zone on PostgreSQL; SQLite drops it and we read them as UTC.
Timestamp = DateTime(timezone=True)
JsonDocument = JSON().with_variant(JSONB(), "postgresql")


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(Timestamp)

    __table_args__ = (
        # The inbox query: newest first for one user.
        Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
        # The unread badge, polled by every open tab.
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
    )

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.type} user={self.user_id}>"


class ProcessedEvent(db.Model):
    __tablename__ = "processed_events"

    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    event_type: Mapped[str] = mapped_column(String(64))
    processed_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class EmailDelivery(db.Model):
    __tablename__ = "email_deliveries"

    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    message_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(Timestamp)


class DeadLetter(db.Model):
    __tablename__ = "dead_letters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Both may be missing when the envelope itself is what is wrong.
    event_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    event_type: Mapped[str | None] = mapped_column(String(64))
    envelope: Mapped[Any] = mapped_column(JsonDocument)
    error: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    replayed_at: Mapped[datetime | None] = mapped_column(Timestamp)

    def __repr__(self) -> str:
        return f"<DeadLetter {self.id} {self.event_type} {self.event_id}>"
