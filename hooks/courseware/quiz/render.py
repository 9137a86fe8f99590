"""The HTML of a question, of a run of questions (a quiz), and of its results panel.

What the page holds without JavaScript is complete: every question with native
inputs, and its answer, per-option feedback and explanation in a <details>.
quiz.js enhances it in place (Check buttons, feedback, score, saved progress).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from .parse import Question


def render_question(block: etree.Element, question: Question) -> None:
    """Replace the content of the question's block element with the question's HTML."""
    for child in list(block):
        block.remove(child)
    block.text = None
    base = f"quiz-{question.id}"
    block.attrib.update({
        "id": block.get("id") or base,
        "data-quiz-id": question.id,
        "data-quiz-kind": "multiple" if question.multiple else "single",
    })
    if question.shuffle:
        block.set("data-quiz-shuffle", "")

    described = []
    fieldset = _sub(block, "fieldset", "quiz-question__fieldset")
    legend = _sub(fieldset, "legend", "quiz-question__legend")
    number = _sub(legend, "span", "quiz-question__number", "Question")
    number.tail = " "
    _sub(legend, "span", "quiz-question__title", question.title)
    if question.stem:
        stem = _sub(fieldset, "div", "quiz-question__stem", id=f"{base}-stem")
        stem.extend(question.stem)
        described.append(stem.get("id"))
    hint = _sub(fieldset, "p", "quiz-question__hint",
                "Select all that apply." if question.multiple else "Choose one answer.", id=f"{base}-hint")
    described.append(hint.get("id"))
    fieldset.set("aria-describedby", " ".join(described))

    options = _sub(fieldset, "div", "quiz-options")
    for option in question.options:
        wrapper = _sub(options, "div", "quiz-option", **{"data-quiz-option": option.key})
        if option.correct:
            wrapper.set("data-quiz-correct", "")
        label = _sub(wrapper, "label", "quiz-option__label")
        _sub(label, "input", "quiz-option__input", type="checkbox" if question.multiple else "radio",
             name=base, value=option.key)
        _sub(label, "span", "quiz-option__text", option.label)

    controls = _sub(fieldset, "div", "quiz-question__controls", hidden="")
    _sub(controls, "button", "quiz-button quiz-button--primary", "Check", type="button",
         **{"data-quiz-action": "check"})
    # quiz.js makes this a live region (role="status") once it has restored saved answers,
    # so that restoring them is not announced; it then announces each result.
    _sub(fieldset, "p", "quiz-question__result")

    details = _sub(block, "details", "quiz-answer")
    _sub(details, "summary", "quiz-answer__summary", "Show the answer")
    correct = [option for option in question.options if option.correct]
    key = _sub(details, "div", "quiz-answer__key")
    heading = _sub(key, "p", "quiz-answer__heading")
    _sub(heading, "strong", None, "Answers:" if len(correct) > 1 else "Answer:")
    answers = _sub(key, "ul", "quiz-answer__list")
    for option in correct:
        _sub(answers, "li", None, option.label)
    noted = [option for option in question.options if option.feedback]
    if noted:
        notes = _sub(details, "ul", "quiz-answer__notes")
        for option in noted:
            note = _sub(notes, "li", "quiz-note", **{"data-quiz-option": option.key})
            head = _sub(note, "p", "quiz-note__head")
            _sub(head, "span", "quiz-note__option", option.label).tail = " "
            _sub(head, "em", None, "(correct)" if option.correct else "(not correct)")
            feedback = _sub(note, "div", "quiz-option__feedback")
            feedback.extend(option.feedback)
    explanation = _sub(details, "div", "quiz-answer__explanation")
    explanation.extend(question.explanation)


def wrap_quiz(parent: etree.Element, run: list[etree.Element], *, pass_mark: int) -> etree.Element:
    """Put a run of consecutive questions into one quiz with its results panel after the last one."""
    quiz = etree.Element("div", {"class": "quiz", "data-quiz": "", "data-quiz-pass": str(pass_mark),
                                 "data-quiz-page": ""})
    parent.insert(list(parent).index(run[0]), quiz)
    for number, question in enumerate(run, start=1):
        parent.remove(question)
        quiz.append(question)
        numbering = question.find("./fieldset/legend/span[@class='quiz-question__number']")
        if numbering is not None and len(run) > 1:
            numbering.text = f"Question {number} of {len(run)}"
    quiz.tail, run[-1].tail = run[-1].tail, "\n"
    quiz.text = "\n"
    quiz.append(_results_panel(pass_mark, len(run)))
    return quiz


def _results_panel(pass_mark: int, count: int) -> etree.Element:
    panel = etree.Element("div", {"class": "quiz-results", "hidden": ""})
    title = _sub(panel, "p", "quiz-results__title")
    _sub(title, "strong", None, "Your score")
    _sub(panel, "p", "quiz-results__summary", f"0 of {count} questions answered. Pass mark: {pass_mark}%.")
    actions = _sub(panel, "p", "quiz-results__actions")
    _sub(actions, "button", "quiz-button", "Review my mistakes", type="button",
         **{"data-quiz-action": "review"}).tail = " "
    _sub(actions, "button", "quiz-button", "Try again", type="button", **{"data-quiz-action": "reset"})
    _sub(panel, "p", "quiz-results__note",
         "Your answers are kept in this browser only. Try again clears them.")
    return panel


def _sub(parent: etree.Element, tag: str, css: str | None, text: str | None = None,
         **attributes: str) -> etree.Element:
    element = etree.SubElement(parent, tag, {"class": css} if css else {})
    element.attrib.update(attributes)
    if text is not None:
        element.text = text
    element.tail = "\n"
    return element
