/*
 * Course progress: each lesson's status, read from what the quiz saved.
 *
 * quiz.js keeps a lesson's answers in localStorage["courseware:quiz:" + page]
 * (page: the lesson's path under docs/, e.g. "lessons/sending-email.md"), with a
 * summary {answered, correct, total, passMark, passed}, and fires a
 * "courseware:quiz" event on document whenever that changes. From it:
 *
 *   complete     the quiz is passed
 *   in progress  at least one question answered
 *   not started  nothing answered yet
 *
 * It fills every [data-course-status="<page>"] (the lesson cards on the home page
 * and the "Up next" card) and shows every [data-course-complete="<page>"] (the
 * "Lesson complete" banner) once that lesson is complete.
 *
 * Plain JavaScript, no network; works from file:// and with Material's instant
 * navigation (document$).
 */
(function () {
  "use strict";

  var PREFIX = "courseware:quiz:";
  var VERSION = 1;
  var STATES = {
    complete: { icon: "\u2713", words: "Complete" },
    "in-progress": { icon: "\u25D0", words: "In progress" },
    "not-started": { icon: "\u25CB", words: "Not started" }
  };

  function all(selector) {
    return Array.prototype.slice.call(document.querySelectorAll(selector));
  }

  function saved(page) {
    try {
      var data = JSON.parse(window.localStorage.getItem(PREFIX + page));
      if (data && data.version === VERSION && data.answers) return data;
    } catch (error) { /* storage off or unreadable: nothing saved */ }
    return null;
  }

  /* The status of one lesson: {state, answered, total}. */
  function status(page) {
    var data = saved(page);
    var summary = data && data.summary;
    var answered = summary ? summary.answered : (data ? Object.keys(data.answers).length : 0);
    var total = summary ? summary.total : 0;
    if (summary && summary.passed) return { state: "complete", answered: answered, total: total };
    if (answered > 0) return { state: "in-progress", answered: answered, total: total };
    return { state: "not-started", answered: 0, total: total };
  }

  function describe(found) {
    var words = STATES[found.state].words;
    if (found.state === "in-progress" && found.total && found.answered >= found.total) {
      words += ": quiz not passed yet";
    } else if (found.state === "in-progress" && found.total) {
      words += ": " + found.answered + " of " + found.total + " quiz questions answered";
    } else if (found.state === "complete") {
      words += ": quiz passed";
    }
    return words;
  }

  function showStatus(node) {
    var found = status(node.getAttribute("data-course-status"));
    var icon = document.createElement("span");
    icon.className = "course-status__icon";
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = STATES[found.state].icon;
    var text = document.createElement("span");
    text.className = "course-status__text";
    text.textContent = describe(found);
    node.textContent = "";
    node.appendChild(icon);
    node.appendChild(document.createTextNode(" "));
    node.appendChild(text);
    node.setAttribute("data-course-state", found.state);
    node.hidden = false;
  }

  function showCompletion(node) {
    node.hidden = status(node.getAttribute("data-course-complete")).state !== "complete";
  }

  function update() {
    all("[data-course-status]").forEach(showStatus);
    all("[data-course-complete]").forEach(showCompletion);
  }

  // The quiz on this page changed (answered, passed, reset), or another tab saved progress.
  document.addEventListener("courseware:quiz", update);
  window.addEventListener("storage", function (event) {
    if (event.key === null || event.key.indexOf(PREFIX) === 0) update();
  });
  // The page as loaded, and every page Material's instant navigation swaps in.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe({ next: update, error: function () {} });
  }
})();
