"""HTML of the messages a block sent, shown as a mail client would show them.

Built from the data runner/mail_capture.py read from the real message objects
(never from the printed text). Everything is escaped, except the HTML
alternative, which is shown in an `<iframe sandbox srcdoc="...">`: the frame
may run no script, open nothing and fetch nothing (a Content-Security-Policy
inside the frame blocks every request but inline data), and its document has
an opaque origin, so it cannot reach the page around it. The srcdoc attribute
itself is attribute-escaped like every other value.

The frame is sized at build time from an estimate of its content (no script
runs inside it to measure), and the reader can make it taller by dragging.
"""

from __future__ import annotations

import math
import re
from html import escape
from html.parser import HTMLParser

BCC_NOTE = ("Bcc recipients travel only in the envelope, the list of addresses handed to the mail server. "
            "They never appear in the message itself, so no reader can see them.")

# What the frame's document may do: nothing but show inline styles and data: images.
FRAME_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"
FRAME_HEAD = (
    '<meta charset="utf-8">'
    f'<meta http-equiv="Content-Security-Policy" content="{FRAME_POLICY}">'
    '<base target="_blank">'  # a click on a link would open a window, which the sandbox forbids
    "<style>:root{color-scheme:light}body{margin:12px;background:#fff;color:#1f1f1f;"
    "font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;overflow-wrap:anywhere}"
    "img{max-width:100%;height:auto}</style>"
)
MIN_LINES, MAX_LINES = 4, 40
_CHARS_PER_LINE = 60  # a phone-width frame; wider screens get some spare room
_EXTRA_LINES = {"h1": 1.5, "h2": 1.0, "img": 4.0, "hr": 0.5}

_HEAD_OPEN = re.compile(r"<head(?:\s[^>]*)?>", re.IGNORECASE)
_HTML_OPEN = re.compile(r"<html(?:\s[^>]*)?>", re.IGNORECASE)
_DOCTYPE = re.compile(r"\A\s*<!doctype[^>]*>", re.IGNORECASE)


def render_email_preview(emails: list[dict], prefix: str) -> str:
    """The preview of every message of one block; `prefix` makes ids unique on the page."""
    count = len(emails)
    parts = ['<div class="course-mail">']
    if count > 1:
        parts.append(f'<p class="course-mail__count">This example sent {count} messages, shown in order.</p>')
    for number, message in enumerate(emails, start=1):
        parts.append(_message(message, number, count, f"{prefix}-{number}"))
    parts.append("</div>")
    return "".join(parts)


def _message(message: dict, number: int, count: int, prefix: str) -> str:
    name = f"Message {number} of {count}" if count > 1 else "Message"
    parts = [f'<div class="course-mail__message" role="group" aria-labelledby="{prefix}-title">',
             f'<p class="course-mail__title" id="{prefix}-title">{escape(name)}'
             f'{_sent_through(message)}</p>',
             _headers(message)]
    if message.get("bcc"):
        parts.append('<p class="course-mail__bcc"><strong>Bcc:</strong> '
                     f'{escape(", ".join(message["bcc"]))}<br>'
                     f'<span class="course-mail__note">{escape(BCC_NOTE)}</span></p>')
    bodies = [(message.get("body_type") or "text/plain", message.get("body", ""))]
    bodies += [(part.get("mimetype") or "", part.get("content", "")) for part in message.get("alternatives", [])]
    frame_title = f'HTML version of the message "{message.get("subject") or ""}"'
    if count > 1:
        frame_title += f" ({number} of {count})"
    for index, (mimetype, content) in enumerate(bodies):
        parts.append(_body(mimetype, content, index, len(bodies), frame_title))
    if message.get("attachments"):
        parts.append(_attachments(message["attachments"]))
    parts.append("</div>")
    return "".join(parts)


def _sent_through(message: dict) -> str:
    details = []
    if message.get("mailer"):
        details.append(f'mailer <code>{escape(message["mailer"])}</code>')
    if message.get("kind"):
        details.append(f'<code>{escape(message["kind"])}</code>')
    if not details:
        return ""
    return f' <span class="course-mail__via">({", ".join(details)})</span>'


