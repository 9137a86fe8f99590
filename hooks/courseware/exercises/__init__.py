"""Exercises checked at build time (plain Python, no MkDocs imports).

- Fill in the blank: a ```python fill``` fence whose blanks are written
  `{~answer|alternative~}` (fill.py). Every accepted answer must make the code
  run in the sandbox.
- Write a function: a `/// exercise | Title` block with `src: exercises/x.py`,
  a file in snippets/ with starter, solution and tests sections (function.py).
  The solution must pass the tests and the starter must fail one.

scan.py finds both in a page's source, checks.py turns them into runner
sessions and judges the results, render.py writes their HTML, and markdown.py
is the SuperFences fence and the pymdownx.blocks block that place them in the
page. overrides/assets/exercises.js and exercises.css make them interactive.
"""
