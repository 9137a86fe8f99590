"""The runner, really run: sessions, capture, errors, determinism and the sandbox."""

from __future__ import annotations

import os
import time

import pytest

from courseware.runner import Limits, Runner
from tests.conftest import REPO, SNIPPETS, fence, page_blocks


def run(runner: Runner, *fences: str):
    return runner.run_session(page_blocks("\n".join(fences)))


# -- sessions -----------------------------------------------------------


def test_blocks_of_a_session_share_names_like_notebook_cells(runner):
    first, second = run(runner, fence("greeting = 'hello'"), fence("print(greeting.upper())"))
    assert not first.failed and not second.failed
    assert second.output == "HELLO\n"


def test_each_session_starts_fresh(runner):
    (first,) = run(runner, fence("leftover = 1"))
    (second,) = run(runner, fence("print('leftover' in globals())"))
    assert second.output == "False\n"


# -- capture ------------------------------------------------------------


def test_everything_written_to_stdout_and_stderr_is_captured_in_order(runner):
    (result,) = run(runner, fence("""
        import logging, os, subprocess, sys
        print("print")
        sys.stderr.write("stderr\\n")
        logging.warning("logging")
        os.write(1, b"fd one\\n")
        subprocess.run(["echo", "child process"], check=True)
        print("end")
    """))
    assert result.output == "print\nstderr\nWARNING:root:logging\nfd one\nchild process\nend\n"


def test_the_console_mail_backend_is_captured_with_a_deterministic_message(runner):
    (result,) = run(runner, fence("""
        from django.core.mail import send_mail
        print(send_mail("Hi", "Body", None, ["a@example.com", "b@example.com", "c@example.com"]))
    """))
    assert "To: a@example.com, b@example.com, c@example.com\n" in result.output
    assert "Date: Mon, 01 Jun 2026 09:00:00 +0000\n" in result.output
    assert "Message-ID: <20260601090000.1@mail.example.com>\n" in result.output
    assert result.output.endswith("-" * 79 + "\n1\n")


def test_output_is_identical_on_every_run_including_mime_boundaries(runner):
    code = fence("""
        from django.core.mail import EmailMultiAlternatives
        message = EmailMultiAlternatives("Hi", "text", None, ["a@example.com"])
        message.attach_alternative("<p>html</p>", "text/html")
        message.attach("notes.txt", "some notes", "text/plain")
        message.send()
        print(object(), hash("stable"))
    """)
    first, second = run(runner, code)[0], run(runner, code)[0]
    assert "boundary=" in first.output
    assert "0x…" in first.output
    assert first.output == second.output


def test_output_is_cut_at_the_limit_with_a_visible_notice():
    with Runner(repo=REPO, snippets_dir=SNIPPETS, output_limit=1000) as small:
        (result,) = run(small, fence("for i in range(100_000): print(i)"))
    assert not result.failed
    assert result.output.startswith("0\n1\n2\n")
    assert "[output truncated: the example printed 588,890 bytes; the first 1,000 are shown]" in result.output


# -- raises= ------------------------------------------------------------


def test_an_expected_exception_is_shown_as_a_trimmed_traceback(runner):
    (result,) = run(runner, fence("""
        from django.core.mail import send_mail
        print("before")
        send_mail("Hi", "Body", None, "ada@example.com")
    """, 'python run raises="TypeError"'))
    assert not result.failed
    assert result.output == "before\n"
    assert result.traceback.startswith("Traceback (most recent call last):\n  File \"<block 1>\", line 3")
    assert "frames inside the library, last in django/core/mail/message.py]" in result.traceback
    assert result.traceback.endswith('TypeError: "to" argument must be a list or tuple\n')
    assert "site-packages" not in result.traceback and str(REPO) not in result.traceback


def test_raises_matches_a_base_class_by_name(runner):
    (result,) = run(runner, fence("open('/nonexistent/file')", 'python run raises="OSError"'))
    assert not result.failed and result.exception_type == "FileNotFoundError"


