"""The first cell of a lesson's notebook: Django set up exactly as the build set it up.

The build imports the course's settings module (`course_settings`, with the
snippets folder on `sys.path`), works in a throwaway copy of `snippets/files/`,
and fixes what would change from run to run (the Date header, Message-IDs,
MIME boundaries). The cell does the same in a plain Jupyter kernel, from the
files the lesson's examples used, which it carries in itself: the notebook
needs nothing but the pinned requirements.
"""

from __future__ import annotations

from pathlib import Path

from ..runner import BlockResult, determinism

SETUP_TAG = "course-setup"  # notebook pages render without this cell (mkdocs-jupyter's remove_tag_config)
METADATA_KEY = "django_course"

_TEMPLATE = '''\
# Run this cell first. It sets Django up exactly as the course did when it
# built "{title}", so every cell below prints what the lesson page shows:
# the course's settings module and the files the examples use are written to
# a new temporary folder, which becomes the working folder.
import os
import random
import sys
import tempfile
import warnings
from datetime import datetime, timezone
from pathlib import Path

COURSE_FILES = {{
{files}
}}

snippets = Path(tempfile.mkdtemp(prefix="django-course-"))
for name, content in COURSE_FILES.items():
    path = snippets / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
(snippets / "files").mkdir(exist_ok=True)
os.chdir(snippets / "files")  # examples open files such as report.csv from here

sys.path.insert(0, str(snippets))
os.environ["DJANGO_SETTINGS_MODULE"] = "{settings_module}"
# Jupyter runs cells inside an asyncio event loop; Django refuses database
# queries there unless told that it is safe (it is: cells run one at a time).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
import django

django.setup()

# What changes on every run is fixed, as on the page: mail gets a fixed Date,
# numbered Message-IDs and MIME boundaries from a seeded random.
import django.core.mail.message
import django.core.mail.utils
from django.core import mail

MAIL_DATE = datetime({date}, tzinfo=timezone.utc)


class MailClock(datetime):
    @classmethod
    def now(cls, tz=None):
        return MAIL_DATE.astimezone(tz) if tz else MAIL_DATE.replace(tzinfo=None)


def numbered_message_id(idstring=None, domain=None):
    global message_number
    message_number += 1
    middle = f".{{idstring}}" if idstring else ""
    return f"<{{MAIL_DATE:%Y%m%d%H%M%S}}.{{message_number}}{{middle}}@{domain}>"


django.core.mail.message.datetime = MailClock
django.core.mail.message.make_msgid = numbered_message_id
django.core.mail.utils.DNS_NAME._fqdn = "{domain}"

# Deprecated Django APIs are shown, never hidden (the course's build refuses them).
warnings.simplefilter("always", DeprecationWarning)
warnings.simplefilter("always", PendingDeprecationWarning)


def start_session():
    """Start over as the course does for each example session: the first
    Message-ID is number 1 again, random is seeded, the test outbox is empty."""
    global message_number
    message_number = 0
    random.seed({seed})
    if hasattr(mail, "outbox"):
        del mail.outbox


start_session()'''


def setup_cell(title: str, results: list[BlockResult] | None, snippets_dir: Path,
               settings_module: str = "course_settings") -> dict:
    """The code cell (not run by the build: no execution count, no outputs)."""
    files = course_files(results, snippets_dir, settings_module)
    return {"cell_type": "code", "execution_count": None, "outputs": [],
            "metadata": {METADATA_KEY: {"role": "setup"}, "tags": [SETUP_TAG]},
            "source": setup_source(title, settings_module, files)}


def course_files(results: list[BlockResult] | None, snippets_dir: Path, settings_module: str) -> dict[str, bytes]:
    """The settings module and every file under snippets/ the examples read while they ran.

    Without results (examples not run), the templates and files folders whole.
    """
    snippets_dir = snippets_dir.resolve()
    wanted = {f"{settings_module}.py"}
    if results is None:
        wanted |= {path.relative_to(snippets_dir).as_posix() for folder in ("templates", "files")
                   for path in (snippets_dir / folder).rglob("*") if path.is_file()}
    else:
        wanted |= {read for result in results for read in result.reads}
    files = {}
    for name in sorted(wanted):
        path = (snippets_dir / name).resolve()
        if path.is_relative_to(snippets_dir) and path.is_file() and "__pycache__" not in path.parts:
            files[name] = path.read_bytes()
    return files


def setup_source(title: str, settings_module: str, files: dict[str, bytes]) -> str:
    """The cell's code; `files` maps paths under snippets/ to their content (settings module included)."""
    clock = determinism.MAIL_CLOCK
    return _TEMPLATE.format(
        title=title.replace('"', "'"),
        files="\n".join(f"    {name!r}: {_literal(content)}," for name, content in sorted(files.items())),
        settings_module=settings_module,
        date=f"{clock.year}, {clock.month}, {clock.day}, {clock.hour}, {clock.minute}, {clock.second}",
        domain=determinism.MAIL_DOMAIN,
        seed=determinism.SEED,
    )


def _literal(content: bytes) -> str:
    """A readable Python literal for a file: a raw triple-quoted string when that is exact."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return repr(content)
    readable = ("'''" not in text and "\r" not in text and not text.endswith(("\\", "'"))
                and all(char.isprintable() or char in "\n\t" for char in text))
    return f"r'''{text}'''" if readable else repr(text)
