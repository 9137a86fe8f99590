"""Read a question block's parsed content: stem, options, feedback, explanation.

Works on the element tree that pymdownx.blocks hands over when the block
closes, before inline Markdown is processed: texts are still Markdown source.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

from .errors import Problem
from .identity import option_key

# A task-list box at the start of an option, as pymdownx.tasklist reads it.
_BOX = re.compile(r"^\s*\[(?P<state>[ xX])\][ \t]+(?P<rest>.*)$", re.DOTALL)
_FEEDBACK_LINE = re.compile(r"^\s*>\s?")


@dataclass
class Option:
    label: str                                   # inline Markdown
    correct: bool
    feedback: list[etree.Element] = field(default_factory=list)

    @property
    def key(self) -> str:
        return option_key(self.label)


@dataclass
class Question:
    id: str
    title: str                                   # inline Markdown
    line: int | None
    stem: list[etree.Element]
    options: list[Option]
    explanation: list[etree.Element]
    shuffle: bool = False

    @property
    def multiple(self) -> bool:
        """Select all that apply (checkboxes) rather than one answer (radios)."""
        return sum(option.correct for option in self.options) > 1


def parse_question(block: etree.Element, *, qid: str, title: str, line: int | None,
                   shuffle: bool) -> tuple[Question | None, list[Problem]]:
    """The question in `block`, or the problems that stop it from being one."""
    label = f"question '{title}'"
    children = list(block)
    position = next((i for i, child in enumerate(children) if _is_option_list(child)), None)
    if position is None:
        plain_list = any(child.tag in ("ul", "ol") for child in children)
        hint = (" Its list has no boxes: start every option with '[ ]' (wrong) or '[x]' (right)." if plain_list
                else "")
        return None, [Problem(line, (
            f"{label} has no options. Write them as a task list, one per line: '- [ ] a wrong answer', "
            f"'- [x] the right answer'.{hint}"
        ))]

    problems: list[Problem] = []
    options = []
    for number, item in enumerate(children[position], start=1):
        option, problem = _parse_option(item, number, label)
        if problem:
            problems.append(Problem(line, problem))
        elif option:
            options.append(option)
    explanation = children[position + 1:]

    if not problems:
        problems.extend(Problem(line, message) for message in _check(label, options, explanation))
    if problems:
        return None, problems
    return Question(qid, title, line, children[:position], options, explanation, shuffle), []


def _check(label: str, options: list[Option], explanation: list[etree.Element]) -> list[str]:
    messages = []
    if len(options) < 2:
        messages.append(f"{label} has {len(options)} option; give it at least two, as '- [ ] ...' lines")
    if not any(option.correct for option in options):
        messages.append(f"{label} has no correct option; mark the right answer(s) with '[x]'")
    labels = [" ".join(option.label.split()) for option in options]
    for repeated in sorted({text for text in labels if labels.count(text) > 1}):
        messages.append(f"{label} has the option '{repeated}' twice; options must differ")
    if not explanation:
        messages.append(
            f"{label} has no explanation. After the options, leave a blank line and write a paragraph that says "
            "why the right answer is right (it is shown once the learner checks an answer)"
        )
    return messages


def _is_option_list(element: etree.Element) -> bool:
    return element.tag in ("ul", "ol") and any(_BOX.match(_first_text(item)) for item in element)


def _first_text(item: etree.Element) -> str:
    if item.text and item.text.strip():
        return item.text
    first = next(iter(item), None)
    if first is not None and first.tag == "p":
        return first.text or ""
    return ""


def _parse_option(item: etree.Element, number: int, label: str) -> tuple[Option | None, str | None]:
    rest = list(item)
    if item.text and item.text.strip():
        source = item.text
    elif rest and rest[0].tag == "p":  # a loose list: the option is the item's first paragraph
        source, rest = rest[0].text or "", rest[1:]
    else:
        source = ""
    match = _BOX.match(source)
    if not match:
        shown = " ".join(source.split())[:60]
        return None, (f"{label}: option {number} ('{shown}') has no box; start every option with "
                      "'[ ]' (wrong) or '[x]' (right)")

    text, feedback_lines = _split_feedback(match["rest"])
    text = text.strip()
    if not text:
        return None, f"{label}: option {number} is empty; write its text after the box"

    feedback: list[etree.Element] = []
    if feedback_lines:
        paragraph = etree.Element("p")
        paragraph.text = "\n".join(feedback_lines)
        feedback.append(paragraph)
    for child in rest:
        if child.tag != "blockquote":
            return None, (
                f"{label}: option {number} ('{' '.join(text.split())[:60]}') holds more than one line of text. "
                "An option is inline Markdown only; write feedback on it as an indented '> ...' line under it"
            )
        if child.text and child.text.strip():
            paragraph = etree.Element("p")
            paragraph.text = child.text.strip()
            feedback.append(paragraph)
        feedback.extend(child)
    return Option(text, match["state"] in "xX", feedback), None


def _split_feedback(text: str) -> tuple[str, list[str]]:
    """In a tight list an indented '> ...' line is lazy continuation of the option's text: split it off."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if index and _FEEDBACK_LINE.match(line):
            return "\n".join(lines[:index]), [_FEEDBACK_LINE.sub("", rest, count=1) for rest in lines[index:]]
    return text, []
