"""The `/// question` block: what authors write and the HTML learners get (bare Markdown, no MkDocs)."""

from __future__ import annotations

import hashlib
import textwrap

import markdown
import pytest
from bs4 import BeautifulSoup

from courseware.quiz import QuizExtension, finish_page_html
from courseware.quiz.identity import question_id

# The Markdown extensions of the course that touch quiz blocks, as in mkdocs.yml.
COURSE_EXTENSIONS = [
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.blocks.admonition",
    "pymdownx.blocks.details",
    "attr_list",
    "md_in_html",
]
COURSE_CONFIGS = {"pymdownx.tasklist": {"custom_checkbox": True}}

SEND_MAIL = textwrap.dedent("""\
    /// question | Which function is the quickest way to send a plain-text email?
    - [ ] `mail()`
    - [x] `send_mail()`
    - [ ] `deliver()`
    - [ ] `EmailMessage.send_now()`

    `send_mail()` takes the subject, message, sender and recipient list.
    ///
    """)


def convert(source: str, **config) -> str:
    md = markdown.Markdown(extensions=[*COURSE_EXTENSIONS, "pymdownx.tasklist", QuizExtension(**config)],
                           extension_configs=COURSE_CONFIGS)
    return md.convert(textwrap.dedent(source))


def soup(source: str, **config) -> BeautifulSoup:
    return BeautifulSoup(convert(source, **config), "html.parser")


def texts(elements) -> list[str]:
    return [" ".join(element.get_text().split()) for element in elements]


# --- one question ------------------------------------------------------------------------

def test_a_question_is_a_fieldset_with_a_legend_native_radios_and_real_labels():
    page = soup(SEND_MAIL)
    question = page.select_one(".quiz-question")
    fieldset = question.select_one("fieldset")
    assert fieldset.legend.select_one(".quiz-question__title").get_text() == (
        "Which function is the quickest way to send a plain-text email?")
    radios = fieldset.select("label > input[type=radio]")
    assert len(radios) == 4
    assert {radio["name"] for radio in radios} == {question["id"]}
    assert texts(fieldset.select("label .quiz-option__text")) == [
        "mail()", "send_mail()", "deliver()", "EmailMessage.send_now()"]
    assert question["data-quiz-kind"] == "single"
    assert fieldset.select_one(".quiz-question__hint").get_text() == "Choose one answer."


def test_the_correct_option_is_marked_and_the_check_button_waits_for_javascript():
    question = soup(SEND_MAIL).select_one(".quiz-question")
    correct = question.select(".quiz-option[data-quiz-correct]")
    assert texts(correct) == ["send_mail()"]
    button = question.select_one("button[data-quiz-action=check]")
    assert button["type"] == "button"
    assert button.find_parent(class_="quiz-question__controls").has_attr("hidden")


def test_without_javascript_the_answer_and_explanation_are_in_a_details_disclosure():
    details = soup(SEND_MAIL).select_one(".quiz-question > details.quiz-answer")
    assert not details.has_attr("open")
    assert details.summary.get_text() == "Show the answer"
    assert texts(details.select(".quiz-answer__list li")) == ["send_mail()"]
    assert texts(details.select(".quiz-answer__explanation")) == [
        "send_mail() takes the subject, message, sender and recipient list."]


def test_options_hold_inline_markdown_and_code_and_the_title_too():
    page = soup("""\
        /// question | Which call is *right*?
        - [x] `send_mail("Hi", "Body", None, ["a@example.com"])` **works**
        - [ ] `send_mail("Hi", "Body", None, "a@example.com")` <em>fails</em>

        A bare string is not a list.
        ///
        """)
    assert page.select_one(".quiz-question__title em").get_text() == "right"
    first, second = page.select(".quiz-option__text")
    assert first.code.get_text() == 'send_mail("Hi", "Body", None, ["a@example.com"])'
    assert first.strong.get_text() == "works"
    assert second.em.get_text() == "fails"


def test_code_in_options_is_escaped():
    html = convert("""\
        /// question | Which tag runs code?
        - [x] `<script>`
        - [ ] `<p>`

        Only scripts run.
        ///
        """)
    assert "<code>&lt;script&gt;</code>" in html
    assert "<script>" not in html


