/*
 * Quizzes: enhances the HTML that hooks/courseware/quiz renders at build time.
 *
 * Without this script every question is still readable, with its answer and
 * explanation in a <details>. With it: a Check button per question, the result
 * in words, an icon and a live region, per-option feedback, a score panel with
 * "Review my mistakes" and "Try again", and answers kept in localStorage.
 *
 * Saved progress: localStorage["courseware:quiz:" + page], page being the
 * page's path under docs/ (e.g. "lessons/sending-email.md"), holds
 *   {"version": 1, "answers": {questionId: {"choice": [optionKey], "correct": bool}},
 *    "summary": {"answered", "correct", "total", "passMark", "passed"}}
 * and every change fires a "courseware:quiz" event on document with that summary.
 *
 * No framework, no network; works from file:// and with Material's instant
 * navigation (document$).
 */
(function () {
  "use strict";

  var PREFIX = "courseware:quiz:";
  var VERSION = 1;

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function icon(symbol) {
    var node = element("span", "quiz-icon", symbol);
    node.setAttribute("aria-hidden", "true");
    return node;
  }

  /* Saved answers ------------------------------------------------------ */

  function storageKey(quiz) {
    return PREFIX + (quiz.getAttribute("data-quiz-page") || location.pathname);
  }

  function load(key) {
    try {
      var data = JSON.parse(window.localStorage.getItem(key));
      if (data && data.version === VERSION && data.answers) return data;
    } catch (error) { /* storage off or corrupt: start afresh */ }
    return { version: VERSION, answers: {} };
  }

  function store(key, data) {
    try {
      window.localStorage.setItem(key, JSON.stringify(data));
    } catch (error) { /* storage full or off: the quiz still works */ }
  }

  /* One question ------------------------------------------------------- */

  function parts(question) {
    return {
      id: question.getAttribute("data-quiz-id"),
      multiple: question.getAttribute("data-quiz-kind") === "multiple",
      options: all(question, ".quiz-option"),
      inputs: all(question, ".quiz-option__input"),
      check: question.querySelector('[data-quiz-action="check"]'),
      result: question.querySelector(".quiz-question__result"),
      answer: question.querySelector(".quiz-answer"),
      fieldset: question.querySelector("fieldset")
    };
  }

  function optionKey(option) {
    return option.getAttribute("data-quiz-option");
  }

  function labelText(option) {
    return option.querySelector(".quiz-option__text").textContent.replace(/\s+/g, " ").trim();
  }

  function prepare(question) {
    var q = parts(question);
    // Feedback on an option moves from the answer disclosure to the option itself.
    all(question, ".quiz-note").forEach(function (note) {
      var option = question.querySelector('.quiz-option[data-quiz-option="' + note.getAttribute("data-quiz-option") + '"]');
      var feedback = note.querySelector(".quiz-option__feedback");
      if (option && feedback) {
        option.appendChild(feedback);
        note.parentNode.removeChild(note);
      }
    });
    all(question, ".quiz-answer__notes").forEach(function (list) {
      if (!list.children.length) list.parentNode.removeChild(list);
    });
    if (question.hasAttribute("data-quiz-shuffle")) {
      var order = q.options.slice();
      for (var i = order.length - 1; i > 0; i--) {
        var j = Math.floor(Math.random() * (i + 1));
        var swap = order[i];
        order[i] = order[j];
        order[j] = swap;
      }
      var box = question.querySelector(".quiz-options");
      order.forEach(function (option) { box.appendChild(option); });
    }
    q.answer.querySelector("summary").textContent = "Answer and explanation";
    q.answer.hidden = true;
    q.check.parentNode.hidden = false;
    q.fieldset.setAttribute("tabindex", "-1");
  }

  function chosen(question) {
    return parts(question).inputs.filter(function (input) { return input.checked; })
      .map(function (input) { return input.value; });
  }

  function correctKeys(question) {
    return all(question, ".quiz-option[data-quiz-correct]").map(optionKey);
  }

  function sameSet(a, b) {
    return a.length === b.length && a.every(function (key) { return b.indexOf(key) >= 0; });
  }

  function mark(option, symbol, words, kind) {
    var node = element("span", "quiz-mark quiz-mark--" + kind);
    node.appendChild(icon(symbol));
    node.appendChild(document.createTextNode(" " + words));
    option.querySelector(".quiz-option__label").appendChild(node);
  }

  /* Show a checked question. Returns the sentence that states the result. */
  function showResult(question, choice) {
    var q = parts(question);
    var right = correctKeys(question);
    var correct = sameSet(choice, right);
    question.classList.add("is-checked", correct ? "is-correct" : "is-wrong");
    q.inputs.forEach(function (input) {
      input.checked = choice.indexOf(input.value) >= 0;
      input.disabled = true;
    });
    q.options.forEach(function (option) {
      var key = optionKey(option);
      var isRight = right.indexOf(key) >= 0;
      var isChosen = choice.indexOf(key) >= 0;
      option.classList.toggle("is-chosen", isChosen);
      option.classList.toggle("is-answer", isRight);
      if (isRight && isChosen) mark(option, "\u2713", "Your answer: correct", "correct");
      else if (isRight) mark(option, "\u2713", "Correct answer", "missed");
      else if (isChosen) mark(option, "\u2717", "Your answer: not correct", "wrong");
    });
    var sentence;
    if (correct) {
      sentence = "Correct.";
    } else {
      var names = q.options.filter(function (option) { return right.indexOf(optionKey(option)) >= 0; })
        .map(labelText);
      sentence = "Not correct. The correct answer" + (names.length > 1 ? "s are: " : " is: ") +
        names.join("; ") + ".";
    }
    q.result.textContent = "";
    q.result.appendChild(icon(correct ? "\u2713" : "\u2717"));
    q.result.appendChild(document.createTextNode(" " + sentence));
    q.result.className = "quiz-question__result quiz-question__result--" + (correct ? "correct" : "wrong");
    q.answer.hidden = false;
    q.answer.open = true;
    q.check.setAttribute("aria-disabled", "true");
    q.check.textContent = "Checked";
    return { correct: correct, sentence: sentence };
  }

  function clear(question) {
    var q = parts(question);
    question.classList.remove("is-checked", "is-correct", "is-wrong");
    q.inputs.forEach(function (input) {
      input.checked = false;
      input.disabled = false;
    });
    q.options.forEach(function (option) {
      option.classList.remove("is-chosen", "is-answer");
    });
    all(question, ".quiz-mark").forEach(function (node) { node.parentNode.removeChild(node); });
    q.result.textContent = "";
    q.result.className = "quiz-question__result";
    q.answer.open = false;
    q.answer.hidden = true;
    q.check.removeAttribute("aria-disabled");
    q.check.textContent = "Check";
  }

  /* One quiz: a run of questions and its results panel ------------------ */

  function Quiz(root) {
    this.root = root;
    this.key = storageKey(root);
    this.passMark = parseInt(root.getAttribute("data-quiz-pass"), 10);
    if (isNaN(this.passMark)) this.passMark = 70;
    this.questions = all(root, ".quiz-question");
    this.panel = root.querySelector(".quiz-results");
    this.summary = root.querySelector(".quiz-results__summary");
    this.review = root.querySelector('[data-quiz-action="review"]');
  }

  Quiz.prototype.start = function () {
    var quiz = this;
    var saved = load(this.key).answers;
    var restored = false;
    this.questions.forEach(function (question) {
      prepare(question);
      var answer = saved[question.getAttribute("data-quiz-id")];
      var keys = parts(question).options.map(optionKey);
      // An answer saved for options that have since changed is dropped.
      if (answer && answer.choice && answer.choice.length &&
          answer.choice.every(function (key) { return keys.indexOf(key) >= 0; })) {
        showResult(question, answer.choice);
        restored = true;
      }
      // A live region only now, so that restoring answers is not read out.
      parts(question).result.setAttribute("role", "status");
    });
    this.panel.hidden = false;
    this.update(restored ? " Your earlier answers were restored." : "");
    this.root.classList.add("quiz--ready");
    this.root.addEventListener("click", function (event) {
      var button = event.target.closest("[data-quiz-action]");
      if (!button || !quiz.root.contains(button)) return;
      var action = button.getAttribute("data-quiz-action");
      if (action === "check") quiz.check(button.closest(".quiz-question"));
      else if (action === "review") quiz.reviewMistakes();
      else if (action === "reset") quiz.reset();
    });
  };

  Quiz.prototype.check = function (question) {
    var q = parts(question);
    if (q.check.getAttribute("aria-disabled") === "true") return;
    var choice = chosen(question);
    if (!choice.length) {
      q.result.className = "quiz-question__result";
      q.result.textContent = q.multiple ? "Select at least one answer, then check." : "Choose an answer, then check.";
      return;
    }
    var outcome = showResult(question, choice);
    var data = load(this.key);
    data.answers[q.id] = { choice: choice, correct: outcome.correct };
    store(this.key, data);
    var summary = this.update("");
    if (summary.answered === summary.total) {
      // Heard with the result (the panel below shows it to everyone).
      q.result.appendChild(element("span", "quiz-visually-hidden", " " + this.summary.textContent));
    }
  };

  Quiz.prototype.results = function () {
    var answered = 0;
    var correct = 0;
    this.questions.forEach(function (question) {
      if (question.classList.contains("is-checked")) answered += 1;
      if (question.classList.contains("is-correct")) correct += 1;
    });
    var total = this.questions.length;
    return {
      answered: answered,
      correct: correct,
      total: total,
      passMark: this.passMark,
      passed: answered === total && correct * 100 >= this.passMark * total
    };
  };

  Quiz.prototype.update = function (note) {
    var r = this.results();
    var text;
    if (r.answered < r.total) {
      text = r.answered + " of " + r.total + " questions answered" +
        (r.answered ? ", " + r.correct + " correct so far" : "") + ". Pass mark: " + r.passMark + "%.";
    } else {
      text = "Quiz complete: " + r.correct + " of " + r.total + " correct (" +
        Math.round(100 * r.correct / r.total) + "%). Pass mark: " + r.passMark + "%. " +
        (r.passed ? "You passed." : "Not passed yet: review your mistakes, then try again.");
    }
    this.summary.textContent = text + note;
    this.panel.classList.toggle("is-passed", r.passed);
    this.panel.classList.toggle("is-complete", r.answered === r.total);
    this.review.hidden = r.answered === r.correct;
    var data = load(this.key);
    data.summary = r;
    store(this.key, data);
    document.dispatchEvent(new CustomEvent("courseware:quiz", {
      detail: { page: this.key.slice(PREFIX.length), answered: r.answered, correct: r.correct, total: r.total,
                passMark: r.passMark, passed: r.passed }
    }));
    return r;
  };

  Quiz.prototype.reviewMistakes = function () {
    var wrong = this.questions.filter(function (question) { return question.classList.contains("is-wrong"); });
    if (!wrong.length) return;
    var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var fieldset = parts(wrong[0]).fieldset;
    fieldset.focus({ preventScroll: true });
    fieldset.scrollIntoView({ block: "start", behavior: reduce ? "auto" : "smooth" });
  };

  Quiz.prototype.reset = function () {
    var data = load(this.key);
    this.questions.forEach(function (question) {
      clear(question);
      delete data.answers[question.getAttribute("data-quiz-id")];
    });
    store(this.key, data);
    this.update("");
    var first = parts(this.questions[0]).inputs[0];
    if (first) first.focus();
  };

  /* Print: every answer and explanation, answered or not. */
  function openForPrint() {
    all(document, ".quiz-answer").forEach(function (details) {
      if (details.hasAttribute("data-quiz-print")) return;
      details.setAttribute("data-quiz-print", (details.hidden ? "h" : "") + (details.open ? "o" : ""));
      details.hidden = false;
      details.open = true;
    });
  }

  function restoreAfterPrint() {
    all(document, ".quiz-answer[data-quiz-print]").forEach(function (details) {
      var state = details.getAttribute("data-quiz-print");
      details.hidden = state.indexOf("h") >= 0;
      details.open = state.indexOf("o") >= 0;
      details.removeAttribute("data-quiz-print");
    });
  }

  function init() {
    all(document, ".quiz[data-quiz]:not([data-quiz-ready])").forEach(function (root) {
      root.setAttribute("data-quiz-ready", "");
      if (root.querySelector(".quiz-question") && root.querySelector(".quiz-results")) new Quiz(root).start();
    });
  }

  window.addEventListener("beforeprint", openForPrint);
  window.addEventListener("afterprint", restoreAfterPrint);
  // Start on the page as loaded, and again on every page that Material's instant
  // navigation swaps in. (From file:// with navigation.instant on, document$
  // completes without ever emitting, so it cannot be the only trigger.)
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe({ next: init, error: function () {} });
  }
})();
