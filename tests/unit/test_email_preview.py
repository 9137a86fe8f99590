"""The email preview: each message a block sent, shown as a mail client shows it, escaped everywhere."""

from __future__ import annotations

import base64
import html
import re

from courseware.blocks import RunBlock, RunOptions, SourceLine
from courseware.render.email_preview import (
    BCC_NOTE, FRAME_POLICY, MAX_LINES, MIN_LINES, estimated_lines, frame_document, human_size,
    render_email_preview, without_remote_resources)
from courseware.render.output import render_run_block
from courseware.runner import BlockResult

PAGE = "docs/page.md"


def message(**fields) -> dict:
    """A message as runner/mail_capture.py describes it."""
    base = {
        "mailer": "default", "kind": "EmailMessage", "subject": "Hello", "from": "club@example.com",
        "to": ["ada@example.com"], "cc": [], "bcc": [], "reply_to": [],
        "date": "Mon, 01 Jun 2026 09:00:00 +0000", "headers": {}, "body": "Hi Ada", "body_type": "text/plain",
        "alternatives": [], "attachments": [],
    }
    return {**base, **fields}


def rows(preview: str) -> dict[str, str]:
    """The header table as {label: text}."""
    found = re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td></tr>', preview)
    return {html.unescape(label): html.unescape(re.sub(r"<[^>]+>", "", value)) for label, value in found}


def test_the_header_table_lists_the_headers_a_client_shows_in_order():
    preview = render_email_preview([message(
        to=["ada@example.com", "grace@example.com"], cc=["org@example.com"], reply_to=["org@example.com"],
        headers={"List-Unsubscribe": "<https://example.com/u/>"})], "m")
    assert rows(preview) == {
        "From": "club@example.com", "To": "ada@example.com, grace@example.com", "Cc": "org@example.com",
        "Reply-To": "org@example.com", "Subject": "Hello", "Date": "Mon, 01 Jun 2026 09:00:00 +0000",
        "List-Unsubscribe": "<https://example.com/u/>",
    }
    assert list(rows(preview)) == ["From", "To", "Cc", "Reply-To", "Subject", "Date", "List-Unsubscribe"]


def test_empty_cc_and_reply_to_are_left_out():
    assert list(rows(render_email_preview([message()], "m"))) == ["From", "To", "Subject", "Date"]


def test_bcc_is_listed_with_the_envelope_note_and_never_as_a_header():
    preview = render_email_preview([message(bcc=["archive@example.com", "boss@example.com"])], "m")
    assert "Bcc" not in rows(preview)
    bcc = re.search(r'<p class="course-mail__bcc">(.*?)</p>', preview).group(1)
    assert "archive@example.com, boss@example.com" in bcc
    assert html.escape(BCC_NOTE) in bcc
    assert "envelope" in BCC_NOTE and "never appear in the message" in BCC_NOTE


def test_no_bcc_no_note():
    assert "course-mail__bcc" not in render_email_preview([message()], "m")


def test_every_value_is_escaped():
    preview = render_email_preview([message(
        subject="<b>Sale</b> & more", body="<script>alert(1)</script>", headers={"X-Tag": '"><img src=x>'},
        attachments=[{"filename": '<i>"a".txt', "mimetype": "text/plain", "size": 1,
                      "content_base64": base64.b64encode(b"a").decode()}])], "m")
    outside_frames = re.sub(r'srcdoc="[^"]*"', "", preview)
    assert "<script>" not in outside_frames and "<b>Sale" not in outside_frames and "<img" not in outside_frames
    assert "<i>" not in outside_frames
    assert "&lt;b&gt;Sale&lt;/b&gt; &amp; more" in preview
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in preview
    assert 'download="&lt;i&gt;&quot;a&quot;.txt"' in preview


def test_the_text_body_is_shown_as_text():
    preview = render_email_preview([message(body="Line 1\n\nLine <2>\n")], "m")
    assert '<pre class="course-mail__text"><code>Line 1\n\nLine &lt;2&gt;\n</code></pre>' in preview
    assert "Plain-text body" in preview


