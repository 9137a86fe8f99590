"""The Sending Email practice quiz: well formed, and every right answer true on the pinned Django."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import markdown
from bs4 import BeautifulSoup

from courseware.quiz import QuizExtension, check_page
from tests.conftest import REPO
from tests.unit.test_quiz import COURSE_CONFIGS, COURSE_EXTENSIONS

LESSON = REPO / "docs" / "lessons" / "sending-email.md"
HEADING = "\n## Practice quiz\n"


def lesson_quiz() -> str:
    lesson = LESSON.read_text(encoding="utf-8")
    return lesson[lesson.index(HEADING):]


def questions(source: str):
    md = markdown.Markdown(extensions=[*COURSE_EXTENSIONS, "pymdownx.tasklist", QuizExtension()],
                           extension_configs=COURSE_CONFIGS)
    return BeautifulSoup(md.convert(source), "html.parser").select(".quiz-question")


def right_answers(source: str) -> dict[str, list[str]]:
    return {question["data-quiz-id"]: [" ".join(option.get_text().split()) for option in
                                       question.select(".quiz-option[data-quiz-correct]")]
            for question in questions(source)}


def test_the_lesson_ends_with_its_practice_quiz():
    lesson = LESSON.read_text(encoding="utf-8")
    assert lesson.count(HEADING) == 1
    assert "\n## " not in lesson_quiz()[len(HEADING):], "the practice quiz must be the lesson's last section"
    assert check_page(lesson, "docs/lessons/sending-email.md") == []


def test_the_quiz_has_ten_questions_each_with_one_right_answer():
    found = questions(lesson_quiz())
    assert len(found) == 10
    assert all(len(question.select(".quiz-option")) == 4 for question in found)
    assert list(right_answers(lesson_quiz()).values()) == [
        ["send_mail()"],
        ["subject, message, from_email, recipient_list"],
        ["EmailMessage"],
        ["django.core.mail.backends.console.EmailBackend"],
        ["EmailMultiAlternatives"],
        ["The rendered template, as a string"],
        ['msg.attach_alternative(html, "text/html")'],
        ["django.core.mail.backends.smtp.EmailBackend"],
        ["When you need attachments, cc, bcc, reply-to or extra headers"],
        ["1 if the message was sent, 0 if it was not"],
    ]


# Each right answer above, checked on the Django this course pins (a fresh interpreter:
# the settings are configured here, not by the course's runner).
DJANGO_FACTS = textwrap.dedent('''
    import contextlib, inspect, io, pathlib, sys, tempfile
    import django
    from django.conf import settings

    templates = pathlib.Path(tempfile.mkdtemp())
    (templates / "hello.txt").write_text("Hello {{ name }}")
    settings.configure(
        MAILERS={
            "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"},
            "outbox": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
            "production": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                           "OPTIONS": {"host": "smtp.example.com", "port": 587, "username": "app",
                                       "password": "secret", "use_tls": True}},
        },
        DEFAULT_FROM_EMAIL="course@example.com",
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [templates]}],
    )
    django.setup()
    assert django.get_version() == "6.1.3", django.get_version()
    import django.core.mail as mail_module
    from django.core import mail
    from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers, send_mail
    from django.template.loader import render_to_string

    # 1. send_mail() sends in one call; there is no mail(), deliver() or send_now().
    assert not hasattr(mail_module, "mail") and not hasattr(mail_module, "deliver")
    assert not hasattr(EmailMessage, "send_now")
    # 2. The first four arguments.
    assert list(inspect.signature(send_mail).parameters)[:4] == [
        "subject", "message", "from_email", "recipient_list"]
    # 3, 9. EmailMessage has cc, bcc, reply_to, headers, attachments; send_mail has none of them.
    message = EmailMessage("Hi", "Body", None, ["a@example.com"], cc=["c@example.com"], bcc=["b@example.com"],
                           reply_to=["r@example.com"], headers={"X-Course": "1"})
    message.attach("notes.txt", "notes", "text/plain")
    assert message.recipients() == ["a@example.com", "c@example.com", "b@example.com"]
    assert message.send(using="outbox") == 1
    assert not {"cc", "bcc", "reply_to", "headers", "attachments"} & set(inspect.signature(send_mail).parameters)
    # 4. The console backend, chosen through MAILERS, prints the message.
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        returned = send_mail("Hi", "Body", None, ["a@example.com", "b@example.com", "c@example.com"])
    assert type(mailers["default"]).__module__ == "django.core.mail.backends.console"
    assert "Subject: Hi" in printed.getvalue()
    # 10. One message for three recipients: returns 1; nothing to send: 0.
    assert returned == 1
    assert printed.getvalue().count("Subject: ") == 1
    assert send_mail("Hi", "Body", None, [], using="outbox") == 0
    # 5, 7. EmailMultiAlternatives + attach_alternative; setting .html does nothing.
    both = EmailMultiAlternatives("Hi", "Text", None, ["a@example.com"])
    both.attach_alternative("<p>Hi</p>", "text/html")
    assert both.alternatives[0].mimetype == "text/html"
    assert issubclass(EmailMultiAlternatives, EmailMessage)
    assert not any(hasattr(both, name) for name in ("set_html", "add_html"))
    assert not hasattr(mail_module, "HtmlEmail") and not hasattr(EmailMessage, "as_html")
    ignored = EmailMultiAlternatives("Hi", "Text", None, ["a@example.com"])
    ignored.html = "<p>Lost</p>"
    assert "Lost" not in ignored.message().as_string()
    send_mail("Hi", "Body", None, ["a@example.com"], html_message="<p>Hi</p>", using="outbox")
    assert type(mail.outbox[-1]) is EmailMultiAlternatives
    # 6. render_to_string returns the rendered text as a str.
    rendered = render_to_string("hello.txt", {"name": "Ada"})
    assert isinstance(rendered, str) and rendered == "Hello Ada"
    # 8. The SMTP backend takes host, port, username, password and use_tls from OPTIONS.
    smtp = mailers["production"]
    assert type(smtp).__module__ == "django.core.mail.backends.smtp"
    assert (smtp.host, smtp.port, smtp.username, smtp.password, smtp.use_tls) == (
        "smtp.example.com", 587, "app", "secret", True)
    print("all facts hold", file=sys.stderr)
''')


def test_every_right_answer_is_true_on_django_6_1_3():
    done = subprocess.run([sys.executable, "-W", "error::DeprecationWarning", "-c", DJANGO_FACTS],
                          capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert "all facts hold" in done.stderr