def test_markdown_before_the_options_is_more_of_the_question_and_may_hold_code():
    page = soup('''\
        /// question | What does this print?
        Read the code first.

        ```python
        print(send_mail("Hi", "Body", None, ["a@example.com", "b@example.com"]))
        ```

        - [ ] `2`
        - [x] `1`

        One message, whatever the number of recipients.
        ///
        ''')
    question = page.select_one(".quiz-question")
    stem = question.select_one(".quiz-question__stem")
    assert stem.find_parent("fieldset") is not None
    assert texts(stem.select("p")) == ["Read the code first."]
    assert "send_mail" in stem.select_one("pre").get_text()
    assert question.fieldset["aria-describedby"].split() == [stem["id"], question.select_one(
        ".quiz-question__hint")["id"]]


def test_everything_after_the_options_is_the_explanation():
    page = soup('''\
        /// question | Which backend prints mail?
        - [x] console
        - [ ] smtp

        The console backend writes each message to standard output.

        ```python
        MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
        ```

        - and this list is explanation too
        ///
        ''')
    explanation = page.select_one(".quiz-answer__explanation")
    assert "writes each message" in explanation.get_text()
    assert "MAILERS" in explanation.select_one("pre").get_text()
    assert texts(explanation.select("li")) == ["and this list is explanation too"]


def test_several_correct_options_make_a_select_all_question_with_checkboxes():
    question = soup("""\
        /// question | Which of these are mail backends of Django?
        - [x] console
        - [X] smtp
        - [ ] pigeon

        Django has no pigeon backend.
        ///
        """).select_one(".quiz-question")
    assert question["data-quiz-kind"] == "multiple"
    assert len(question.select("input[type=checkbox]")) == 3
    assert question.select_one(".quiz-question__hint").get_text() == "Select all that apply."
    assert texts(question.select(".quiz-answer__list li")) == ["console", "smtp"]
    assert question.select_one(".quiz-answer__heading").get_text().strip() == "Answers:"


@pytest.mark.parametrize("indent", ["", "  ", "    "], ids=["flush", "two-spaces", "lazy-continuation"])
def test_an_indented_quote_under_an_option_is_its_feedback_in_a_tight_list(indent):
    question = soup(f"""\
        /// question | Which function sends mail?
        - [ ] `mail()`
        {indent}> That is PHP's function.
        - [x] `send_mail()`
        {indent}> Right: subject, message, sender, recipients.

        It is `send_mail()`.
        ///
        """).select_one(".quiz-question")
    assert texts(question.select(".quiz-option__text")) == ["mail()", "send_mail()"]
    notes = question.select(".quiz-answer__notes .quiz-note")
    assert [note["data-quiz-option"] for note in notes] == [
        option["data-quiz-option"] for option in question.select(".quiz-option")]
    assert texts(note.select_one(".quiz-option__feedback") for note in notes) == [
        "That is PHP's function.", "Right: subject, message, sender, recipients."]
    assert texts(question.select(".quiz-note__head em")) == ["(not correct)", "(correct)"]


def test_feedback_in_a_loose_list():
    question = soup("""\
        /// question | Which function sends mail?
        - [ ] `mail()`

            > That is PHP's function.
            > It is not in Django.

        - [x] `send_mail()`

        It is `send_mail()`.
        ///
        """).select_one(".quiz-question")
    assert texts(question.select(".quiz-option__text")) == ["mail()", "send_mail()"]
    assert texts(question.select(".quiz-option__feedback")) == ["That is PHP's function. It is not in Django."]


def test_the_id_is_a_stable_slug_of_the_title_unless_given():
    page = soup(SEND_MAIL + "\n" + textwrap.dedent("""\
        /// question | Which function is the quickest way to send a plain-text email, again?
            id: send-mail-again
            shuffle: true

        - [ ] a
        - [x] b

        B.
        ///
        """))
    first, second = page.select(".quiz-question")
    assert first["data-quiz-id"] == "which-function-is-the-quickest-way-to-send-a-plain-text-email"
    assert first["id"] == "quiz-which-function-is-the-quickest-way-to-send-a-plain-text-email"
    assert not first.has_attr("data-quiz-shuffle")
    assert second["data-quiz-id"] == "send-mail-again"
    assert second.has_attr("data-quiz-shuffle")


