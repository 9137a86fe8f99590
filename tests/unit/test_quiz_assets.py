"""The quiz's own JavaScript and CSS: small, and free of anything that reaches the network."""

from __future__ import annotations

import gzip
import re

from tests.conftest import REPO

ASSETS = REPO / "overrides" / "assets"
JS = ASSETS / "quiz.js"
CSS = ASSETS / "quiz.css"
BUDGET = 15 * 1024  # bytes, gzipped, JS and CSS together


def test_javascript_and_css_together_stay_under_15_kb_gzipped():
    size = sum(len(gzip.compress(path.read_bytes(), compresslevel=9)) for path in (JS, CSS))
    assert size < BUDGET, f"quiz.js + quiz.css are {size} bytes gzipped; the budget is {BUDGET}"


def test_the_javascript_makes_no_network_request_and_loads_nothing():
    code = JS.read_text(encoding="utf-8")
    for reaching_out in ("fetch(", "XMLHttpRequest", "import(", "importScripts", "sendBeacon", "WebSocket",
                         "http://", "https://", "createElement(\"script\")", "eval("):
        assert reaching_out not in code, reaching_out


def test_the_css_loads_nothing():
    css = CSS.read_text(encoding="utf-8")
    assert "@import" not in css
    assert not re.search(r"url\(", css)


def test_the_css_respects_reduced_motion_and_has_print_styles():
    css = CSS.read_text(encoding="utf-8")
    assert "@media (prefers-reduced-motion: no-preference)" in css
    assert "transition" not in css.split("@media (prefers-reduced-motion: no-preference)")[0]
    assert "@media print" in css
