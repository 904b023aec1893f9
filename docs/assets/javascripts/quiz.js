/*
 * Self-check quizzes (portal_site/render.py: quiz_md): pick an option, see at once whether it is
 * right, with the explanation. Nothing is sent or stored anywhere.
 *
 * Without JavaScript the quiz reads as a list of questions, each with its options and the answer
 * in a <details>. With it, the options become buttons and the <details> gives way to feedback.
 * All words come from data-* attributes, so this file has no language of its own.
 */
(function () {
  "use strict";
  var LETTERS = "ABCDEF";

  function setUpQuestion(question, onAnswer) {
    var right = Number(question.getAttribute("data-answer"));
    var list = question.querySelector(".portal-quiz__options");
    var details = question.querySelector(".portal-quiz__answer");
    var text = question.querySelector(".portal-quiz__text");
    var explanation = details.querySelector("p:last-child").textContent;
    var words = question.closest("[data-portal-quiz]").dataset;

    text.id = question.id + "-text";
    var group = document.createElement("div");
    group.className = "portal-quiz__choices";
    group.setAttribute("role", "group");
    group.setAttribute("aria-labelledby", text.id);

    var feedback = document.createElement("p");
    feedback.className = "portal-quiz__feedback";
    feedback.setAttribute("aria-live", "polite");

    var options = Array.from(list.children).map(function (item) { return item.textContent; });
    var buttons = options.map(function (option, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "portal-quiz__choice";
      button.setAttribute("aria-pressed", "false");
      var letter = document.createElement("span");
      letter.className = "portal-quiz__letter";
      letter.textContent = LETTERS[index] + ".";
      button.append(letter, " ", option);
      button.addEventListener("click", function () { choose(index); });
      group.append(button);
      return button;
    });

    function choose(index) {
      var isRight = index === right;
      buttons.forEach(function (button, i) {
        button.setAttribute("aria-pressed", String(i === index));
        button.classList.toggle("is-chosen", i === index);
        button.classList.toggle("is-right", i === right);
        button.classList.toggle("is-wrong", i === index && !isRight);
      });
      feedback.className = "portal-quiz__feedback " + (isRight ? "is-right" : "is-wrong");
      feedback.textContent = isRight
        ? words.correct + " " + explanation
        : words.wrong + " " + words.rightAnswer + " " + LETTERS[right] + ". " + options[right] + ". " + explanation;
      onAnswer(question, isRight);
    }

    list.replaceWith(group);
    details.hidden = true;
    group.after(feedback);
  }

  function setUpQuiz(quiz) {
    var hint = quiz.querySelector(".portal-quiz__hint");
    var score = quiz.querySelector(".portal-quiz__score");
    var questions = Array.from(quiz.querySelectorAll(".portal-quiz__question"));
    var results = new Map();
    if (hint) hint.textContent = quiz.dataset.hint;

    function onAnswer(question, isRight) {
      results.set(question, isRight);
      if (results.size === questions.length) {
        var correct = Array.from(results.values()).filter(Boolean).length;
        score.textContent = quiz.dataset.score
          .replace("{correct}", String(correct))
          .replace("{total}", String(questions.length));
        score.hidden = false;
      }
    }
    questions.forEach(function (question) { setUpQuestion(question, onAnswer); });
    quiz.classList.add("is-interactive");
  }

  // A quiz sits at the end of a long page: turning it into buttons restyles the whole page, a task
  // a cheap phone feels while the page loads (Lighthouse counted it as blocking time). So each quiz is
  // set up when it comes near the screen, long before the reader reaches it.
  var quizzes = document.querySelectorAll("[data-portal-quiz]");
  if (!("IntersectionObserver" in window)) {
    quizzes.forEach(setUpQuiz);
    return;
  }
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      observer.unobserve(entry.target);
      setUpQuiz(entry.target);
    });
  }, { rootMargin: "600px 0px" });
  quizzes.forEach(function (quiz) { observer.observe(quiz); });
})();
