"""Built pages: the download link under the title, and no MathJax loaded from a CDN."""

from __future__ import annotations

import pytest

from courseware.notebooks import has_math, with_download_link, without_mathjax_loader


def test_the_download_link_goes_right_under_the_title():
    html = with_download_link('<h1 id="x">Sending Email<a href="#x">¶</a></h1>\n<p>Intro</p>',
                              "sending-email.ipynb", "Download as notebook")
    title, rest = html.split("</h1>", 1)
    assert rest.startswith('\n<p class="course-notebook-download"><a class="md-button" href="sending-email.ipynb" '
                           'download="sending-email.ipynb">Download as notebook</a></p>\n<p>Intro</p>')


def test_a_page_without_a_title_gets_the_link_first_and_names_are_escaped():
    html = with_download_link("<p>Intro</p>", 'a"b.ipynb', "Get <it>")
    assert html.startswith('<p class="course-notebook-download"><a class="md-button" href="a&quot;b.ipynb" '
                           'download="a&quot;b.ipynb">Get &lt;it&gt;</a></p>\n<p>Intro</p>')


def test_the_mathjax_loader_mkdocs_jupyter_adds_to_every_page_is_removed():
    from mkdocs_jupyter.mathjax import mathjax_script

    page = f"<html><body><p>Text</p>\n{mathjax_script()}\n</body></html>"
    assert "cdn.jsdelivr.net" in page
    cleaned = without_mathjax_loader(page)
    assert cleaned == "<html><body><p>Text</p>\n</body></html>"
    assert without_mathjax_loader(cleaned) == cleaned


@pytest.mark.parametrize("html, found", [
    ('<span class="arithmatex">\\(x^2\\)</span>', True),
    ('<div class="jp-RenderedLatex" data-mime-type="text/latex">', True),
    ("<p>It costs $9.99</p>", False),
])
def test_math_that_would_need_mathjax_is_found(html, found):
    assert has_math(html) is found