def test_a_block_marked_raises_that_does_not_raise_fails_the_build(runner):
    (result,) = run(runner, "Text\n\n" + fence("x = 1", 'python run raises="TypeError"'))
    assert str(result.error).startswith('docs/test.md:3: the block is marked raises="TypeError" but raised nothing')


def test_a_block_raising_something_else_fails_the_build_at_the_failing_line(runner):
    (result,) = run(runner, fence("""
        x = 1
        {}["missing"]
    """, 'python run raises="TypeError"'))
    assert str(result.error).startswith(
        "docs/test.md:3: the block is marked raises=\"TypeError\" but raised KeyError: 'missing'")


def test_an_unexpected_exception_names_the_page_line_of_the_failing_statement(runner):
    results = run(runner, "# Page\n\n" + fence("a = 1\nb = 2\n1 / 0"), fence("print('next block still runs')"))
    assert str(results[0].error).startswith("docs/test.md:6: the example raised ZeroDivisionError: division by zero")
    assert results[1].output == "next block still runs\n"


def test_an_error_inside_an_included_file_names_that_file(runner, tmp_path):
    (result,) = run(runner, fence("""
        --8<-- "bookshelf/emails.py"
        build_welcome_email("Sam", "not-a-list-is-fine-here").send(fail_silently="yes")
    """))
    assert result.failed
    assert str(result.error).startswith(("snippets/bookshelf/emails.py:", "docs/test.md:"))


def test_a_syntax_error_is_reported_at_its_line(runner):
    (result,) = run(runner, fence("x = 1\nprint(x +)"))
    assert str(result.error).startswith("docs/test.md:3: the example raised")
    assert "SyntaxError" in str(result.error)


# -- deprecations -------------------------------------------------------


DEPRECATED = """
    from django.core.mail import EmailMessage
    EmailMessage("Hi", "Body", None, ["a@example.com"], ["bcc@example.com"])
"""


def test_a_deprecation_warning_fails_the_build_by_default(runner):
    (result,) = run(runner, fence(DEPRECATED))
    assert "RemovedInDjango2028Warning" in str(result.error)
    assert 'warnings="show"' in str(result.error)


def test_a_block_may_show_the_warning_instead(runner):
    (result,) = run(runner, fence(DEPRECATED, 'python run warnings="show"'))
    assert not result.failed
    assert "RemovedInDjango2028Warning: Passing positional argument(s) 'bcc'" in result.output


# -- limits and hostile code --------------------------------------------


def test_an_endless_loop_is_stopped_at_the_timeout_and_later_blocks_are_reported(runner):
    started = time.monotonic()
    results = run(runner, fence("while True: pass", 'python run timeout="1"'), fence("print('never')"))
    assert time.monotonic() - started < 10
    assert "did not finish within 1 seconds" in str(results[0].error)
    assert "not run: its session ended at the block on line 1" in str(results[1].error)


def test_a_block_ignoring_sigterm_in_a_child_is_still_stopped(runner):
    (result,) = run(runner, fence("""
        import signal, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        time.sleep(30)
    """, 'python run timeout="1"'))
    assert "did not finish" in str(result.error)


def test_memory_exhaustion_fails_the_block_not_the_build():
    with Runner(repo=REPO, snippets_dir=SNIPPETS, limits=Limits(memory_bytes=512 * 2**20)) as small:
        results = run(small, fence("hog = bytearray(2 * 1024**3)"), fence("print('alive')"))
    assert "MemoryError" in str(results[0].error)
    assert results[1].output == "alive\n"


@pytest.mark.parametrize("code", ["import sys; sys.exit(3)", "raise SystemExit"])
def test_sys_exit_is_an_error_of_the_block(runner, code):
    (result,) = run(runner, fence(code))
    assert "SystemExit" in str(result.error)


def test_os_exit_ends_only_the_session(runner):
    results = run(runner, fence("import os; os._exit(4)"), fence("print(1)"))
    assert "ended its process with exit code 4" in str(results[0].error)
    assert results[1].error is not None
    (after,) = run(runner, fence("print('the runner still works')"))
    assert after.output == "the runner still works\n"