def _headers(message: dict) -> str:
    rows = [("From", message.get("from") or "")]
    for label, key in (("To", "to"), ("Cc", "cc"), ("Reply-To", "reply_to")):
        if message.get(key):
            rows.append((label, ", ".join(message[key])))
    rows.append(("Subject", message.get("subject") or ""))
    rows.append(("Date", message.get("date") or ""))
    rows.extend((str(name), str(value)) for name, value in (message.get("headers") or {}).items())
    cells = "".join(f'<tr><th scope="row">{escape(label)}</th><td>{escape(value) or _absent(label)}</td></tr>'
                    for label, value in rows)
    return f'<table class="course-mail__headers"><tbody>{cells}</tbody></table>'


def _absent(label: str) -> str:
    return f'<span class="course-mail__note">(no {escape(label.lower())})</span>'


def _body(mimetype: str, content: str, index: int, total: int, frame_title: str) -> str:
    if mimetype == "text/html":
        label = "HTML version" if total > 1 else "HTML body"
        return (f'<div class="course-mail__part"><p class="course-mail__part-label">{label}</p>'
                f'{_frame(content, frame_title)}'
                '<details class="course-mail__source"><summary>View the HTML source</summary>'
                f'<pre><code>{escape(content)}</code></pre></details></div>')
    if mimetype == "text/plain":
        label = "Plain-text version" if total > 1 else "Plain-text body"
    else:
        label = f"Alternative ({escape(mimetype)})" if index else f"Body ({escape(mimetype)})"
    text = escape(content) if content else '<span class="course-mail__note">(empty)</span>'
    return (f'<div class="course-mail__part"><p class="course-mail__part-label">{label}</p>'
            f'<pre class="course-mail__text"><code>{text}</code></pre></div>')


def _frame(html: str, title: str) -> str:
    lines = estimated_lines(html)
    shown, blocked = without_remote_resources(html)
    note = ""
    if blocked:
        what = "resource" if blocked == 1 else "resources"
        note = (f'<p class="course-mail__note">{blocked} remote {what} (images, styles) not loaded, '
                "as a careful mail client would: the preview fetches nothing.</p>")
    return (f'<div class="course-mail__frame" style="--course-mail-lines: {lines}">'
            f'<iframe sandbox="" srcdoc="{escape(frame_document(shown), quote=True)}" '
            f'title="{escape(title)}" loading="lazy" referrerpolicy="no-referrer"></iframe></div>{note}')


# Attributes that make a browser fetch something, and the tags where `href` does.
_FETCHING = frozenset({"src", "srcset", "background", "poster", "data", "lowsrc", "dynsrc", "action", "formaction",
                       "xlink:href", "imagesrcset"})
_FETCHING_HREF = frozenset({"link", "image", "use", "feimage"})
_INLINE = re.compile(r"^\s*(?:data:|#|$)", re.IGNORECASE)  # nothing to fetch
_CSS_URL = re.compile(r"""url\(\s*(?!['"]?\s*(?:data:|#))[^)]*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import\b[^;]*;?", re.IGNORECASE)


def without_remote_resources(html: str) -> tuple[str, int]:
    """The message's HTML with nothing left to fetch, and how many things were taken out.

    The frame's policy already forbids every request; this is the second lock
    (a browser may start a fetch before it has read the policy): attributes that
    would load something keep their value under a `data-blocked-` name, CSS
    `url(...)` becomes `url()`, and `@import` goes.
    """
    finder = _FetchingTags()
    finder.feed(html)
    finder.close()
    line_starts = [0] + [match.end() for match in re.finditer("\n", html)]
    parts, done, blocked = [], 0, 0
    for (line, column), raw, rebuilt, count in finder.edits:
        start = line_starts[line - 1] + column
        if start < done or html[start:start + len(raw)] != raw:
            continue
        parts += [html[done:start], rebuilt]
        done = start + len(raw)
        blocked += count
    parts.append(html[done:])
    text = "".join(parts)
    text, urls = _CSS_URL.subn("url()", text)
    text, imports = _CSS_IMPORT.subn("", text)
    return text, blocked + urls + imports


class _FetchingTags(HTMLParser):
    """Finds the start tags with an attribute that would fetch something, and their harmless rewrite."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.edits: list[tuple[tuple[int, int], str, str, int]] = []

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs, "")

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs, " /")

    def _check(self, tag: str, attrs: list[tuple[str, str | None]], end: str) -> None:
        rewritten, count = [], 0
        for name, value in attrs:
            fetches = name in _FETCHING or (name == "href" and tag in _FETCHING_HREF)
            if fetches and value is not None and not _INLINE.match(value):
                name, count = f"data-blocked-{name.replace(':', '-')}", count + 1
            rewritten.append(name if value is None else f'{name}="{escape(value, quote=True)}"')
        raw = self.get_starttag_text()
        if count and raw:
            self.edits.append((self.getpos(), raw, f"<{' '.join([tag, *rewritten])}{end}>", count))


