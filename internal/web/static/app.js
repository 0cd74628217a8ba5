// Prospector's dashboard script. Every page works without it; it only
// makes some things quicker. No inline handlers: behaviour is attached
// here to elements marked with data-* attributes.
"use strict";

(function () {
  // A form sent once is not sent again by a second click while the
  // browser waits for the answer.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.sending === "yes") {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "yes";
    form.setAttribute("aria-busy", "true");
  });
  // Going back to a page from the history cache leaves its forms usable.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      delete form.dataset.sending;
      form.removeAttribute("aria-busy");
    });
  });

  // "Select all" for lists of checkboxes: <input type=checkbox
  // data-select-all="NAME" hidden>, shown only where this script runs.
  document.querySelectorAll("[data-select-all]").forEach(function (all) {
    var name = all.dataset.selectAll;
    var boxes = function () {
      return document.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
    };
    var wrapper = all.closest("[hidden]");
    if (wrapper) wrapper.hidden = false;
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
    });
    document.addEventListener("change", function (event) {
      if (event.target.name !== name) return;
      var list = Array.prototype.slice.call(boxes());
      all.checked = list.length > 0 && list.every(function (b) { return b.checked; });
    });
  });

  // Live word counts under email bodies: <textarea data-words="ID"> writes
  // "N words" into the element with that id.
  var countWords = function (text) {
    var words = text.trim().split(/\s+/);
    return words[0] === "" ? 0 : words.length;
  };
  document.querySelectorAll("textarea[data-words]").forEach(function (area) {
    var out = document.getElementById(area.dataset.words);
    if (!out) return;
    var update = function () {
      var n = countWords(area.value);
      out.textContent = n === 1 ? "1 word" : n + " words";
    };
    area.addEventListener("input", update);
    update();
  });
  // The campaign form as a wizard: <form data-wizard> shows its
  // [data-step] sections one at a time with Back and Next, ending on a
  // review of what was entered ([data-review]). Without this script the
  // whole form is one page; a form that came back with errors is not a
  // wizard (the server leaves data-wizard off), so every error shows.
  document.querySelectorAll("form[data-wizard]").forEach(function (form) {
    var steps = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
    var review = form.querySelector("[data-review]");
    var submit = form.querySelector('.actions button[type="submit"]');
    if (steps.length < 2 || !submit) return;
    var nav = document.createElement("div");
    nav.className = "actions wizard-nav";
    var back = document.createElement("button");
    back.type = "button";
    back.className = "secondary";
    back.textContent = "Back";
    var next = document.createElement("button");
    next.type = "button";
    next.textContent = "Next";
    var where = document.createElement("p");
    where.className = "small muted";
    where.setAttribute("aria-live", "polite");
    nav.append(back, next, where);
    submit.parentNode.before(nav);
    var at = 0;
    var labelOf = function (field) {
      var label = form.querySelector('label[for="' + field.id + '"]');
      if (label) return label.childNodes[0].textContent.trim();
      var set = field.closest("fieldset");
      return set ? set.querySelector("legend").textContent.trim() : field.name;
    };
    var summarize = function () {
      var list = review.querySelector("dl");
      list.textContent = "";
      var seen = {};
      steps.forEach(function (step) {
        step.querySelectorAll("input, select, textarea").forEach(function (field) {
          if (field.type === "hidden") return;
          var name = labelOf(field);
          var value = field.type === "checkbox" ? (field.checked ? field.parentNode.textContent.trim() : null) : field.value.trim();
          if (!(name in seen)) {
            seen[name] = [];
          }
          if (value) seen[name].push(value);
        });
      });
      Object.keys(seen).forEach(function (name) {
        var dt = document.createElement("dt");
        dt.textContent = name;
        var dd = document.createElement("dd");
        dd.textContent = seen[name].length ? seen[name].join(", ") : "—";
        list.append(dt, dd);
      });
    };
    var show = function (i) {
      at = i;
      steps.forEach(function (step, j) { step.hidden = j !== i; });
      back.hidden = i === 0;
      next.hidden = i === steps.length - 1;
      submit.hidden = i !== steps.length - 1;
      where.textContent = "Step " + (i + 1) + " of " + steps.length;
      if (steps[i] === review) summarize();
      var heading = steps[i].querySelector("h2");
      if (heading) {
        heading.tabIndex = -1;
        heading.focus();
      }
    };
    back.addEventListener("click", function () { show(at - 1); });
    next.addEventListener("click", function () { show(at + 1); });
    show(0);
  });
})();
