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

  // Live numbers: an element with data-live="URL" listens to that
  // Server-Sent Events stream and writes each "progress" event into the
  // page: counters into [data-count=NAME], percentages into
  // [data-rate="PART WHOLE"], <progress data-progress="VALUE MAX">, the
  // campaign's status into [data-status] and each source's outcome into
  // its row [data-source=NAME]. Without this script (or EventSource) the
  // page shows the numbers of when it was loaded.
  var labelOf = function (s) {
    var names = { google_maps: "Google Maps", osm: "OpenStreetMap", yelp: "Yelp" };
    if (names[s]) return names[s];
    s = String(s).replace(/_/g, " ");
    return s.charAt(0).toUpperCase() + s.slice(1);
  };
  var formatNumber = function (n) { return Number(n).toLocaleString("en-US"); };
  var formatRate = function (part, whole) {
    return whole > 0 ? (part * 100 / whole).toFixed(1) + "%" : "\u2014";
  };
  var showProgress = function (p) {
    document.querySelectorAll("[data-count]").forEach(function (el) {
      var v = p[el.dataset.count];
      if (typeof v === "number") el.textContent = formatNumber(v);
    });
    document.querySelectorAll("[data-rate]").forEach(function (el) {
      var k = el.dataset.rate.split(" ");
      el.textContent = formatRate(p[k[0]] || 0, p[k[1]] || 0);
    });
    document.querySelectorAll("progress[data-progress]").forEach(function (el) {
      var k = el.dataset.progress.split(" ");
      el.max = Math.max(p[k[1]] || 0, 1);
      el.value = p[k[0]] || 0;
    });
    document.querySelectorAll("[data-when-found]").forEach(function (el) {
      el.hidden = !(p.found > 0);
    });
    document.querySelectorAll("[data-status]").forEach(function (el) {
      el.className = "badge " + p.status;
      el.textContent = labelOf(p.status);
    });
    document.querySelectorAll("[data-source]").forEach(function (row) {
      var r = p.sources && p.sources[row.dataset.source];
      if (!r) return;
      var outcome = row.querySelector('[data-part="outcome"]');
      if (outcome) {
        var badge = document.createElement("span");
        badge.className = "badge " + r.status;
        badge.textContent = labelOf(r.status);
        outcome.className = "";
        outcome.replaceChildren(badge);
        if (r.message) {
          var note = document.createElement("span");
          note.className = "small";
          note.textContent = r.message;
          outcome.append(document.createElement("br"), note);
        }
      }
      var found = row.querySelector('[data-part="found"]');
      if (found) found.textContent = formatNumber(r.found || 0);
      var kept = row.querySelector('[data-part="kept"]');
      if (kept) kept.textContent = formatNumber(r.kept || 0);
    });
  };
  document.querySelectorAll("[data-live]").forEach(function (root) {
    if (!window.EventSource) return;
    var note = root.querySelector("[data-live-note]");
    var say = function (text) { if (note) note.textContent = text; };
    var source = new EventSource(root.dataset.live);
    source.addEventListener("open", function () {
      say("Live: the numbers change as the work goes on.");
    });
    source.addEventListener("progress", function (event) {
      showProgress(JSON.parse(event.data));
      root.dataset.liveUpdates = String(Number(root.dataset.liveUpdates || 0) + 1);
    });
    source.addEventListener("gone", function () {
      source.close();
      say("This campaign no longer exists.");
    });
    source.addEventListener("error", function () {
      say("Live updates are interrupted; they resume by themselves, or reload the page.");
    });
    window.addEventListener("pagehide", function () { source.close(); });
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