def test_killing_the_parent_is_impossible(runner):
    (result,) = run(runner, fence("""
        import os, signal
        print(os.getppid())
        for pid in (os.getppid(), 1):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError as error:
                print(type(error).__name__)
        print("survived")
    """))
    # The build is not even addressable: the session is PID 1 of its own namespace.
    assert result.output == "0\nsurvived\n"
    (after,) = run(runner, fence("print('still here')"))
    assert after.output == "still here\n"


def test_a_child_process_left_running_is_killed_with_its_session(runner, tmp_path):
    (result,) = run(runner, fence("""
        import subprocess
        child = subprocess.Popen(["sleep", "300"], start_new_session=True)
        print(child.pid)
    """))
    assert not result.failed
    time.sleep(0.2)
    sleepers = [pid for pid in os.listdir("/proc") if pid.isdigit() and _cmdline(pid) == b"sleep\x00300\x00"]
    assert sleepers == []


def _cmdline(pid: str) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def test_a_fork_bomb_is_contained(runner):
    (result,) = run(runner, fence("""
        import os
        children = 0
        try:
            for _ in range(1000):
                if os.fork() == 0:
                    import time; time.sleep(60)
                children += 1
        except OSError as error:
            print("stopped:", type(error).__name__)
    """, 'python run timeout="5"'))
    assert result.output.startswith("stopped: BlockingIOError")


# -- what a session can see ---------------------------------------------


def test_the_environment_of_the_build_is_invisible(runner, monkeypatch):
    monkeypatch.setenv("DEPLOY_TOKEN", "s3cret-value")
    with Runner(repo=REPO, snippets_dir=SNIPPETS) as fresh:
        (result,) = run(fresh, fence("""
            import os
            print(sorted(os.environ))
            leaks = []
            for pid in os.listdir("/proc"):
                if pid.isdigit():
                    try:
                        leaks.append(open(f"/proc/{pid}/environ", "rb").read())
                    except OSError:
                        pass
            print(any(b"s3cret" in env for env in leaks), len(leaks))
            environ = open("/proc/self/environ", "rb").read().split(b"\\x00")
            print(sorted(entry.split(b"=")[0].decode() for entry in environ if entry))
        """))
    assert "DEPLOY_TOKEN" not in result.output
    assert "s3cret" not in result.output
    lines = result.output.splitlines()
    assert lines[1] == "False 1"  # its own environ was readable, and clean
    assert lines[2] == str(["HOME", "LANG", "LC_ALL", "PATH", "PYTHONDONTWRITEBYTECODE", "PYTHONHASHSEED",
                            "PYTHONUTF8", "TZ"])


def test_only_its_own_processes_are_visible(runner):
    (result,) = run(runner, fence("""
        import os
        print(sorted(int(pid) for pid in os.listdir("/proc") if pid.isdigit()))
    """))
    assert result.output == "[1]\n"


def test_outbound_network_is_unreachable_but_loopback_works(runner):
    (result,) = run(runner, fence("""
        import socket
        server = socket.create_server(("127.0.0.1", 0))
        client = socket.create_connection(server.getsockname(), timeout=2)
        print("loopback ok")
        try:
            socket.create_connection(("93.184.216.34", 80), timeout=2)
        except OSError as error:
            print("outbound:", error.strerror)
    """))
    assert result.output == "loopback ok\noutbound: Network is unreachable\n"


def test_the_working_directory_is_throwaway_and_holds_the_course_files(runner):
    first, second = run(runner, fence("""
        import os
        print(os.getcwd(), sorted(os.listdir(".")))
        open("scratch.txt", "w").write("x")
    """)), run(runner, fence("import os; print(sorted(os.listdir('.')))"))
    assert first[0].output.startswith("/tmp/course ")
    assert "'report.csv'" in first[0].output
    assert "scratch.txt" not in second[0].output


