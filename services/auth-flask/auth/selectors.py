"""Reads: how the rest of the service looks users up."""

from sqlalchemy import select

from auth.errors import NotFound
from auth.extensions import db
from auth.models import User


def user_get(*, user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No user has this id.")
    return user


def user_find_by_email(*, email: str) -> User | None:
    """`email` must already be normalised (see `normalize_email`)."""
    return db.session.scalar(select(User).where(User.email == email))