def test_the_html_alternative_is_in_a_sandboxed_frame_without_scripts_or_same_origin():
    body = '<!doctype html><html><body><h1>Hi "you"</h1><script>parent.document.title="x"</script></body></html>'
    preview = render_email_preview([message(alternatives=[{"mimetype": "text/html", "content": body}])], "m")
    frames = re.findall(r"<iframe ([^>]*)></iframe>", preview)
    assert len(frames) == 1
    attributes = frames[0]
    assert 'sandbox=""' in attributes
    assert "allow-scripts" not in preview and "allow-same-origin" not in preview
    assert 'title="HTML version of the message &quot;Hello&quot;"' in attributes
    srcdoc = html.unescape(re.search(r'srcdoc="([^"]*)"', attributes).group(1))
    assert srcdoc == frame_document(body)
    assert "Plain-text version" in preview and "HTML version" in preview


def test_the_frame_document_gets_a_policy_that_blocks_every_request():
    document = frame_document("<!doctype html><html><head><title>t</title></head><body>x</body></html>")
    assert document.startswith("<!doctype html><html><head><meta charset")
    assert f'content="{FRAME_POLICY}"' in document
    assert "default-src 'none'" in FRAME_POLICY and "script-src" not in FRAME_POLICY
    assert '<base target="_blank">' in document
    assert frame_document("<p>fragment</p>").endswith("<p>fragment</p>")
    assert frame_document("<p>fragment</p>").startswith("<meta charset")
    assert frame_document("<!DOCTYPE html>\n<p>x</p>").startswith("<!DOCTYPE html><meta")
    assert frame_document('<html lang="en"><body>x</body></html>').startswith('<html lang="en"><meta')


def test_nothing_in_the_message_is_left_to_fetch():
    body = ('<p style="background: url(https://track.example/p.png)">Hi</p>\n'
            '<img\n  src="http://127.0.0.1:9/beacon.png" alt="beacon">'
            '<img src="data:image/png;base64,AAAA" srcset="https://cdn.example/a.png 2x">'
            '<link rel="stylesheet" href="//cdn.example/x.css"><video poster="/p.png"></video>'
            '<a href="https://example.com/">a link stays</a><img src="#top">'
            '<style>@import "https://cdn.example/y.css"; h1 { background: url( "http://e.example/b" ) }</style>')
    shown, blocked = without_remote_resources(body)
    assert blocked == 7
    assert "example/p.png)" not in shown and "url()" in shown and "@import" not in shown
    assert 'data-blocked-src="http://127.0.0.1:9/beacon.png" alt="beacon"' in shown
    assert '<img src="data:image/png;base64,AAAA" data-blocked-srcset="https://cdn.example/a.png 2x">' in shown
    assert 'data-blocked-href="//cdn.example/x.css"' in shown and 'data-blocked-poster="/p.png"' in shown
    assert '<a href="https://example.com/">a link stays</a><img src="#top">' in shown
    assert not re.search(r"\s(src|srcset|poster)=\"(https?:)?/", shown) and "<link rel=\"stylesheet\" href" not in shown


def test_the_preview_says_what_it_did_not_load():
    body = '<h1>Hi</h1><img src="https://track.example/p.png" alt="">'
    preview = render_email_preview([message(alternatives=[{"mimetype": "text/html", "content": body}])], "m")
    srcdoc = html.unescape(re.search(r'srcdoc="([^"]*)"', preview).group(1))
    assert 'data-blocked-src="https://track.example/p.png"' in srcdoc and ' src="https' not in srcdoc
    assert "1 remote resource (images, styles) not loaded" in preview
    clean = render_email_preview([message(alternatives=[{"mimetype": "text/html", "content": "<p>x</p>"}])], "m")
    assert "not loaded" not in clean


def test_the_html_source_is_behind_a_disclosure_and_escaped():
    preview = render_email_preview([message(alternatives=[{"mimetype": "text/html", "content": "<p>Hi</p>"}])], "m")
    source = re.search(r'<details class="course-mail__source">(.*?)</details>', preview).group(1)
    assert "<summary>View the HTML source</summary>" in source
    assert "<pre><code>&lt;p&gt;Hi&lt;/p&gt;</code></pre>" in source


def test_an_html_only_body_is_shown_in_the_frame():
    preview = render_email_preview([message(body="<p>Only HTML</p>", body_type="text/html")], "m")
    assert "<iframe" in preview and "HTML body" in preview and "course-mail__text" not in preview


