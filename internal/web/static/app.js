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
})();