def test_the_build_users_home_and_the_repository_history_are_hidden(runner):
    (result,) = run(runner, fence(f"""
        import os
        print(os.listdir({str(REPO / ".git")!r}) if os.path.isdir({str(REPO / ".git")!r}) else "no .git")
        print(os.access("/root", os.R_OK), sorted(os.listdir("/root")) if os.access("/root", os.R_OK) else "")
    """))
    lines = result.output.splitlines()
    assert lines[0] in ("[]", "no .git")
    assert ".ssh" not in result.output and ".bash_history" not in result.output


def test_it_cannot_write_into_the_course_sources(runner):
    (result,) = run(runner, fence(f"""
        import errno
        try:
            open({str(SNIPPETS / "course_settings.py")!r}, "a").write("# changed")
            print("written")
        except OSError as error:
            print(errno.errorcode[error.errno])
    """))
    # Not writable by `nobody` (root builds), or mounted read-only (builds as another user).
    assert result.output in ("EACCES\n", "EROFS\n")


# -- escaping -----------------------------------------------------------


def test_output_is_kept_as_text(runner):
    (result,) = run(runner, fence("print('<script>alert(1)</script> **bold**')"))
    assert result.output == "<script>alert(1)</script> **bold**\n"  # escaped when rendered, see test_fence


# -- what blocks send ---------------------------------------------------


def test_every_message_a_block_sends_is_kept_for_the_preview(runner):
    (result,) = run(runner, fence("""
        from django.core import mail
        from django.core.mail import EmailMultiAlternatives, send_mass_mail
        message = EmailMultiAlternatives(
            "Report", "See attached.", "from@example.com", ["to@example.com"],
            cc=["cc@example.com"], bcc=["hidden@example.com"], reply_to=["reply@example.com"],
            headers={"X-Course": "yes"},
        )
        message.attach_alternative("<p>See <b>attached</b>.</p>", "text/html")
        message.attach("notes.txt", "three\\nlines\\nhere", "text/plain")
        message.attach_file("report.csv")
        message.send()
        send_mass_mail([("A", "a", None, ["a@example.com"]), ("B", "b", None, ["b@example.com"])], using="outbox")
    """))
    assert not result.failed
    first, second, third = result.emails
    assert (first["mailer"], first["kind"], first["subject"]) == ("default", "EmailMultiAlternatives", "Report")
    assert (first["to"], first["cc"], first["bcc"], first["reply_to"]) == (
        ["to@example.com"], ["cc@example.com"], ["hidden@example.com"], ["reply@example.com"])
    assert first["headers"] == {"X-Course": "yes"}
    assert first["date"] == "Mon, 01 Jun 2026 09:00:00 +0000"
    assert first["alternatives"] == [{"mimetype": "text/html", "content": "<p>See <b>attached</b>.</p>"}]
    notes, report = first["attachments"]
    assert (notes["filename"], notes["mimetype"], notes["size"]) == ("notes.txt", "text/plain", 16)
    assert (report["filename"], report["mimetype"]) == ("report.csv", "text/csv")
    assert report["size"] == (SNIPPETS / "files/report.csv").stat().st_size
    assert [(message["mailer"], message["subject"]) for message in (second, third)] == [("outbox", "A"), ("outbox", "B")]


def test_a_message_the_mailer_did_not_accept_is_not_shown_as_sent(runner):
    (result,) = run(runner, fence("""
        from django.core.mail import send_mail
        send_mail("Hi", "Body", None, ["a@example.com"], using="smtp")
    """, 'python run raises="ConnectionRefusedError"'))
    assert result.emails == []


def test_what_a_block_defines_can_be_pickled_like_in_a_script(runner):
    first, second = run(runner, fence("""
        import pickle
        class Book:
            def __init__(self, title):
                self.title = title
        def shout(text):
            return text.upper()
    """), fence("print(pickle.loads(pickle.dumps(Book('Dune'))).title, pickle.loads(pickle.dumps(shout))('ok'))"))
    assert second.output == "Dune OK\n"