def frame_document(html: str) -> str:
    """The message's HTML with our head first: charset, the no-request policy, base styles."""
    for pattern in (_HEAD_OPEN, _HTML_OPEN, _DOCTYPE):
        found = pattern.search(html)
        if found:
            return html[:found.end()] + FRAME_HEAD + html[found.end():]
    return FRAME_HEAD + html


class _Measure(HTMLParser):
    """Counts the blocks and the text of an HTML document, for a height estimate."""

    BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "br", "hr", "blockquote",
                        "pre", "table", "ul", "ol", "section", "header", "footer", "img", "button", "dt", "dd"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines = 0.0
        self.text = 0
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "head", "title"):
            self._skip += 1
        elif tag in self.BLOCKS:
            self._break()
            self.lines += _EXTRA_LINES.get(tag, 0.4)  # margins, taller headings and images

    def handle_endtag(self, tag):
        if tag in ("style", "script", "head", "title"):
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCKS:
            self._break()

    def handle_data(self, data):
        if not self._skip:
            self.text += len(" ".join(data.split()))

    def _break(self) -> None:
        if self.text:
            self.lines += math.ceil(self.text / _CHARS_PER_LINE)
            self.text = 0

    def total(self) -> int:
        self._break()
        return math.ceil(self.lines)


def estimated_lines(html: str) -> int:
    """How many lines of text the frame should have room for (deterministic, no script)."""
    measure = _Measure()
    measure.feed(html)
    measure.close()
    return max(MIN_LINES, min(MAX_LINES, measure.total() + 1))


def _attachments(attachments: list[dict]) -> str:
    items = []
    for attachment in attachments:
        name = attachment.get("filename") or "unnamed"
        mimetype = attachment.get("mimetype") or "application/octet-stream"
        size = human_size(int(attachment.get("size") or 0))
        data = attachment.get("content_base64")
        if data is not None:
            href = escape(f"data:{mimetype};base64,{data}", quote=True)
            link = (f'<a class="course-mail__download" href="{href}" download="{escape(name, quote=True)}">'
                    f'{escape(name)}</a>')
            note = ""
        else:
            link = f'<span class="course-mail__filename">{escape(name)}</span>'
            note = ' <span class="course-mail__note">(too large to include in the page)</span>'
        items.append(f'<li>{link} <span class="course-mail__filemeta">{escape(mimetype)}, {size}</span>{note}</li>')
    label = "Attachment" if len(attachments) == 1 else f"Attachments ({len(attachments)})"
    return (f'<div class="course-mail__part"><p class="course-mail__part-label">{label}</p>'
            f'<ul class="course-mail__attachments">{"".join(items)}</ul></div>')


def human_size(size: int) -> str:
    """`36 bytes`, `1.5 kB`, `2.3 MB` (decimal units, as file managers show them)."""
    if size == 1:
        return "1 byte"
    if size < 1000:
        return f"{size} bytes"
    value = size / 1000
    for unit in ("kB", "MB"):
        if value < 1000:
            return f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"