def test_option_keys_follow_the_option_text_not_its_position():
    def keys(options: str) -> dict[str, str]:
        page = soup(f"/// question | Pick one\n{options}\nBecause.\n///\n")
        return {option.get_text().strip(): option["data-quiz-option"] for option in page.select(".quiz-option")}

    forward = keys("- [ ] `mail()`\n- [x] `send_mail()`\n- [ ] `deliver()`\n")
    backward = keys("- [ ] `deliver()`\n- [x] `send_mail()`\n- [ ] `mail()`\n")
    assert forward == backward
    assert len(set(forward.values())) == 3


def test_the_task_list_extension_leaves_quiz_options_alone():
    html = convert(SEND_MAIL)
    assert "task-list" not in html
    assert "[x]" not in html and "[ ]" not in html


def test_a_question_inside_another_block():
    page = soup("""\
        //// details | Practice
        /// question | Which function sends mail?
        - [ ] `mail()`
        - [x] `send_mail()`

        It is `send_mail()`.
        ///
        ////
        """)
    assert page.select_one("details .quiz .quiz-question") is not None


# --- a page's quiz --------------------------------------------------------------------------

def test_consecutive_questions_form_one_quiz_with_its_results_panel_after_the_last():
    page = soup("# Quiz\n\n" + SEND_MAIL + "\n" + SEND_MAIL.replace(
        "quickest way", "simplest way") + "\nAfter the quiz.\n")
    quiz = page.select_one("div.quiz")
    children = [child for child in quiz.children if child.name]
    assert [child["class"][0] for child in children] == ["quiz-question", "quiz-question", "quiz-results"]
    assert texts(quiz.select(".quiz-question__number")) == ["Question 1 of 2", "Question 2 of 2"]
    panel = quiz.select_one(".quiz-results")
    assert panel.has_attr("hidden")
    assert [button.get_text() for button in panel.select("button")] == ["Review my mistakes", "Try again"]
    assert quiz.find_next_sibling("p").get_text() == "After the quiz."


def test_text_between_questions_makes_two_quizzes():
    page = soup(SEND_MAIL + "\nA paragraph.\n\n" + SEND_MAIL.replace("quickest", "simplest"))
    quizzes = page.select("div.quiz")
    assert len(quizzes) == 2
    assert all(len(quiz.select(".quiz-results")) == 1 for quiz in quizzes)
    assert texts(page.select(".quiz-question__number")) == ["Question", "Question"]


def test_the_pass_mark_defaults_to_70_and_is_configurable():
    assert soup(SEND_MAIL).select_one(".quiz")["data-quiz-pass"] == "70"
    page = soup(SEND_MAIL, pass_mark=80)
    assert page.select_one(".quiz")["data-quiz-pass"] == "80"
    assert "Pass mark: 80%." in page.select_one(".quiz-results__summary").get_text()


@pytest.mark.parametrize("mark", [-1, 101, 70.5, "70", True])
def test_a_pass_mark_out_of_range_is_refused(mark):
    with pytest.raises(ValueError, match="pass_mark"):
        QuizExtension(pass_mark=mark)


def test_the_page_key_of_saved_answers_is_the_path_under_docs():
    html = convert(SEND_MAIL)
    assert 'data-quiz-page=""' in html
    stamped = finish_page_html(html, "docs/lessons/sending-email.md")
    assert 'data-quiz-page="lessons/sending-email.md"' in stamped
    assert finish_page_html(html, "lessons/a&b.md").count('data-quiz-page="lessons/a&amp;b.md"') == 1
    assert finish_page_html("<p>No quiz</p>", "docs/x.md") == "<p>No quiz</p>"


def test_the_same_source_gives_the_same_html_and_a_markdown_instance_can_be_reused():
    md = markdown.Markdown(extensions=[*COURSE_EXTENSIONS, QuizExtension()])
    first = md.convert(textwrap.dedent(SEND_MAIL))
    md.reset()
    assert md.convert(textwrap.dedent(SEND_MAIL)) == first
    assert convert(SEND_MAIL) == convert(SEND_MAIL)


@pytest.mark.parametrize("title, expected", [
    ("What does `send_mail()` return?", "what-does-send-mail-return"),
    ("Où va le courriel ?", "ou-va-le-courriel"),
    ("2 + 2?", "q-2-2"),
    ("???", "q-" + hashlib.sha256(b"???").hexdigest()[:8]),
    ("Which " + "very " * 20 + "long title?", "which" + "-very" * 11),
])
def test_derived_ids_are_short_ascii_slugs_that_start_with_a_letter(title, expected):
    assert question_id(title) == expected
