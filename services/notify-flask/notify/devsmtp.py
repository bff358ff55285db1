"""A local mail catcher for development: `python -m notify.devsmtp`.

It accepts every message over SMTP (aiosmtpd), keeps each one as an `.eml` file in a directory,
and serves the messages over HTTP: a small read-only web page for people and a JSON API that
answers a subset of Mailpit's (`/api/v1/messages`, `/api/v1/message/<id>`, `/api/v1/search`),
so tests and the README use the same calls against this sink in `make dev` and against Mailpit
in compose. It is a development tool: it relays nothing and binds to loopback by default.

    python -m notify.devsmtp --dir .data/mail --smtp-port 1025 --http-port 8025
"""

import argparse
import email
import email.policy
import html
import json
import logging
import os
import re
import signal
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller

logger = logging.getLogger("notify.devsmtp")
# aiosmtpd narrates every SMTP command at INFO; one line per received message is enough.
logging.getLogger("mail.log").setLevel(logging.WARNING)

_ID = re.compile(r"^[0-9]{8}T[0-9]{12}-[0-9a-f]{8}$")


@dataclass(frozen=True)
class StoredMessage:
    id: str
    path: Path
    created: datetime

    def parse(self) -> EmailMessage:
        with self.path.open("rb") as handle:
            return email.message_from_binary_file(handle, policy=email.policy.default)


def _addresses(header: Any) -> list[dict[str, str]]:
    if header is None:
        return []
    return [
        {"Name": address.display_name, "Address": address.addr_spec} for address in header.addresses
    ]


def _part(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    return part.get_content() if part is not None else ""


class MailStore:
    """The messages, one `<time>-<random>.eml` file each; the file name is the message id."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)

    def add(self, raw: bytes) -> StoredMessage:
        now = datetime.now(UTC)
        message_id = f"{now:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
        path = self.directory / f"{message_id}.eml"
        partial = path.with_suffix(".part")
        partial.write_bytes(raw)
        partial.replace(path)  # readers never see half a message
        return StoredMessage(id=message_id, path=path, created=now)

    def list(self) -> list[StoredMessage]:
        """Newest first, like Mailpit."""
        stored = []
        for path in self.directory.glob("*.eml"):
            if _ID.match(path.stem):
                created = datetime.strptime(path.stem[:21], "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC)
                stored.append(StoredMessage(id=path.stem, path=path, created=created))
        return sorted(stored, key=lambda message: message.id, reverse=True)

    def get(self, message_id: str) -> StoredMessage | None:
        if not _ID.match(message_id):
            return None
        return next((message for message in self.list() if message.id == message_id), None)

    def clear(self) -> int:
        messages = self.list()
        for message in messages:
            message.path.unlink(missing_ok=True)
        return len(messages)


def summary(stored: StoredMessage) -> dict[str, Any]:
    """One entry of Mailpit's message list."""
    message = stored.parse()
    from_ = _addresses(message["From"])
    text = _part(message, "plain")
    return {
        "ID": stored.id,
        "MessageID": (message["Message-ID"] or "").strip("<>"),
        "Read": False,
        "From": from_[0] if from_ else {"Name": "", "Address": ""},
        "To": _addresses(message["To"]),
        "Cc": _addresses(message["Cc"]),
        "Subject": str(message["Subject"] or ""),
        "Created": stored.created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "Size": stored.path.stat().st_size,
        "Snippet": " ".join(text.split())[:250],
    }


def detail(stored: StoredMessage) -> dict[str, Any]:
    """Mailpit's single message: the summary fields plus the text and HTML bodies."""
    message = stored.parse()
    return {
        **{key: value for key, value in summary(stored).items() if key != "Snippet"},
        "Date": message["Date"] and message["Date"].datetime.isoformat(),
        "ReplyTo": _addresses(message["Reply-To"]),
        "Text": _part(message, "plain"),
        "HTML": _part(message, "html"),
        "Headers": {name: [str(value) for value in message.get_all(name)] for name in message},
    }


def _matches(item: dict[str, Any], query: str) -> bool:
    """Mailpit-style terms: `to:ada@example.com subject:welcome words`, all must match."""
    for term in query.split():
        field, _, value = term.rpartition(":") if ":" in term else ("", "", term)
        value = value.lower()
        if field == "to":
            found = any(value in entry["Address"].lower() for entry in item["To"])
        elif field == "from":
            found = value in item["From"]["Address"].lower()
        elif field == "subject":
            found = value in item["Subject"].lower()
        elif field == "message-id":
            found = value in item["MessageID"].lower()
        else:
            found = value in f"{item['Subject']} {item['Snippet']}".lower()
        if not found:
            return False
    return True


def _page(items: list[dict[str, Any]], params: dict[str, list[str]]) -> dict[str, Any]:
    start = _int(params, "start", 0)
    limit = _int(params, "limit", 50)
    chosen = items[start : start + limit]
    return {
        "total": len(items),
        "unread": len(items),
        "count": len(chosen),
        "messages_count": len(items),
        "start": start,
        "messages": chosen,
    }


def _int(params: dict[str, list[str]], name: str, default: int) -> int:
    try:
        return max(0, int(params[name][0]))
    except (KeyError, IndexError, ValueError):
        return default


_PAGE_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:0;color:#18181b;background:#f4f4f5}"
    "header{background:#1e3a8a;color:#fff;padding:12px 24px}main{padding:16px 24px}"
    "table{border-collapse:collapse;width:100%;background:#fff}"
    "td,th{text-align:left;padding:8px;border-bottom:1px solid #e4e4e7;font-size:14px}"
    "a{color:#1e3a8a}pre{white-space:pre-wrap;background:#fff;padding:12px}"
    "iframe{width:100%;height:70vh;border:1px solid #e4e4e7;background:#fff}"
)


