"""E-mail: rendering the text and HTML parts from Jinja templates, and sending them over SMTP.

Templates live in `notify/templates/email/<event type>.txt` and `.html` (the HTML ones extend
`_layout.html`). The Message-ID is derived from the event id, so if an e-mail is ever sent twice
for one event (see `services.email_deliver` for when that can happen) both copies carry the same
id and a mail client or server can recognise the second as a duplicate.
"""

import smtplib
import ssl
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr
from typing import Any

from flask import current_app, render_template

from notify.errors import PermanentError, TransientError

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


@dataclass(frozen=True)
class Email:
    recipient: str
    recipient_name: str
    subject: str
    text: str
    html: str
    message_id: str
    event_id: uuid.UUID


def money(amount: Any, currency: str = "EUR") -> str:
    """`19.9`, `"19.90"` -> `€19.90`; money is Decimal all the way, never float."""
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return f"{amount} {currency}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{value:,}" if symbol else f"{value:,} {currency}"


def message_id_for(event_id: uuid.UUID, sender: str) -> str:
    """One stable Message-ID per event: `<notify.<event id>@<sender's domain>>`."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    return f"<notify.{event_id}@{domain}>"


def email_render(
    *,
    template: str,
    event_id: uuid.UUID,
    recipient: str,
    recipient_name: str,
    subject: str,
    context: dict[str, Any],
) -> Email:
    """Render `email/<template>.txt` and `.html` with the same context."""
    context = {**context, "subject": subject, "recipient_name": recipient_name}
    return Email(
        recipient=recipient,
        recipient_name=recipient_name,
        subject=subject,
        text=render_template(f"email/{template}.txt", **context),
        html=render_template(f"email/{template}.html", **context),
        message_id=message_id_for(event_id, current_app.config["SMTP_FROM"]),
        event_id=event_id,
    )


def email_message(email: Email, *, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = email.subject
    message["From"] = sender
    message["To"] = formataddr((email.recipient_name, email.recipient))
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = email.message_id
    message["X-Event-ID"] = str(email.event_id)
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    return message


def smtp_send(email: Email) -> None:
    """Hand the e-mail to the SMTP server; classify every failure as transient or permanent."""
    config = current_app.config
    message = email_message(email, sender=config["SMTP_FROM"])
    try:
        _send_on_kept_connection(message, config)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        _raise_for_reply(min(codes, default=550), f"SMTP refused the recipient: {exc.recipients}")
    except smtplib.SMTPResponseException as exc:
        _raise_for_reply(exc.smtp_code, f"SMTP answered {exc.smtp_code}: {exc.smtp_error!r}")
    except (smtplib.SMTPException, OSError) as exc:
        # Connection refused, reset, timed out, or the server hung up: try again later.
        raise TransientError(f"SMTP {config['SMTP_HOST']}:{config['SMTP_PORT']}: {exc!r}") from exc


# One SMTP connection per thread (a prefork pool process has one thread), kept between e-mails.
_kept = threading.local()


def _send_on_kept_connection(message: EmailMessage, config: Mapping[str, Any]) -> None:
    """Send over this thread's open connection, opening one when there is none.

    A kept connection spares every e-mail but the first the TCP (and TLS) handshake, the
    greeting, EHLO, the login and QUIT: half the round trips of a send. The server may have
    closed it while it was idle; then the e-mail is sent once more on a new connection, which
    risks no more than a retry does (see `services.email_deliver`). Any other failure drops the
    connection, so the next e-mail starts on a clean one.
    """
    server = (
        config["SMTP_HOST"],
        config["SMTP_PORT"],
        config["SMTP_STARTTLS"],
        config["SMTP_USER"],
    )
    smtp = getattr(_kept, "smtp", None) if getattr(_kept, "server", None) == server else None
    _kept.smtp = None
    if smtp is not None:
        try:
            smtp.send_message(message)
        except smtplib.SMTPServerDisconnected:
            smtp.close()  # closed by the server while idle: open a new one below
        except BaseException:
            smtp.close()
            raise
        else:
            _kept.smtp = smtp
            return
    smtp = _smtp_connect(config)
    try:
        smtp.send_message(message)
    except BaseException:
        smtp.close()
        raise
    _kept.smtp, _kept.server = smtp, server


def _smtp_connect(config: Mapping[str, Any]) -> smtplib.SMTP:
    smtp = smtplib.SMTP(
        config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT_SECONDS"]
    )
    try:
        if config["SMTP_STARTTLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["SMTP_USER"]:
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _raise_for_reply(code: int, message: str) -> None:
    # 4xx replies are the server's "not now"; 5xx are "never" (bad address, bad credentials).
    if 400 <= code < 500:
        raise TransientError(message)
    raise PermanentError(message)
