"""Lesson Markdown, as MkDocs reads it, rewritten for Jupyter's Markdown cells.

Jupyter knows CommonMark and a little HTML, not the pymdown-extensions the
course writes with. What only MkDocs understands becomes its plain look-alike:

- admonitions (`!!! tip "Title"`, `??? note`) and `/// details | Title` blocks
  become block quotes that start with the title in bold;
- content tabs (`=== "Label"`, `/// tab | Label`) become a bold label and
  their content, one after the other;
- `--8<-- "file"` lines are replaced by the file (from snippets/), as
  pymdownx.snippets does, so included templates are shown in full;
- a fence header keeps its language only; a `title="..."` goes above it;
- a quiz question (`/// question`) shows its options unmarked, with the
  answer and explanation folded away in a `<details>`; a fill-in exercise
  (a ```` ```python fill ```` fence) shows a `____` for each `{~answer~}`.

The text arrives as a list of lines and markers (the page's run blocks); the
result is a list of cells: Markdown text, or a marker where code goes. Top-level
`#` and `##` headings start a new Markdown cell.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

_ADMONITION = re.compile(
    r"^(?:!!!|\?\?\?\+?)[ \t]+(?P<kind>[\w-]+)(?:[ \t]+[\w-]+)*(?:[ \t]+\"(?P<title>.*)\")?[ \t]*$")
_TAB = re.compile(r"^===\+?[ \t]+\"(?P<label>.*)\"[ \t]*$")
_BLOCK_OPEN = re.compile(r"^(?P<slashes>/{3,})[ \t]*(?P<name>[\w-]+)[ \t]*(?:\|[ \t]*(?P<title>.*?))?[ \t]*$")
_BLOCK_CLOSE = re.compile(r"^(?P<slashes>/{3,})[ \t]*$")
_BLOCK_OPTION = re.compile(r"^[ \t]+[\w-]+:")
_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w#.+-]*)(?P<rest>.*)$")
_TITLE_OPTION = re.compile(r"""\btitle=(?P<quote>["'])(?P<title>.*?)(?P=quote)""")
_HEADING = re.compile(r"^#{1,2}[ \t]")
_INCLUDE = re.compile(r"""^(?P<indent>[ \t]*)-{1,}8<-{1,}[ \t]+(?P<quote>["'])(?P<target>.+?)(?P=quote)[ \t]*$""")
_INCLUDE_RANGE = re.compile(r"^(?P<path>.+?)(?::(?P<start>\d*)(?::(?P<end>\d*))?)?$")

# pymdownx.blocks that are admonitions in disguise: shown as a quote with their title.
_QUESTION_BLOCK = "question"
_OPTION_LINE = re.compile(r"^- \[(?P<mark>[ xX])\][ \t]+(?P<text>.*)$")
_FILL_BLANK = re.compile(r"\{~.*?~\}")

_QUOTED_BLOCKS = {"details", "admonition", "note", "tip", "warning", "danger", "info", "success", "failure",
                  "example", "quote", "abstract", "bug", "attention", "caution", "error", "hint",
                  "important", "todo", "seealso", "settings", "new"}


@dataclass
class _Container:
    indent: int          # column where its content starts
    quoted: bool
    delimited: bool = False  # closed by a `///` line rather than by dedenting
    question: list[str] | None = None  # a quiz question's lines, kept until it closes


@dataclass
class _Converter:
    cells: list = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    containers: list[_Container] = field(default_factory=list)
    fence: tuple[str, int] | None = None   # the open prose fence: its character and length
    blanks: bool = False                   # the open fence is a fill-in exercise
    skipping_options: bool = False

    # -- output ------------------------------------------------------------------------------

    def emit(self, text: str) -> None:
        prefix = "> " * sum(container.quoted for container in self.containers)
        if not text.strip():
            if self.fence is None and self.lines and self.lines[-1] == prefix.rstrip():
                return  # one blank line is enough
            self.lines.append(prefix.rstrip())
            return
        self.lines.append(prefix + text)

    def flush(self) -> None:
        while self.lines and not self.lines[-1].strip(" >"):
            self.lines.pop()
        while self.lines and not self.lines[0].strip(" >"):
            self.lines.pop(0)
        if self.lines:
            self.cells.append("\n".join(self.lines))
        self.lines = []

    # -- input -------------------------------------------------------------------------------

    def feed(self, line: str) -> None:
        indent = _indent(line)
        if self.skipping_options:
            if line.strip() and indent >= self._content_indent() + 4 and _BLOCK_OPTION.match(line):
                return
            self.skipping_options = False
        if self.fence is None and line.strip():
            self._close_dedented(indent)
        text = _strip_indent(line, self._content_indent())
        if self.fence is not None:
            closing = re.match(rf"^{re.escape(self.fence[0])}{{{self.fence[1]},}}[ \t]*$", text)
            self.emit(_FILL_BLANK.sub("____", text) if self.blanks else text)
            if closing:
                self.fence = None
            return
        question = self.containers[-1].question if self.containers else None
        if question is not None and not _BLOCK_CLOSE.match(text):
            question.append(text)
            return
        if self._structure(text, indent):
            return
        if not self.containers and _HEADING.match(text):
            self.flush()
        self.emit(text)

    def code(self, marker) -> None:
        self.flush()
        self.cells.append(marker)

    def finish(self) -> list:
        self.flush()
        return self.cells

    # -- structure ---------------------------------------------------------------------------

    def _content_indent(self) -> int:
        return self.containers[-1].indent if self.containers else 0

    def _close_dedented(self, indent: int) -> None:
        while self.containers and not self.containers[-1].delimited and indent < self.containers[-1].indent:
            self._pop()

    def _pop(self) -> None:
        closed = self.containers.pop()
        if closed.question is not None:
            for line in _question_lines(closed.question):
                self.emit(line)
        if closed.quoted:
            while self.lines and self.lines[-1].strip() and not self.lines[-1].replace(">", "").strip():
                self.lines.pop()  # the quote's own trailing blank lines
            self.emit("")

    def _structure(self, text: str, indent: int) -> bool:
        """Handle a line that opens or closes something; False for ordinary text."""
        column = self._content_indent()
        fence = _FENCE.match(text)
        if fence:
            title = _TITLE_OPTION.search(fence.group("rest"))
            if title:
                self.emit(f"*{title.group('title')}*")
                self.emit("")
            self.fence = (fence.group("fence")[0], len(fence.group("fence")))
            self.blanks = re.search(r"(?:^|[ \t])fill\b", fence.group("rest")) is not None
            self.emit(fence.group("fence") + fence.group("lang"))
            return True
        admonition = _ADMONITION.match(text)
        if admonition:
            title = admonition.group("title")
            self._open(_Container(column + 4, quoted=True), admonition.group("kind").capitalize()
                       if title is None else title)
            return True
        tab = _TAB.match(text)
        if tab:
            self._open(_Container(column + 4, quoted=False), tab.group("label"))
            return True
        closing = _BLOCK_CLOSE.match(text)
        if closing and any(container.delimited for container in self.containers):
            while not self.containers[-1].delimited:
                self._pop()
            self._pop()
            return True
        block = _BLOCK_OPEN.match(text)
        if block:
            name, title = block.group("name"), block.group("title") or ""
            quoted = name in _QUOTED_BLOCKS
            self._open(_Container(column, quoted=quoted, delimited=True,
                                  question=[] if name == _QUESTION_BLOCK else None),
                       title or (name.capitalize() if quoted else ""))
            self.skipping_options = True
            return True
        return False

    def _open(self, container: _Container, title: str) -> None:
        if not container.quoted:
            self.emit("")
        self.containers.append(container)
        if title:
            self.emit(f"**{title}**")
            self.emit("")


def _question_lines(lines: list[str]) -> list[str]:
    """A quiz question: its options without their marks, then the answer folded away."""
    options: list[list[str]] = []  # each: mark, text
    explanation: list[str] = []
    for line in lines:
        option = _OPTION_LINE.match(line)
        if option:
            options.append([option.group("mark").strip(), option.group("text")])
        elif options and not explanation and line[:1] in (" ", "\t") and line.strip():
            if not line.strip().startswith(">"):  # the option goes on; `>` lines are its feedback
                options[-1][1] += " " + line.strip()
        elif line.strip() or explanation:
            explanation.append(line)
    right = [text for mark, text in options if mark]
    shown = [f"- {text}" for _, text in options]
    answer = f"**{'Answers' if len(right) > 1 else 'Answer'}:** " + "; ".join(right)
    return [*shown, "", "<details><summary>Answer</summary>", "", answer, "", *explanation, "", "</details>", ""]


def jupyter_cells(items: list, snippets_dir: Path | None = None) -> list:
    """Markdown cells (str) and the markers among `items` (anything that is not a str), in order."""
    converter = _Converter()
    for item in items:
        if not isinstance(item, str):
            converter.code(item)
            continue
        for line in expand_includes(item, snippets_dir):
            converter.feed(line)
    return jupyter_anchors(converter.finish())


def expand_includes(line: str, snippets_dir: Path | None) -> list[str]:
    """The file a `--8<-- "file"` line stands for (indented like the line), or the line itself."""
    include = _INCLUDE.match(line)
    if not include or snippets_dir is None:
        return [line]
    target = _INCLUDE_RANGE.match(include.group("target"))
    path = (snippets_dir / target.group("path")).resolve()
    if not path.is_relative_to(snippets_dir.resolve()) or not path.is_file():
        return [line]  # the build reports a missing include (pymdownx.snippets' check_paths)
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    start = int(target.group("start") or 1)
    end = int(target.group("end") or len(lines))
    return [include.group("indent") + text if text else text for text in lines[start - 1:end]]


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def _strip_indent(line: str, columns: int) -> str:
    expanded = line.expandtabs(4)
    if not expanded.strip():
        return ""
    return expanded[min(columns, _indent(expanded)):]


_HEADING_TEXT = re.compile(r"^(?:>[ \t]?)*#{1,6}[ \t]+(?P<text>.+?)[ \t#]*$", re.MULTILINE)
_ANCHOR_LINK = re.compile(r"\]\(#(?P<slug>[\w-]+)\)")
_INLINE_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\([^)]*\)")


def jupyter_anchors(cells: list) -> list:
    """Links to a heading of the page (`[x](#slug)`, MkDocs' ids) pointed at Jupyter's ids for it."""
    ids = {}
    for cell in cells:
        if isinstance(cell, str):
            for heading in _HEADING_TEXT.finditer(cell):
                text = _INLINE_LINK.sub(r"\g<text>", heading.group("text")).replace("`", "").replace("*", "")
                ids.setdefault(_mkdocs_id(text), text.replace(" ", "-"))

    def point(link: re.Match) -> str:
        return f"](#{ids.get(link.group('slug'), link.group('slug'))})"

    return [_ANCHOR_LINK.sub(point, cell) if isinstance(cell, str) else cell for cell in cells]


def _mkdocs_id(text: str) -> str:
    """The id Python-Markdown's toc gives a heading with this text."""
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value)
