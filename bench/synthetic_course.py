"""Write a synthetic course: many lessons of small run blocks that do real Django work.

The generated folder is a complete MkDocs project that builds like the real
course: its mkdocs.yml is the repository's own (theme, Markdown extensions,
strict validation) with the documentation folder pointed at the generated
lessons, and the course hook, theme overrides and snippets referenced by
absolute path, so every block runs against the same Django settings and email
templates as the real lessons.

Every block renders an email template from snippets/templates/emails/ and sends
the result through the console mailer, so it costs what a typical lesson
example costs. Blocks of a lesson form one session (as in the real course);
each block is self-contained, so the same code can also run on its own.

    .venv/bin/python bench/synthetic_course.py OUT --lessons 100 --blocks-per-lesson 20
    NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict -f OUT/mkdocs.yml
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
REAL_CONFIG = REPO / "mkdocs.yml"
HOOK = REPO / "hooks" / "course.py"
OVERRIDES = REPO / "overrides"
SNIPPETS = REPO / "snippets"

# Every ORDER_EVERY-th block of a lesson renders the order template instead of the welcome one,
# so that editing one template touches some blocks of every lesson, not all of them.
ORDER_EVERY = 5


def block_code(lesson: int, block: int) -> str:
    """The code of block `block` of lesson `lesson` (every ORDER_EVERY-th one sends an order)."""
    return order_block(lesson, block) if block % ORDER_EVERY == 0 else welcome_block(lesson, block)


def welcome_block(lesson: int, block: int) -> str:
    """A self-contained block: render the welcome email's templates, send it to the console."""
    return f"""\
from django.core.mail import send_mail
from django.template.loader import render_to_string

context = {{"name": "Learner {lesson}", "free_days": {block}, "start_url": "https://bookshelf.example.com/start/"}}
subject = render_to_string("emails/welcome_subject.txt", context).strip()
body = render_to_string("emails/welcome.txt", context)
sent = send_mail(subject, body, None, ["learner{lesson}@example.com"])
print("send_mail returned", sent)
"""


def order_block(lesson: int, block: int) -> str:
    """A self-contained block: render the order confirmation's templates, send it to the console."""
    return f"""\
from django.core.mail import send_mail
from django.template.loader import render_to_string

context = {{
    "customer_name": "Learner {lesson}",
    "order_number": {lesson * 1000 + block},
    "items": [{{"quantity": 1, "title": "Two Scoops of Django", "price": "39.00"}}],
    "total": "39.00",
}}
subject = render_to_string("emails/order_subject.txt", context).strip()
body = render_to_string("emails/order_confirmation.txt", context)
sent = send_mail(subject, body, None, ["learner{lesson}@example.com"])
print("send_mail returned", sent)
"""


def lesson_markdown(lesson: int, blocks_per_lesson: int) -> str:
    """One lesson page: a title, then a short paragraph and a run block per step."""
    parts = [f"# Lesson {lesson}\n\nA generated lesson with {blocks_per_lesson} runnable examples.\n"]
    for block in range(1, blocks_per_lesson + 1):
        parts.append(f"## Step {block}\n\nRender an email from a template and send it to the console.\n\n"
                     f"```python run\n{block_code(lesson, block)}```\n")
    return "\n".join(parts)


def lesson_path(lesson: int) -> str:
    """Where lesson `lesson` lives, relative to the docs folder."""
    return f"lessons/lesson-{lesson:03d}.md"


def course_config(lessons: int, docs_dir: str, snippets_dir: Path) -> dict:
    """The real mkdocs.yml, pointed at the generated lessons and the repository's hook and theme."""
    config = yaml.safe_load(REAL_CONFIG.read_text(encoding="utf-8"))
    config["site_name"] = f"Synthetic course ({lessons} lessons)"
    config["docs_dir"] = docs_dir
    config["nav"] = [{"Home": "index.md"},
                     {"Lessons": [{f"Lesson {n}": lesson_path(n)} for n in range(1, lessons + 1)]}]
    config["hooks"] = [str(HOOK)]
    config["theme"]["custom_dir"] = str(OVERRIDES)
    config["watch"] = [str(HOOK.parent), str(snippets_dir), str(OVERRIDES)]
    for extension in config["markdown_extensions"]:
        if isinstance(extension, dict) and "pymdownx.snippets" in extension:
            extension["pymdownx.snippets"]["base_path"] = [str(snippets_dir)]
    return config


def write_course(folder: Path, *, lessons: int, blocks_per_lesson: int, snippets_dir: Path = SNIPPETS) -> Path:
    """Write a complete MkDocs project into `folder` (emptied first); returns its mkdocs.yml.

    `snippets_dir` is the real course's by default; pass a copy to edit
    templates without touching the repository.
    """
    folder = Path(folder).resolve()
    if folder.exists():
        shutil.rmtree(folder)
    docs = folder / "docs"
    (docs / "lessons").mkdir(parents=True)
    (docs / "index.md").write_text(
        "# Synthetic course\n\n"
        f"{lessons} generated lessons of {blocks_per_lesson} runnable examples each.\n",
        encoding="utf-8")
    for lesson in range(1, lessons + 1):
        (docs / lesson_path(lesson)).write_text(lesson_markdown(lesson, blocks_per_lesson), encoding="utf-8")
    config_file = folder / "mkdocs.yml"
    config = course_config(lessons, "docs", Path(snippets_dir).resolve())
    config_file.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return config_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where to write the project (emptied first)")
    parser.add_argument("--lessons", type=int, default=100)
    parser.add_argument("--blocks-per-lesson", type=int, default=20)
    arguments = parser.parse_args()
    config_file = write_course(arguments.folder, lessons=arguments.lessons,
                               blocks_per_lesson=arguments.blocks_per_lesson)
    print(config_file)


if __name__ == "__main__":
    main()
