/*
 * Accessibility fixes to what Material's JavaScript adds to a page (the CSS
 * side is in theme.css):
 *
 * - each code block's copy button sits in a <nav class="md-code__nav">: a page
 *   with forty code blocks would list forty unnamed "navigation" landmarks, so
 *   these navs lose the landmark role (the button itself is unchanged);
 * - the search box is a dialog with no name: it is called "Search";
 * - code cells of notebook pages scroll sideways but cannot take focus, so
 *   keyboard users could not scroll them: they get tabindex="0", as Material
 *   gives its own code blocks.
 *
 * Material adds the copy buttons after the page is ready, so a MutationObserver
 * catches them whenever they come (also on pages reached by instant navigation).
 */
(function () {
  "use strict";

  function fix(root) {
    if (!root.querySelectorAll) return;
    Array.prototype.forEach.call(root.querySelectorAll('.md-search[role="dialog"]:not([aria-label])'),
      function (dialog) { dialog.setAttribute("aria-label", "Search"); });
    Array.prototype.forEach.call(root.querySelectorAll("nav.md-code__nav:not([role])"), function (nav) {
      nav.setAttribute("role", "none");
    });
    Array.prototype.forEach.call(root.querySelectorAll(".jp-Cell .highlight-ipynb:not([tabindex])"),
      function (code) { code.setAttribute("tabindex", "0"); });
  }

  function start() {
    fix(document);
    if (!window.MutationObserver) return;
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        Array.prototype.forEach.call(change.addedNodes, function (node) {
          if (node.nodeType === 1) fix(node.parentNode || node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