def test_the_frame_height_follows_the_content_within_bounds():
    short = estimated_lines("<p>Hi</p>")
    longer = estimated_lines("<h1>Title</h1>" + "<p>" + "word " * 200 + "</p>" + "<p>x</p>" * 5)
    assert short == MIN_LINES
    assert MIN_LINES < longer < MAX_LINES
    assert estimated_lines("<p>x</p>" * 500) == MAX_LINES
    assert estimated_lines("<style>" + "p{}" * 900 + "</style><p>x</p>") == MIN_LINES
    preview = render_email_preview([message(alternatives=[{"mimetype": "text/html", "content": "<p>Hi</p>"}])], "m")
    assert f'style="--course-mail-lines: {MIN_LINES}"' in preview


def test_attachments_have_name_type_size_and_a_download_link_with_their_bytes():
    data = b"Books sold: 269\n"
    preview = render_email_preview([message(attachments=[
        {"filename": "summary.txt", "mimetype": "text/plain", "size": len(data),
         "content_base64": base64.b64encode(data).decode()},
        {"filename": "big.pdf", "mimetype": "application/pdf", "size": 3_000_000, "content_base64": None},
    ])], "m")
    items = re.findall(r"<li>(.*?)</li>", preview)
    assert len(items) == 2
    link = re.search(r'href="([^"]*)" download="summary.txt"', items[0]).group(1)
    assert link == "data:text/plain;base64," + base64.b64encode(data).decode()
    assert "text/plain, 16 bytes" in items[0]
    assert "big.pdf" in items[1] and "application/pdf, 3.0 MB" in items[1]
    assert "href" not in items[1] and "too large to include in the page" in items[1]
    assert "Attachments (2)" in preview


def test_sizes_read_like_a_file_manager():
    assert [human_size(n) for n in (0, 1, 999, 1000, 1536, 2_400_000, 5 * 10**9)] == [
        "0 bytes", "1 byte", "999 bytes", "1.0 kB", "1.5 kB", "2.4 MB", "5.0 GB"]


def test_several_messages_are_shown_in_order_and_numbered():
    preview = render_email_preview([message(subject=f"Notice {n}") for n in (1, 2, 3)], "m")
    assert "This example sent 3 messages" in preview
    titles = re.findall(r'<p class="course-mail__title" id="([^"]+)">(Message \d of 3)', preview)
    assert titles == [("m-1-title", "Message 1 of 3"), ("m-2-title", "Message 2 of 3"), ("m-3-title", "Message 3 of 3")]
    assert preview.index("Notice 1") < preview.index("Notice 2") < preview.index("Notice 3")


def test_the_mailer_and_message_class_are_named():
    preview = render_email_preview([message(mailer="outbox", kind="EmailMultiAlternatives")], "m")
    assert "mailer <code>outbox</code>" in preview and "<code>EmailMultiAlternatives</code>" in preview


# -- in the page: Output and Preview tabs ---------------------------------------------


def result(line: int, emails: list[dict], output: str = "printed\n") -> BlockResult:
    block = RunBlock(PAGE, line, "x = 1\n", RunOptions(), (SourceLine(PAGE, line + 1),))
    return BlockResult(block, output=output, emails=emails)


def test_a_block_that_sent_mail_shows_output_and_preview_tabs_with_ids_from_its_line():
    page = render_run_block("<pre>code</pre>", result(57, [message()]))
    assert '<div class="tabbed-set tabbed-alternate course-run__tabs" data-tabs="course-run-57:2" data-search-exclude>' in page
    assert ('<input checked id="course-run-57-output" name="course-run-57" type="radio">'
            '<input id="course-run-57-preview" name="course-run-57" type="radio">') in page
    assert ('<div class="tabbed-labels"><label for="course-run-57-output">Output</label>'
            '<label for="course-run-57-preview">Preview</label></div>') in page
    blocks = re.findall(r'<div class="tabbed-block">', page)
    assert len(blocks) == 2
    assert page.index("printed") < page.index("course-mail")
    assert page.count('class="course-run__output"') == 1


def test_two_blocks_on_a_page_never_share_ids_and_rendering_is_deterministic():
    first = render_run_block("", result(10, [message()]))
    second = render_run_block("", result(20, [message()]))
    ids = re.findall(r'id="([^"]+)"', first) + re.findall(r'id="([^"]+)"', second)
    assert len(ids) == len(set(ids))
    assert first == render_run_block("", result(10, [message()]))


def test_a_block_that_sent_nothing_has_no_tabs():
    page = render_run_block("", result(3, []))
    assert "tabbed-set" not in page and '<p class="course-run__label">Output</p>' in page
