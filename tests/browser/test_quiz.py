"""The quiz in real headless Chromium, on a fixture site built with the course's theme.

The fixture page (tests/browser/quiz_site/docs/quiz.md) has three questions:
`pick-function` (one answer, feedback on a wrong option), `backends` (select
all that apply) and `code-stem` (a code block in the question). Pass mark 70%.
"""

from __future__ import annotations

import json

import pytest

from tests.browser.harness import axe_violations, describe_violations

QUIZ = "quiz.html"
STORAGE_KEY = "courseware:quiz:quiz.md"
RIGHT = {"pick-function": ["send_mail()"], "backends": ["The console backend", "The SMTP backend"],
         "code-stem": ["2"]}


# --- helpers: what a learner does -------------------------------------------------------

def ready(page):
    page.wait_for_selector(".quiz.quiz--ready")
    return page


def question(page, qid):
    return page.locator(f"#quiz-{qid}")


def option(page, qid, text):
    return question(page, qid).locator(".quiz-option__label").filter(
        has=page.locator(".quiz-option__text").get_by_text(text, exact=True))


def choose(page, qid, *texts):
    for text in texts:
        option(page, qid, text).click()


def check(page, qid):
    question(page, qid).get_by_role("button", name="Check").click()


def result(page, qid) -> str:
    return question(page, qid).locator(".quiz-question__result").inner_text().strip()


def answer(page, qid, *texts):
    choose(page, qid, *texts)
    check(page, qid)


def summary(page) -> str:
    return page.locator(".quiz-results__summary").inner_text()


def active(page, script: str = "document.activeElement"):
    return page.evaluate(f"""() => {{
        const el = {script};
        return {{tag: el.tagName.toLowerCase(), type: el.type || null, value: el.value || null,
                 text: el.textContent.trim().slice(0, 40), question: el.closest('.quiz-question')?.dataset.quizId}};
    }}""")


