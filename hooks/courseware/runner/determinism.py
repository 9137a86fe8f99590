"""Make what examples print the same on every build and every machine.

Django stamps each message with the wall-clock time, a Message-ID holding a
random number and the host name, and MIME boundaries from `random`. The warm
parent installs a fixed clock and numbered Message-IDs for mail, and each
session starts with the same random seed. What is left (memory addresses,
paths of the machine) is rewritten in the captured text.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timezone
from pathlib import Path

MAIL_CLOCK = datetime(2026, 6, 1, 9, 0, 0, tzinfo=timezone.utc)
MAIL_DOMAIN = "mail.example.com"
SEED = 1

_message_counter = 0


class _MailClock(datetime):
    """`datetime` whose now() is always MAIL_CLOCK: used only for the Date header."""

    @classmethod
    def now(cls, tz=None):
        return MAIL_CLOCK.astimezone(tz) if tz else MAIL_CLOCK.replace(tzinfo=None)


def _numbered_msgid(idstring=None, domain=None):
    global _message_counter
    _message_counter += 1
    middle = f".{idstring}" if idstring else ""
    return f"<{MAIL_CLOCK:%Y%m%d%H%M%S}.{_message_counter}{middle}@{MAIL_DOMAIN}>"


def install() -> None:
    """In the warm parent, after django.setup()."""
    import django.core.mail.message as message
    import django.core.mail.utils as mail_utils

    message.datetime = _MailClock
    message.make_msgid = _numbered_msgid
    mail_utils.DNS_NAME._fqdn = MAIL_DOMAIN


def start_session() -> None:
    """In each session process, before its first block."""
    global _message_counter
    _message_counter = 0
    random.seed(SEED)


_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")


def scrub(text: str, paths: dict[str, str]) -> str:
    """Rewrite machine-specific parts of captured output.

    `paths` maps folders of this machine (longest first wins) to the names
    shown instead, e.g. the virtualenv's site-packages to "site-packages".
    """
    for folder, shown in sorted(paths.items(), key=lambda item: -len(item[0])):
        text = text.replace(folder, shown)
    return _ADDRESS.sub("0x…", text)


def machine_paths(repo: Path, site_packages: list[str], stdlib: str) -> dict[str, str]:
    paths = {stdlib: "python3", str(repo): "course"}
    paths.update({folder: "site-packages" for folder in site_packages})
    return paths
