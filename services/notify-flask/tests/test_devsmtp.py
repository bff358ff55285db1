"""The development mail sink answers the subset of Mailpit's API that tests and docs use."""

import smtplib
from email.message import EmailMessage

import pytest
import requests

import testenv
from notify.devsmtp import DevMailServer


@pytest.fixture
def sink(tmp_path):
    server = DevMailServer(
        tmp_path / "mail", smtp_port=testenv.free_port(), http_port=testenv.free_port()
    ).start()
    yield server
    server.stop()


def send(sink, *, to: str, subject: str) -> None:
    message = EmailMessage()
    message["From"] = "Reference Shop <shop@shop.test>"
    message["To"] = f"Ada <{to}>"
    message["Subject"] = subject
    message["Message-ID"] = f"<notify.{subject.replace(' ', '-')}@shop.test>"
    message.set_content(f"Plain text of {subject}")
    message.add_alternative(f"<p>HTML of {subject}</p>", subtype="html")
    with smtplib.SMTP("127.0.0.1", sink.smtp_port, timeout=5) as smtp:
        smtp.send_message(message)


def test_messages_are_kept_as_files_and_listed_newest_first(sink):
    send(sink, to="ada@example.com", subject="first")
    send(sink, to="bob@example.com", subject="second")
    base = f"http://127.0.0.1:{sink.http_port}"

    listing = requests.get(f"{base}/api/v1/messages", timeout=5).json()

    assert listing["total"] == 2
    assert [m["Subject"] for m in listing["messages"]] == ["second", "first"]
    newest = listing["messages"][0]
    assert newest["To"] == [{"Name": "Ada", "Address": "bob@example.com"}]
    assert newest["From"] == {"Name": "Reference Shop", "Address": "shop@shop.test"}
    assert newest["MessageID"] == "notify.second@shop.test"
    assert newest["Created"].endswith("Z")
    assert len(list(sink.store.directory.glob("*.eml"))) == 2

    detail = requests.get(f"{base}/api/v1/message/{newest['ID']}", timeout=5).json()
    assert detail["Text"].strip() == "Plain text of second"
    assert detail["HTML"].strip() == "<p>HTML of second</p>"
    raw = requests.get(f"{base}/api/v1/message/{newest['ID']}/raw", timeout=5)
    assert "Subject: second" in raw.text


def test_search_filters_by_recipient_and_subject(sink):
    send(sink, to="ada@example.com", subject="Welcome to Reference Shop")
    send(sink, to="bob@example.com", subject="Order 1 is confirmed")
    base = f"http://127.0.0.1:{sink.http_port}/api/v1/search"

    by_recipient = requests.get(base, params={"query": "to:ada@example.com"}, timeout=5).json()
    by_subject = requests.get(base, params={"query": "subject:confirmed"}, timeout=5).json()
    nothing = requests.get(base, params={"query": "to:eve@example.com"}, timeout=5).json()

    assert [m["Subject"] for m in by_recipient["messages"]] == ["Welcome to Reference Shop"]
    assert [m["Subject"] for m in by_subject["messages"]] == ["Order 1 is confirmed"]
    assert nothing["total"] == 0


def test_the_page_escapes_what_it_shows_and_unknown_ids_are_404(sink):
    send(sink, to="ada@example.com", subject="<img src=x onerror=alert(1)>")
    base = f"http://127.0.0.1:{sink.http_port}"

    page = requests.get(f"{base}/", timeout=5)
    message_id = requests.get(f"{base}/api/v1/messages", timeout=5).json()["messages"][0]["ID"]
    view = requests.get(f"{base}/view/{message_id}", timeout=5)

    assert page.status_code == 200
    assert "<img src=x" not in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text
    assert view.status_code == 200
    assert "<iframe sandbox" in view.text
    assert requests.get(f"{base}/api/v1/message/../../etc", timeout=5).status_code == 404
    assert requests.get(f"{base}/api/v1/message/nope", timeout=5).status_code == 404


def test_delete_empties_the_store(sink):
    send(sink, to="ada@example.com", subject="gone soon")
    base = f"http://127.0.0.1:{sink.http_port}/api/v1/messages"

    assert requests.delete(base, timeout=5).status_code == 200

    assert requests.get(base, timeout=5).json()["total"] == 0