def _html_page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{_PAGE_STYLE}</style></head>"
        f"<body><header><strong>Development mail</strong> &middot; every message the shop "
        f"sent</header><main>{body}</main></body></html>"
    )


def _inbox_page(store: MailStore) -> str:
    rows = []
    for stored in store.list():
        item = summary(stored)
        to = ", ".join(entry["Address"] for entry in item["To"])
        rows.append(
            f"<tr><td>{html.escape(item['Created'])}</td><td>{html.escape(to)}</td>"
            f"<td><a href='/view/{stored.id}'>{html.escape(item['Subject'])}</a></td></tr>"
        )
    table = "".join(rows) or "<tr><td colspan='3'>No messages yet.</td></tr>"
    return _html_page(
        "Development mail",
        f"<table><tr><th>Received (UTC)</th><th>To</th><th>Subject</th></tr>{table}</table>",
    )


def _message_page(stored: StoredMessage) -> str:
    item = detail(stored)
    to = ", ".join(entry["Address"] for entry in item["To"])
    body = (
        "<p><a href='/'>&larr; all messages</a></p>"
        f"<h2>{html.escape(item['Subject'])}</h2>"
        f"<p>From {html.escape(item['From']['Address'])} to {html.escape(to)}, "
        f"{html.escape(item['Created'])} &middot; <a href='/api/v1/message/{stored.id}/raw'>"
        "raw</a></p>"
    )
    if item["HTML"]:
        # A sandboxed frame without scripts: the message's HTML cannot touch this page.
        body += f"<iframe sandbox srcdoc='{html.escape(item['HTML'], quote=True)}'></iframe>"
    body += f"<h3>Text</h3><pre>{html.escape(item['Text'])}</pre>"
    return _html_page(item["Subject"], body)


