/* Exercises (hooks/courseware/exercises): checking fill-in-the-blank answers in the page.
 *
 * Plain JavaScript, no network: works from file:// and over http. The page is
 * usable without it (the inputs are there, the answer is in a <details>); this
 * script shows the Check and Clear buttons and says, for each blank, whether
 * it is right, in words and with an icon, and sums up in a live region.
 * Answers are compared without surrounding white space and with ' and " as
 * the same character.
 */
(function () {
  "use strict";

  var STATES = {
    right: { icon: "\u2713", words: "right" },
    wrong: { icon: "\u2717", words: "not right yet" },
    empty: { icon: "\u2013", words: "empty" }
  };

  function normalized(text) {
    return String(text).trim().replace(/'/g, '"');
  }

  function answersOf(input) {
    try {
      var answers = JSON.parse(input.getAttribute("data-answers") || "[]");
      return Array.isArray(answers) ? answers.map(normalized) : [];
    } catch (error) {
      return [];
    }
  }

  function stateOf(input) {
    var value = normalized(input.value);
    if (value === "") return "empty";
    return answersOf(input).indexOf(value) >= 0 ? "right" : "wrong";
  }

  function markOf(input) {
    return document.getElementById(input.id + "-mark");
  }

  function show(input, state) {
    var mark = markOf(input);
    if (!mark) return;
    var icon = document.createElement("span");
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = STATES[state].icon;
    var words = document.createElement("span");
    words.className = "course-fill__mark-words";
    words.textContent = " " + STATES[state].words;
    mark.textContent = "";
    mark.appendChild(icon);
    mark.appendChild(words);
    mark.setAttribute("data-state", state);
    mark.hidden = false;
    input.setAttribute("data-state", state);
    input.setAttribute("aria-invalid", state === "right" ? "false" : "true");
    input.setAttribute("aria-describedby", mark.id);
  }

  function forget(input) {
    var mark = markOf(input);
    if (mark) {
      mark.hidden = true;
      mark.textContent = "";
      mark.removeAttribute("data-state");
    }
    input.removeAttribute("data-state");
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
  }

  function summary(states) {
    var total = states.length;
    var right = states.filter(function (state) { return state === "right"; }).length;
    if (right === total) {
      return total === 1 ? "The blank is right. Well done!" : "All " + total + " blanks are right. Well done!";
    }
    var todo = [];
    states.forEach(function (state, index) {
      if (state !== "right") todo.push(index + 1);
    });
    var which = todo.length === 1 ? "blank " + todo[0] : "blanks " + todo.slice(0, -1).join(", ") +
      " and " + todo[todo.length - 1];
    return right + " of " + total + " right. Have another look at " + which + ".";
  }

  function FillExercise(root) {
    this.root = root;
    this.blanks = Array.prototype.slice.call(root.querySelectorAll("input.course-fill__blank"));
    this.status = root.querySelector(".course-fill__status");
  }

  FillExercise.prototype.start = function () {
    var self = this;
    var controls = this.root.querySelector(".course-fill__controls");
    var how = this.root.querySelector(".course-fill__how-check");
    var check = this.root.querySelector(".course-fill__check");
    var clear = this.root.querySelector(".course-fill__reset");
    if (!controls || !check || !this.blanks.length) return;
    controls.hidden = false;
    if (how) how.hidden = false;
    check.addEventListener("click", function () { self.check(); });
    if (clear) clear.addEventListener("click", function () { self.clear(); });
    this.blanks.forEach(function (input) {
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          self.check();
        }
      });
      input.addEventListener("input", function () {
        if (input.hasAttribute("data-state")) forget(input);
      });
    });
  };

  FillExercise.prototype.check = function () {
    var states = this.blanks.map(function (input) {
      var state = stateOf(input);
      show(input, state);
      return state;
    });
    this.root.setAttribute("data-fill-result", states.every(function (s) { return s === "right"; }) ? "right" : "wrong");
    this.say(summary(states));
  };

  FillExercise.prototype.clear = function () {
    this.blanks.forEach(function (input) {
      input.value = "";
      forget(input);
    });
    this.root.removeAttribute("data-fill-result");
    this.say("");
    this.blanks[0].focus();
  };

  FillExercise.prototype.say = function (text) {
    if (!this.status) return;
    // A new text node each time, so that screen readers announce a repeated result too.
    this.status.textContent = "";
    if (text) this.status.appendChild(document.createTextNode(text));
  };

  function init() {
    var roots = document.querySelectorAll(".course-fill:not([data-fill-ready])");
    Array.prototype.forEach.call(roots, function (root) {
      root.setAttribute("data-fill-ready", "");
      new FillExercise(root).start();
    });
  }

  // The page as loaded, then every page Material's instant navigation swaps in
  // (document$). Either may come first or not at all (file://): init is idempotent.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe({ next: init, error: function () {} });
  }
})();
