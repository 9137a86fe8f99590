"""Build-time checks: every mistake in a quiz fails loudly, names the question and says how to fix it.

Two layers, both tested here: the conversion itself raises QuizError (so a page
can never be built with a broken or silently vanished question), and
`check_page` reads the source first and gives `page:line` messages.
"""

from __future__ import annotations

import textwrap

import markdown
import pytest

from courseware.quiz import QuizError, QuizExtension, check_page
from tests.unit.test_quiz import COURSE_CONFIGS, COURSE_EXTENSIONS

PAGE = "docs/lessons/page.md"


def convert(source: str) -> str:
    md = markdown.Markdown(extensions=[*COURSE_EXTENSIONS, "pymdownx.tasklist", QuizExtension()],
                           extension_configs=COURSE_CONFIGS)
    return md.convert(textwrap.dedent(source))


def failure(source: str) -> QuizError:
    with pytest.raises(QuizError) as caught:
        convert(source)
    return caught.value


def check(source: str, **options) -> list[str]:
    return check_page(textwrap.dedent(source), PAGE, **options)


GOOD = """\
    # Practice

    /// question | Which function sends one email?
    - [ ] `mail()`
    - [x] `send_mail()`

    It is `send_mail()`.
    ///
    """

# (name, page source, line, what the message must say). Line 3 is the question's header.
BROKEN = [
    ("one option", """\
        # Practice

        /// question | Which function sends one email?
        - [x] `send_mail()`

        It is `send_mail()`.
        ///
        """, 3, ["question 'Which function sends one email?'", "has 1 option", "at least two"]),
    ("no correct option", """\
        # Practice

        /// question | Which function sends one email?
        - [ ] `mail()`
        - [ ] `send_mail()`

        It is `send_mail()`.
        ///
        """, 3, ["no correct option", "mark the right answer(s) with '[x]'"]),
    ("no explanation", """\
        # Practice

        /// question | Which function sends one email?
        - [ ] `mail()`
        - [x] `send_mail()`
        ///
        """, 3, ["has no explanation", "After the options, leave a blank line"]),
    ("explanation glued to the list", """\
        # Practice

        /// question | Which function sends one email?
        - [ ] `mail()`
        - [x] `send_mail()`
        It is `send_mail()`.
        ///
        """, 3, ["has no explanation", "leave a blank line"]),
    ("no options", """\
        # Practice

        /// question | Which function sends one email?
        It is `send_mail()`.
        ///
        """, 3, ["has no options", "- [x] the right answer"]),
    ("a list without boxes", """\
        # Practice

        /// question | Which function sends one email?
        - `mail()`
        - `send_mail()`

        It is `send_mail()`.
        ///
        """, 3, ["has no options", "Its list has no boxes"]),
    ("an option without a box", """\
        # Practice

        /// question | Which function sends one email?
        - [ ] `mail()`
        - `deliver()`
        - [x] `send_mail()`

        It is `send_mail()`.
        ///
        """, 3, ["option 2 ('`deliver()`') has no box"]),
    ("an option with a nested list", """\
        # Practice

        /// question | Which function sends one email?
        - [ ] `mail()`
            - a nested list
        - [x] `send_mail()`

        It is `send_mail()`.
        ///
        """, 3, ["option 1", "more than one line of text", "indented '> ...' line"]),
    ("the same option twice", """\
        # Practice

        /// question | Which function sends one email?
        - [x] `send_mail()`
        - [ ] `send_mail()`

        It is `send_mail()`.
        ///
        """, 3, ["has the option '`send_mail()`' twice"]),
    ("a misspelled option", """\
        # Practice

        /// question | Which function sends one email?
            idd: send-one

        - [ ] `mail()`
        - [x] `send_mail()`

        It is `send_mail()`.
        ///
        """, 3, ["unknown option 'idd'", "did you mean 'id'?"]),
    ("an unusable id", """\
        # Practice

        /// question | Which function sends one email?
            id: 1 two

        - [ ] `mail()`
        - [x] `send_mail()`

        It is `send_mail()`.
        ///
        """, 3, ["'id: 1 two' is not a usable id"]),
    ("shuffle not a boolean", """\
        # Practice

        /// question | Which function sends one email?
            shuffle: sometimes

        - [ ] `mail()`
        - [x] `send_mail()`

        It is `send_mail()`.
        ///
        """, 3, ["'shuffle: sometimes' must be true or false"]),
    ("no title", """\
        # Practice

        /// question
        - [ ] `mail()`
        - [x] `send_mail()`

        It is `send_mail()`.
        ///
        """, 3, ["a question needs its text as the block title"]),
    ("never closed", """\
        # Practice

        /// question | Which function sends one email?
        - [ ] `mail()`
        - [x] `send_mail()`

        It is `send_mail()`.
        """, 3, ["question 'Which function sends one email?' is never closed", "add a line '///'"]),
]