def make_http_handler(store: MailStore) -> type[BaseHTTPRequestHandler]:
    class MailHttpHandler(BaseHTTPRequestHandler):
        server_version = "devsmtp"

        def log_message(self, format: str, *args: Any) -> None:
            logger.debug("http %s", format % args)

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, payload: Any) -> None:
            self._send(status, json.dumps(payload).encode(), "application/json")

        def _not_found(self) -> None:
            self._json(404, {"error": {"code": "not_found", "message": "No such message."}})

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            params = parse_qs(url.query)
            parts = [part for part in url.path.split("/") if part]
            if not parts:
                self._send(200, _inbox_page(store).encode(), "text/html; charset=utf-8")
            elif parts == ["api", "v1", "messages"]:
                self._json(200, _page([summary(m) for m in store.list()], params))
            elif parts == ["api", "v1", "search"]:
                query = params.get("query", [""])[0]
                found = [item for item in map(summary, store.list()) if _matches(item, query)]
                self._json(200, _page(found, params))
            elif parts[:3] == ["api", "v1", "message"] and len(parts) in (4, 5):
                stored = store.get(parts[3])
                if stored is None:
                    self._not_found()
                elif len(parts) == 4:
                    self._json(200, detail(stored))
                elif parts[4] == "raw":
                    self._send(200, stored.path.read_bytes(), "text/plain; charset=utf-8")
                else:
                    self._not_found()
            elif len(parts) == 2 and parts[0] == "view" and (stored := store.get(parts[1])):
                self._send(200, _message_page(stored).encode(), "text/html; charset=utf-8")
            else:
                self._not_found()

        def do_DELETE(self) -> None:
            if urlsplit(self.path).path.rstrip("/") == "/api/v1/messages":
                store.clear()
                self._send(200, b"ok", "text/plain")
            else:
                self._not_found()

    return MailHttpHandler


class StoringHandler:
    """aiosmtpd handler: accept every recipient, keep every message."""

    def __init__(self, store: MailStore) -> None:
        self.store = store

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        stored = self.store.add(envelope.original_content or envelope.content)
        logger.info(
            "received mail %s from %s to %s",
            stored.id,
            envelope.mail_from,
            ", ".join(envelope.rcpt_tos),
        )
        return "250 Message accepted for delivery"


class DevMailServer:
    """The SMTP listener and the HTTP view over one directory; start() and stop() from code."""

    def __init__(
        self, directory: Path, *, host: str = "127.0.0.1", smtp_port: int, http_port: int | None
    ) -> None:
        self.store = MailStore(directory)
        self.host = host
        self.smtp_port = smtp_port
        self.http_port = http_port
        self._smtp: Controller | None = None
        self._http: ThreadingHTTPServer | None = None

    def start(self) -> "DevMailServer":
        self.start_smtp()
        if self.http_port is not None:
            self._http = ThreadingHTTPServer(
                (self.host, self.http_port), make_http_handler(self.store)
            )
            threading.Thread(target=self._http.serve_forever, daemon=True).start()
        return self

    def start_smtp(self) -> None:
        self._smtp = Controller(StoringHandler(self.store), hostname=self.host, port=self.smtp_port)
        self._smtp.start()

    def stop_smtp(self) -> None:
        if self._smtp is not None:
            self._smtp.stop()
            self._smtp = None

    def stop(self) -> None:
        self.stop_smtp()
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None


def main(argv: list[str] | None = None) -> int:
    data_dir = Path(os.environ.get("DATA_DIR", ".data"))
    parser = argparse.ArgumentParser(prog="python -m notify.devsmtp", description=__doc__)
    parser.add_argument("--dir", type=Path, default=data_dir / "mail", help="where .eml go")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (loopback)")
    parser.add_argument("--smtp-port", type=int, default=1025)
    parser.add_argument("--http-port", type=int, default=8025)
    args = parser.parse_args(argv)

    from notify.logging import configure_logging

    configure_logging(os.environ.get("LOG_LEVEL", "INFO").upper())
    server = DevMailServer(
        args.dir, host=args.host, smtp_port=args.smtp_port, http_port=args.http_port
    ).start()
    logger.info(
        "development mail: SMTP on %s:%d, messages at http://%s:%d/ (files in %s)",
        args.host,
        args.smtp_port,
        args.host,
        args.http_port,
        args.dir.resolve(),
    )
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    stopped.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
