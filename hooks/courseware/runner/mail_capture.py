"""Keep a copy of every message a block hands to a mailer, for the email preview.

The warm parent wraps `send_messages` of each configured mailer's backend
class. What is kept is read from the real message objects (not re-parsed from
printed text), after the backend accepted them, as plain JSON-able data.
"""

from __future__ import annotations

import base64
import functools

from . import determinism

MAX_ATTACHMENT_BYTES = 512 * 1024  # larger attachments are listed without their bytes

_sent: list[dict] = []


def install() -> None:
    """In the warm parent, after django.setup()."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    backends = {config.get("BACKEND", "django.core.mail.backends.smtp.EmailBackend")
                for config in getattr(settings, "MAILERS", {}).values()}
    for path in sorted(backends):
        backend = import_string(path)
        if not getattr(backend.send_messages, "_course_capture", False):
            backend.send_messages = _capturing(backend.send_messages)


def take() -> list[dict]:
    """The messages sent since the last call (one block's worth)."""
    messages = list(_sent)
    _sent.clear()
    return messages


def _capturing(send_messages):
    @functools.wraps(send_messages)
    def send_and_keep(self, email_messages):
        accepted = send_messages(self, email_messages)
        if accepted:
            alias = getattr(self, "alias", None)
            _sent.extend(describe(message, alias) for message in list(email_messages)[:accepted])
        return accepted

    send_and_keep._course_capture = True
    return send_and_keep


def describe(message, alias: str | None) -> dict:
    headers = {str(name): str(value) for name, value in message.extra_headers.items()}
    return {
        "mailer": alias,
        "kind": type(message).__name__,
        "subject": str(message.subject),
        "from": str(headers.pop("From", message.from_email)),
        "to": [str(address) for address in message.to],
        "cc": [str(address) for address in message.cc],
        "bcc": [str(address) for address in message.bcc],
        "reply_to": [str(address) for address in message.reply_to],
        "date": headers.pop("Date", None) or determinism.MAIL_CLOCK.strftime("%a, %d %b %Y %H:%M:%S +0000"),
        "headers": headers,
        "body": str(message.body),
        "body_type": f"text/{message.content_subtype}",
        "alternatives": [{"mimetype": mimetype, "content": str(content)}
                         for content, mimetype in getattr(message, "alternatives", [])],
        "attachments": [_attachment(attachment) for attachment in message.attachments],
    }


def _attachment(attachment) -> dict:
    if hasattr(attachment, "get_payload"):  # a MIMEBase object
        data = attachment.get_payload(decode=True) or b""
        name, mimetype = attachment.get_filename(), attachment.get_content_type()
    else:
        name, content, mimetype = attachment
        data = content if isinstance(content, bytes) else str(content).encode()
    return {
        "filename": name,
        "mimetype": mimetype or "application/octet-stream",
        "size": len(data),
        "content_base64": base64.b64encode(data).decode() if len(data) <= MAX_ATTACHMENT_BYTES else None,
    }