@pytest.mark.parametrize("source, line, words", [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_a_broken_question_fails_the_conversion_naming_the_question_and_its_line(source, line, words):
    error = failure(source)
    assert error.line == line
    message = error.where(PAGE)
    assert message.startswith(f"{PAGE}:{line}: ")
    for word in words:
        assert word in message


def test_a_good_question_converts_and_check_page_finds_nothing():
    assert 'class="quiz-question"' in convert(GOOD)
    assert check(GOOD) == []


# pymdownx.blocks drops a block it rejects to a plain `/// ...` paragraph, silently.
SILENT_FALLBACKS = [
    ("misspelled block name", """\
        # Practice

        /// qestion | Which function sends one email?
        - [ ] `mail()`
        - [x] `send_mail()`

        It is `send_mail()`.
        ///
        """, 3, "did you mean '/// question'?"),
    ("options that are not YAML", """\
        # Practice

        /// question | Which function sends one email?
            id: [send-one

        - [ ] `mail()`
        - [x] `send_mail()`

        It is `send_mail()`.
        ///
        """, 4, "are not valid YAML"),
    ("a closing line too many", textwrap.dedent(GOOD) + "///\n", 9, "closes no open block"),
    ("a header pymdownx cannot read", """\
        # Practice

        /// ? | Which function sends one email?
        """, 3, "is not a block header pymdownx understands"),
    ("a misspelled admonition", """\
        # Practice

        /// notte | Remember
        Mail is sent by a mailer.
        ///
        """, 3, "did you mean '/// note'?"),
]


@pytest.mark.parametrize("source, line, words", [case[1:] for case in SILENT_FALLBACKS],
                         ids=[case[0] for case in SILENT_FALLBACKS])
def test_a_block_pymdownx_would_print_as_text_fails_the_conversion_and_check_page(source, line, words):
    error = failure(source)
    assert "was left as plain text" in str(error)
    assert error.line in (line, line - 1)          # the header, or the option line under it
    problems = check(source)
    assert problems and problems[0].startswith(f"{PAGE}:{line}: ")
    assert words in problems[0]


def test_duplicate_ids_fail_with_both_lines():
    source = textwrap.dedent(GOOD) + "\n" + textwrap.dedent(GOOD).replace("# Practice\n\n", "")
    error = failure(source)
    assert error.line == 10
    assert "two questions have the id 'which-function-sends-one-email' (the other is at line 3)" in str(error)
    assert check(source) == [
        f"{PAGE}:10: question 'Which function sends one email?' has the id 'which-function-sends-one-email', "
        "like the question at line 3; ids must be unique on a page (saved answers are keyed by them): give one "
        "of them another 'id:' option"]


def test_explicit_ids_must_differ_too():
    source = """\
        /// question | One?
            id: same
        - [ ] a
        - [x] b

        B.
        ///

        /// question | Two?
            id: same
        - [ ] a
        - [x] b

        B.
        ///
        """
    assert "two questions have the id 'same'" in str(failure(source))
    assert len(check(source)) == 1


def test_every_problem_of_a_page_is_reported_at_once():
    source = """\
        /// question | First?
        - [x] only one

        Why.
        ///

        /// question | Second?
        - [ ] a
        - [ ] b

        Why.
        ///
        """
    error = failure(source)
    assert [problem.line for problem in error.problems] == [1, 7]
    assert str(error).splitlines()[1].startswith("line 7: question 'Second?' has no correct option")


def test_check_page_ignores_block_syntax_shown_in_code():
    source = """\
        Write a question like this:

        ```markdown
        /// question | Which function sends one email?
            idd: typo-in-an-example
        - [x] `send_mail()`
        ///
        ///
        ```

        ~~~~text
        /// anything
        ~~~~
        """
    assert check(source) == []
    assert "/// question" in convert(source)


def test_check_page_flags_typos_of_known_blocks_and_with_the_page_blocks_every_unknown_name():
    source = """\
        /// note | Remember
        Text.
        ///

        /// details | More
            open: true
        Text.
        ///

        /// exercise | Another helper's block
        ///

        /// detials | A typo
        ///
        """
    assert check(source) == [f"{PAGE}:13: '/// detials' is not a known block, so pymdownx would print it as text; "
                             "did you mean '/// details'?"]
    strict = check(source, known_blocks={"note", "details"})
    assert [problem.split(": ")[0] for problem in strict] == [f"{PAGE}:10", f"{PAGE}:13"]
    assert check(source, known_blocks={"note", "details", "exercise"}) == check(source)


def test_the_conversion_knows_every_registered_block():
    source = """\
        /// details | More
        Text.
        ///

        /// spoiler | Not a block of this page
        Text.
        ///
        """
    error = failure(source)
    assert error.line == 5
    assert "'/// spoiler | Not a block of this page' was left as plain text: '/// spoiler' is not a known block" in (
        str(error))


def test_check_page_reports_blocks_closed_in_the_wrong_order():
    source = """\
        //// details | Outer
        /// question | Inner?
        - [ ] a
        - [x] b

        B.
        ////
        ///
        """
    problems = check(source)
    assert problems[0] == (f"{PAGE}:7: this '////' would close an outer block, but '/// question' (line 2) is "
                           "still open; close it first with '///'")


def test_check_page_shifts_lines_by_the_front_matter_it_did_not_see():
    assert check("/// qestion | Typo\n///\n", line_offset=4)[0].startswith(f"{PAGE}:5: ")


def test_quiz_error_reads_well_with_and_without_a_page():
    error = QuizError("question 'X' has no explanation", line=12)
    assert str(error) == "line 12: question 'X' has no explanation"
    assert error.where("docs/a.md") == "docs/a.md:12: question 'X' has no explanation"
    assert QuizError("no line").where("docs/a.md") == "docs/a.md: no line"
    assert error.where("docs/a.md", line_offset=5) == "docs/a.md:17: question 'X' has no explanation"