def tab_to(page, predicate, limit=80):
    """Press Tab until `predicate(active element)` holds: the only way a keyboard user gets there."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = active(page)
        if predicate(now):
            return now
    raise AssertionError("never reached by Tab")


def saved(page) -> dict:
    return json.loads(page.evaluate(f"localStorage.getItem({STORAGE_KEY!r})") or "{}")


@pytest.fixture
def quiz(open_page, quiz_url):
    return ready(open_page(quiz_url + QUIZ))


# --- answering by mouse -------------------------------------------------------------------

def test_a_right_answer_is_confirmed_in_words_with_icon_and_explanation(quiz):
    answer(quiz, "pick-function", "send_mail()")

    assert result(quiz, "pick-function") == "\u2713 Correct."
    icon = question(quiz, "pick-function").locator(".quiz-question__result .quiz-icon")
    assert icon.get_attribute("aria-hidden") == "true"
    assert option(quiz, "pick-function", "send_mail()").inner_text().endswith("Your answer: correct")
    explanation = question(quiz, "pick-function").locator(".quiz-answer")
    assert explanation.is_visible()
    assert "takes the subject, the message, the sender and the recipients" in explanation.inner_text()
    assert question(quiz, "pick-function").locator("input:disabled").count() == 3


def test_a_wrong_answer_says_so_names_the_right_one_and_shows_option_feedback(quiz):
    answer(quiz, "pick-function", "mail()")

    assert result(quiz, "pick-function") == "\u2717 Not correct. The correct answer is: send_mail()."
    wrong = option(quiz, "pick-function", "mail()").locator("..")
    assert "Your answer: not correct" in wrong.inner_text()
    assert wrong.locator(".quiz-option__feedback").inner_text() == "That is PHP's function, not Django's."
    assert wrong.locator(".quiz-option__feedback").is_visible()
    assert "Correct answer" in option(quiz, "pick-function", "send_mail()").inner_text()


def test_feedback_on_options_is_hidden_until_the_question_is_checked(quiz):
    feedback = question(quiz, "pick-function").locator(".quiz-option__feedback")
    assert feedback.count() == 1 and not feedback.is_visible()
    assert not question(quiz, "pick-function").locator(".quiz-answer").is_visible()


def test_checking_without_an_answer_asks_for_one(quiz):
    check(quiz, "pick-function")
    assert result(quiz, "pick-function") == "Choose an answer, then check."
    assert "is-checked" not in question(quiz, "pick-function").get_attribute("class")


def test_select_all_needs_every_right_option_and_no_wrong_one(quiz):
    answer(quiz, "backends", "The console backend")
    assert result(quiz, "backends").startswith("\u2717 Not correct. The correct answers are: "
                                               "The console backend; The SMTP backend.")
    assert "Correct answer" in option(quiz, "backends", "The SMTP backend").inner_text()
    assert question(quiz, "backends").locator("input[type=checkbox]").count() == 3
    assert question(quiz, "backends").locator(".quiz-question__hint").inner_text() == "Select all that apply."

    quiz.get_by_role("button", name="Try again").click()
    answer(quiz, "backends", "The console backend", "The SMTP backend", "A carrier-pigeon backend")
    assert result(quiz, "backends").startswith("\u2717 Not correct.")

    quiz.get_by_role("button", name="Try again").click()
    answer(quiz, "backends", "The console backend", "The SMTP backend")
    assert result(quiz, "backends") == "\u2713 Correct."


# --- keyboard only ------------------------------------------------------------------------

def test_keyboard_only_arrow_keys_select_without_submitting(quiz):
    first = tab_to(quiz, lambda el: el["question"] == "pick-function" and el["type"] == "radio")
    assert first["tag"] == "input"
    quiz.keyboard.press("ArrowDown")
    quiz.keyboard.press("ArrowDown")
    quiz.keyboard.press("ArrowUp")
    chosen = quiz.evaluate("document.activeElement.checked")
    assert chosen is True
    assert result(quiz, "pick-function") == ""
    assert "is-checked" not in question(quiz, "pick-function").get_attribute("class")

    # The radio group is one Tab stop: the next is the Check button.
    assert active(quiz, "(document.activeElement, document.activeElement)")["type"] == "radio"
    quiz.keyboard.press("Tab")
    assert active(quiz)["text"] == "Check"
    quiz.keyboard.press("Enter")
    assert result(quiz, "pick-function") == "\u2713 Correct."
    # Focus stays where it was, on the (now checked) button.
    assert active(quiz)["text"] == "Checked"
    assert active(quiz)["question"] == "pick-function"


def test_keyboard_only_wrong_answer_and_select_all(quiz):
    tab_to(quiz, lambda el: el["question"] == "backends" and el["type"] == "checkbox")
    quiz.keyboard.press("Space")                       # console: right
    quiz.keyboard.press("Tab")
    quiz.keyboard.press("Tab")
    quiz.keyboard.press("Space")                       # carrier pigeon: wrong
    tab_to(quiz, lambda el: el["text"] == "Check" and el["question"] == "backends")
    quiz.keyboard.press("Space")
    assert result(quiz, "backends").startswith("\u2717 Not correct.")

    tab_to(quiz, lambda el: el["question"] == "code-stem" and el["type"] == "radio")
    quiz.keyboard.press("Space")                       # "11": wrong
    quiz.keyboard.press("Tab")
    quiz.keyboard.press("Enter")
    assert result(quiz, "code-stem").startswith("\u2717 Not correct. The correct answer is: 2.")


def test_focus_is_visible_on_options_and_buttons(quiz):
    tab_to(quiz, lambda el: el["question"] == "pick-function" and el["type"] == "radio")
    style = quiz.evaluate("(() => { const s = getComputedStyle(document.activeElement);"
                          " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()")
    assert style[0] == "solid" and style[1] >= 2
    quiz.keyboard.press("Tab")
    style = quiz.evaluate("(() => { const s = getComputedStyle(document.activeElement);"
                          " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()")
    assert style[0] == "solid" and style[1] >= 2


# --- screen readers: the live region --------------------------------------------------------

def test_the_result_is_announced_through_a_live_region(quiz):
    live = question(quiz, "pick-function").locator(".quiz-question__result")
    assert live.get_attribute("role") == "status"     # present before anything is announced
    assert live.inner_text() == ""
    answer(quiz, "pick-function", "mail()")
    assert live.get_attribute("role") == "status"
    assert "Not correct. The correct answer is: send_mail()." in live.text_content()


def test_the_last_answer_also_announces_the_score(quiz):
    answer(quiz, "pick-function", "send_mail()")
    answer(quiz, "backends", *RIGHT["backends"])
    answer(quiz, "code-stem", "2")
    announced = question(quiz, "code-stem").locator(".quiz-question__result").text_content()
    assert "Quiz complete: 3 of 3 correct (100%)" in announced


def test_fieldsets_have_legends_and_inputs_have_labels(quiz):
    for qid in RIGHT:
        group = quiz.get_by_role("group", name=quiz.locator(f"#quiz-{qid} legend").inner_text())
        assert group.count() == 1
    assert quiz.get_by_role("radio", name="send_mail()").count() == 1
    assert quiz.get_by_role("checkbox", name="The SMTP backend").count() == 1


# --- score, retry, review -------------------------------------------------------------------

def test_score_pass_mark_and_try_again(quiz):
    quiz.evaluate("window.events = []; document.addEventListener('courseware:quiz', e => events.push(e.detail))")
    answer(quiz, "pick-function", "send_mail()")
    assert summary(quiz) == "1 of 3 questions answered, 1 correct so far. Pass mark: 70%."
    answer(quiz, "backends", "The console backend")
    answer(quiz, "code-stem", "2")
    assert summary(quiz) == ("Quiz complete: 2 of 3 correct (67%). Pass mark: 70%. "
                             "Not passed yet: review your mistakes, then try again.")
    assert quiz.evaluate("events.at(-1)") == {"page": "quiz.md", "answered": 3, "correct": 2, "total": 3,
                                              "passMark": 70, "passed": False}

    quiz.get_by_role("button", name="Try again").click()
    assert summary(quiz) == "0 of 3 questions answered. Pass mark: 70%."
    assert quiz.locator(".quiz-question.is-checked").count() == 0
    assert quiz.locator(".quiz-option__input:checked, .quiz-option__input:disabled").count() == 0
    assert quiz.locator(".quiz-mark").count() == 0
    assert saved(quiz)["answers"] == {}
    assert active(quiz)["question"] == "pick-function" and active(quiz)["type"] == "radio"

    for qid, texts in RIGHT.items():
        answer(quiz, qid, *texts)
    assert summary(quiz) == "Quiz complete: 3 of 3 correct (100%). Pass mark: 70%. You passed."
    assert quiz.evaluate("events.at(-1).passed") is True
    assert saved(quiz)["summary"]["passed"] is True


def test_review_my_mistakes_moves_focus_to_the_first_wrong_question(quiz):
    review = quiz.get_by_role("button", name="Review my mistakes")
    answer(quiz, "pick-function", "send_mail()")
    answer(quiz, "backends", "A carrier-pigeon backend")
    answer(quiz, "code-stem", "11")
    review.click()
    focused = active(quiz)
    assert focused["tag"] == "fieldset" and focused["question"] == "backends"
    # ... and scrolls it into view, below Material's header.
    quiz.wait_for_function("""() => {
        const top = document.activeElement.getBoundingClientRect().top;
        return top >= document.querySelector('.md-header').offsetHeight && top < innerHeight / 2;
    }""", timeout=5000)


def test_review_is_offered_only_when_there_are_mistakes(quiz):
    review = quiz.get_by_role("button", name="Review my mistakes")
    assert not review.is_visible()
    answer(quiz, "pick-function", "mail()")
    assert review.is_visible()


# --- saved progress ---------------------------------------------------------------------------

def test_answers_survive_a_reload_and_are_kept_per_page(quiz, quiz_url):
    answer(quiz, "pick-function", "mail()")
    answer(quiz, "backends", *RIGHT["backends"])
    stored = saved(quiz)
    assert set(stored["answers"]) == {"pick-function", "backends"}
    assert stored["answers"]["backends"]["correct"] is True

    quiz.reload()
    ready(quiz)
    assert result(quiz, "pick-function").startswith("\u2717 Not correct.")
    assert result(quiz, "backends") == "\u2713 Correct."
    assert result(quiz, "code-stem") == ""
    assert option(quiz, "pick-function", "mail()").locator("input").is_checked()
    assert option(quiz, "pick-function", "mail()").locator("input").is_disabled()
    assert "Your earlier answers were restored." in summary(quiz)

    # Another page with a question of the same id has its own answers.
    quiz.goto(quiz_url + "other.html")
    ready(quiz)
    assert result(quiz, "pick-function") == ""


def test_saved_answers_follow_question_ids_not_positions(quiz):
    key_of_2 = option(quiz, "code-stem", "2").locator("input").get_attribute("value")
    quiz.evaluate("([key, value]) => localStorage.setItem(key, value)", [STORAGE_KEY, json.dumps({
        "version": 1,
        "answers": {
            "code-stem": {"choice": [key_of_2], "correct": True},
            "pick-function": {"choice": ["o-stale-option"], "correct": True},  # an option since rewritten
        },
    })])
    quiz.reload()
    ready(quiz)
    assert result(quiz, "code-stem") == "\u2713 Correct."
    assert result(quiz, "pick-function") == ""
    assert quiz.locator(".quiz-question.is-checked").count() == 1


def test_shuffled_options_change_order_between_visits_and_still_score_right(open_page, quiz_url):
    orders = set()
    for _ in range(4):
        page = ready(open_page(quiz_url + "other.html"))
        orders.add(tuple(question(page, "shuffled").locator(".quiz-option__text").all_inner_texts()))
    assert {frozenset(order) for order in orders} == {frozenset(
        ["EMAIL_SETTINGS", "MAILERS", "MAIL_BACKENDS", "SMTP_SERVER", "POST_OFFICE", "OUTBOX"])}
    assert len(orders) > 1
    answer(page, "shuffled", "MAILERS")
    assert result(page, "shuffled") == "\u2713 Correct."
    page.reload()
    ready(page)
    assert result(page, "shuffled") == "\u2713 Correct."


# --- without JavaScript --------------------------------------------------------------------

def test_without_javascript_every_answer_is_in_a_details_disclosure(open_page, quiz_url):
    page = open_page(quiz_url + QUIZ, java_script_enabled=False)
    assert page.locator(".quiz-question").count() == 3
    assert page.get_by_role("button", name="Check").count() == 0 or not page.get_by_role(
        "button", name="Check").first.is_visible()
    assert not page.locator(".quiz-results").is_visible()
    first = question(page, "pick-function")
    assert first.locator("legend").inner_text().endswith("Which function sends one plain-text email?")
    details = first.locator("details.quiz-answer")
    assert details.get_attribute("open") is None
    assert not details.locator(".quiz-answer__explanation").is_visible()

    details.locator("summary").click()
    text = details.inner_text()
    assert "Answer:" in text and "send_mail()" in text
    assert "That is PHP's function, not Django's." in text
    assert "takes the subject, the message, the sender and the recipients" in text
    assert question(page, "code-stem").locator(".quiz-question__stem pre").is_visible()


# --- offline, instant navigation --------------------------------------------------------------

def test_works_from_file_with_every_request_outside_the_site_blocked(open_offline, quiz_site):
    page, guard = open_offline((quiz_site / QUIZ).as_uri())
    ready(page)
    answer(page, "pick-function", "send_mail()")
    assert result(page, "pick-function") == "\u2713 Correct."
    page.reload()
    ready(page)
    assert result(page, "pick-function") == "\u2713 Correct."
    assert guard.blocked == []
    assert any(url.endswith("/assets/quiz.js") for url in guard.allowed)


def test_starts_on_pages_reached_by_instant_navigation(open_page, quiz_url):
    page = open_page(quiz_url + "index.html")
    # Material takes over links only once it has fetched the sitemap.
    page.wait_for_load_state("networkidle")
    page.evaluate("window.sameDocument = true")
    page.get_by_role("link", name="Go to the quiz").click()
    page.wait_for_url("**/quiz.html")
    ready(page)
    assert page.evaluate("window.sameDocument") is True    # Material swapped the page in: no reload
    answer(page, "pick-function", "send_mail()")
    assert result(page, "pick-function") == "\u2713 Correct."


# --- looks: contrast, targets, motion, print ------------------------------------------------

# Syntax colours inside code blocks are the theme's: the whole-page check of the
# real lesson (test_lesson_quiz.py) covers them.
QUIZ_ONLY = (".quiz", ".quiz .highlight")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_in_the_quiz_before_and_after_answering(open_page, quiz_url, scheme):
    page = ready(open_page(quiz_url + QUIZ, color_scheme=scheme))
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("document.body.dataset.mdColorScheme") == expected
    violations = axe_violations(page, *QUIZ_ONLY)
    assert violations == [], describe_violations(violations)
    answer(page, "pick-function", "mail()")
    answer(page, "backends", *RIGHT["backends"])
    answer(page, "code-stem", "11")
    violations = axe_violations(page, *QUIZ_ONLY)
    assert violations == [], describe_violations(violations)


def test_targets_are_at_least_24_pixels(quiz):
    answer(quiz, "pick-function", "mail()")
    boxes = quiz.evaluate("""() => [...document.querySelectorAll(
        '.quiz input, .quiz button:not([hidden]), .quiz summary, .quiz label')]
        .filter(el => el.offsetParent !== null)
        .map(el => { const r = el.getBoundingClientRect(); return [el.tagName, r.width, r.height]; })""")
    assert len(boxes) > 10
    small = [box for box in boxes if box[1] < 24 or box[2] < 24]
    assert small == []


def test_reduced_motion_turns_transitions_off(open_page, quiz_url):
    page = ready(open_page(quiz_url + QUIZ, reduced_motion="reduce"))
    assert page.evaluate("getComputedStyle(document.querySelector('.quiz-option')).transitionDuration") == "0s"
    moving = ready(open_page(quiz_url + QUIZ, reduced_motion="no-preference"))
    assert moving.evaluate("getComputedStyle(document.querySelector('.quiz-option')).transitionDuration") != "0s"


@pytest.mark.parametrize("javascript", [True, False])
def test_prints_with_answers_and_explanations(open_page, quiz_url, javascript):
    page = open_page(quiz_url + QUIZ, java_script_enabled=javascript)
    if javascript:
        ready(page)
        answer(page, "pick-function", "mail()")
    page.emulate_media(media="print")
    for qid in RIGHT:
        assert question(page, qid).locator(".quiz-answer__explanation").is_visible(), qid
    assert question(page, "pick-function").locator(".quiz-option__feedback").is_visible()
    assert not page.get_by_role("button", name="Try again").is_visible()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")
