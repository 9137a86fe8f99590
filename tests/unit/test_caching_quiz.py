"""The Caching Framework practice quiz: well formed, and every right answer true on the pinned Django."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from courseware.quiz import check_page
from tests.conftest import REPO, SNIPPETS
from tests.unit.test_quiz_content import HEADING, questions

LESSON = REPO / "docs" / "lessons" / "caching.md"


def lesson_quiz() -> str:
    lesson = LESSON.read_text(encoding="utf-8")
    return lesson[lesson.index(HEADING):]


def test_the_lesson_ends_with_its_practice_quiz():
    lesson = LESSON.read_text(encoding="utf-8")
    assert lesson.count(HEADING) == 1
    assert "\n## " not in lesson_quiz()[len(HEADING):], "the practice quiz must be the lesson's last section"
    assert check_page(lesson, "docs/lessons/caching.md") == []


def test_the_quiz_has_ten_questions_and_these_right_answers():
    found = questions(lesson_quiz())
    assert len(found) == 10
    answers = {question["data-quiz-id"]: [" ".join(option.get_text().split())
                                          for option in question.select(".quiz-option[data-quiz-correct]")]
               for question in found}
    assert answers == {
        "default-backend": ["LocMemCache, a cache in the memory of each process"],
        "shared-backends": ["django.core.cache.backends.redis.RedisCache",
                            "django.core.cache.backends.memcached.PyMemcacheCache",
                            "django.core.cache.backends.db.DatabaseCache"],
        "get-missing": ["None"],
        "add-existing": ['It leaves "light" in place and returns False'],
        "timeout-none": ["Until it is deleted (or pushed out when the cache is full)"],
        "default-timeout": ["300 seconds (5 minutes)"],
        "incr-missing": ["Django raises ValueError"],
        "cache-page-seconds": ["How many seconds the view's response is cached: 15 minutes"],
        "middleware-order": ["UpdateCacheMiddleware first, FetchFromCacheMiddleware last"],
        "delete-fragment": ['cache.delete(make_template_fragment_key("sidebar", [7]))'],
    }


# Each right answer above (and the wrong ones that are claims), checked on the Django the course
# pins, in a fresh interpreter set up with the course's own settings (snippets/course_settings.py).
DJANGO_FACTS = textwrap.dedent('''
    import os, sys
    import django
    django.setup()
    assert django.get_version() == "6.1.3", django.get_version()
    from django.conf import global_settings
    from django.core.cache import cache, caches
    from django.core.cache.utils import make_template_fragment_key
    from django.http import HttpResponse
    from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
    from django.template import Context, Template
    from django.test import Client, RequestFactory, override_settings
    from django.utils.module_loading import import_string
    from django.views.decorators.cache import cache_page

    # default-backend: without CACHES, one local-memory cache called "default".
    assert global_settings.CACHES == {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    # shared-backends: these three ship with Django; MemcachedCache is gone; local memory is per process.
    for name in ("redis.RedisCache", "memcached.PyMemcacheCache", "db.DatabaseCache", "locmem.LocMemCache"):
        import_string("django.core.cache.backends." + name)
    try:
        import_string("django.core.cache.backends.memcached.MemcachedCache")
    except ImportError:
        pass
    else:
        raise AssertionError("MemcachedCache still exists")
    child = os.fork()
    if child == 0:
        cache.set("written-by-the-child", 1)
        os._exit(0)
    os.waitpid(child, 0)
    assert cache.get("written-by-the-child") is None

    # get-missing: a miss is None, or the default.
    assert cache.get("news") is None
    assert cache.get("news", "no news") == "no news"

    # add-existing: add() keeps what is there and returns False.
    cache.set("theme", "light")
    assert cache.add("theme", "dark") is False
    assert cache.get("theme") == "light"

    # timeout-none and default-timeout: None never expires, 0 expires at once, 300 s by default.
    import time
    assert cache.default_timeout == 300
    cache.set("quote", "So many books")
    assert 295 < cache._expire_info[cache.make_and_validate_key("quote")] - time.time() <= 300
    assert cache.get_backend_timeout(None) is None
    cache.set("site_name", "Bookshelf", timeout=None)
    assert cache.get("site_name") == "Bookshelf"
    cache.set("flash_sale", "50% off", timeout=0)
    assert cache.get("flash_sale") is None

    # incr-missing: ValueError, not a new counter.
    try:
        cache.incr("downloads")
    except ValueError:
        pass
    else:
        raise AssertionError("incr() of a missing key did not raise ValueError")
    assert cache.get("downloads") is None

    # cache-page-seconds: a timeout in seconds, also sent as max-age; the view runs once.
    runs = []

    @cache_page(60 * 15)
    def page(request):
        runs.append(1)
        return HttpResponse("Bestsellers")

    first = page(RequestFactory().get("/bestsellers/"))
    second = page(RequestFactory().get("/bestsellers/"))
    assert first["Cache-Control"] == "max-age=900", first["Cache-Control"]
    assert len(runs) == 1 and second.has_header("Age")

    # middleware-order: "update" only handles responses, "fetch" only requests; in the documented
    # order (update first, fetch last) the second request never reaches the view.
    assert hasattr(UpdateCacheMiddleware, "process_response")
    assert not hasattr(UpdateCacheMiddleware, "process_request")
    assert hasattr(FetchFromCacheMiddleware, "process_request")
    assert not hasattr(FetchFromCacheMiddleware, "process_response")
    import io, contextlib
    printed = io.StringIO()
    with override_settings(MIDDLEWARE=["django.middleware.cache.UpdateCacheMiddleware",
                                       "django.middleware.common.CommonMiddleware",
                                       "django.middleware.cache.FetchFromCacheMiddleware"]):
        with contextlib.redirect_stdout(printed):
            client = Client()
            client.get("/")
            client.get("/")
    assert printed.getvalue().count("building the home page") == 1, printed.getvalue()

    # delete-fragment: the key comes from make_template_fragment_key(name, [values]).
    template = Template("{% load cache %}{% cache 600 sidebar pk %}{{ text }}{% endcache %}")
    assert template.render(Context({"pk": 7, "text": "old"})) == "old"
    assert template.render(Context({"pk": 7, "text": "new"})) == "old"
    assert cache.get("sidebar") is None and cache.get("sidebar:7") is None
    assert cache.delete(make_template_fragment_key("sidebar", [7])) is True
    assert template.render(Context({"pk": 7, "text": "new"})) == "new"

    print("all facts hold", file=sys.stderr)
''')


def test_every_right_answer_is_true_on_django_6_1_3():
    environment = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(SNIPPETS), "DJANGO_SETTINGS_MODULE": "course_settings",
                   "HOME": os.environ.get("HOME", "/tmp")}
    done = subprocess.run([sys.executable, "-W", "error::DeprecationWarning", "-c", DJANGO_FACTS],
                          capture_output=True, text=True, timeout=120, env=environment, cwd=SNIPPETS)
    assert done.returncode == 0, done.stderr
    assert "all facts hold" in done.stderr
