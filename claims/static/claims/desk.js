/* The review desk's keyboard and page behaviour. Loaded as a file (no inline script), so a
   strict Content-Security-Policy can forbid everything else.

   Claim list / My queue: j and k move the current row, Enter or o opens it, x ticks it.
   Claim page: j and k open the next and previous claim of your queue; v, d, r and u open the
   decision with that outcome (Verify, Dispute, Refute, Unverifiable); 1 to 7 pick the
   confidence band; Ctrl+Enter saves. ? shows the list of shortcuts anywhere. */
(function () {
  "use strict";

  var SHORTCUTS = [
    ["j / k", "next / previous claim (list: row; claim page: claim of your queue)"],
    ["Enter or o", "open the current row (list)"],
    ["x", "tick the current row for a bulk action (list)"],
    ["v d r u", "decide: Verify, Dispute, Refute, Unverifiable (claim page, document page)"],
    ["1 … 7", "confidence band, from almost no chance to almost certain"],
    ["Ctrl+Enter", "save the decision (or the form you are in)"],
    ["?", "show or hide this list"],
    ["Esc", "leave the text field, close this list"]
  ];

  function typing(event) {
    var t = event.target;
    if (!t || !t.tagName) return false;
    var tag = t.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select" || t.isContentEditable) return true;
    if (tag !== "input") return false;
    var type = (t.type || "text").toLowerCase();
    return ["checkbox", "radio", "submit", "button", "reset"].indexOf(type) < 0;
  }

  /* --- the list of shortcuts ----------------------------------------------------------- */
  var help = null;
  function toggleHelp() {
    if (help) {
      help.remove();
      help = null;
      return;
    }
    help = document.createElement("div");
    help.id = "desk-shortcuts";
    help.setAttribute("role", "dialog");
    help.setAttribute("aria-label", "Keyboard shortcuts");
    var title = document.createElement("h2");
    title.textContent = "Keyboard shortcuts";
    help.appendChild(title);
    var table = document.createElement("table");
    SHORTCUTS.forEach(function (row) {
      var tr = document.createElement("tr");
      var key = document.createElement("th");
      var kbd = document.createElement("kbd");
      kbd.textContent = row[0];
      key.appendChild(kbd);
      var what = document.createElement("td");
      what.textContent = row[1];
      tr.appendChild(key);
      tr.appendChild(what);
      table.appendChild(tr);
    });
    help.appendChild(table);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "button";
    close.textContent = "Close (Esc)";
    close.addEventListener("click", toggleHelp);
    help.appendChild(close);
    document.body.appendChild(help);
    close.focus();
  }

  /* --- the claim list: a current row ---------------------------------------------------- */
  function listRows() {
    return Array.prototype.slice.call(document.querySelectorAll("#result_list tbody tr"));
  }
  var current = -1;
  function setCurrent(index) {
    var rows = listRows();
    if (!rows.length) return;
    index = Math.max(0, Math.min(rows.length - 1, index));
    if (current >= 0 && rows[current]) rows[current].classList.remove("desk-current");
    current = index;
    rows[current].classList.add("desk-current");
    rows[current].scrollIntoView({ block: "nearest" });
    var link = rows[current].querySelector("th a, td.field-sentence_column a");
    if (link) link.focus({ preventScroll: true });
  }
  function openCurrent() {
    var rows = listRows();
    if (current < 0 || !rows[current]) return false;
    var link = rows[current].querySelector("th a, td.field-sentence_column a");
    if (link) window.location.assign(link.href);
    return !!link;
  }
  function tickCurrent() {
    var rows = listRows();
    if (current < 0 || !rows[current]) return;
    var box = rows[current].querySelector("input.action-select");
    if (box) box.click();
  }

  /* --- the decision form (claim page and document page) --------------------------------- */
  function decisionForm() {
    return document.querySelector(".desk-decision, #desk-decide-form");
  }
  function chooseDecision(key) {
    var form = decisionForm();
    if (!form) return false;
    var button = form.querySelector('button.desk-decide[data-key="' + key + '"]');
    if (!button) return false;
    form.querySelectorAll("button.desk-decide").forEach(function (b) {
      b.classList.toggle("desk-chosen", b === button);
      b.setAttribute("aria-pressed", b === button ? "true" : "false");
    });
    var chosen = form.querySelector("input[name=desk_chosen]");
    if (!chosen) {
      chosen = document.createElement("input");
      chosen.type = "hidden";
      chosen.name = "desk_chosen";
      form.appendChild(chosen);
    }
    chosen.value = button.dataset.decision;
    form.scrollIntoView({ block: "center" });
    // Verify, dispute and refute need a band: go to the bands first (keys 1-7 pick one and
    // move on to the rationale); otherwise straight to the rationale.
    var bands = form.querySelectorAll('input[type=radio][name$="confidence"]');
    var picked = form.querySelector('input[type=radio][name$="confidence"]:checked');
    if (button.dataset.needsBand === "1" && bands.length && !picked) {
      bands[0].focus();
    } else {
      focusRationale(form);
    }
    return true;
  }
  function focusRationale(form) {
    var rationale = form.querySelector("textarea");
    if (rationale) rationale.focus();
  }
  function chooseBand(digit) {
    var form = decisionForm();
    if (!form) return false;
    var bands = form.querySelectorAll('input[type=radio][name$="confidence"]');
    var band = bands[digit - 1];
    if (!band) return false;
    band.checked = true;
    band.dispatchEvent(new Event("change", { bubbles: true }));
    focusRationale(form);
    return true;
  }
  function saveDecision(event) {
    var form = decisionForm();
    var chosen = form && form.querySelector("button.desk-decide.desk-chosen");
    if (chosen) {
      chosen.click(); // posts decision=<status> with the confidence and rationale
      return true;
    }
    var target = event.target && event.target.form;
    if (target) {
      var save = target.querySelector("input[name=_continue]:not(.desk-enter-default), input[type=submit].default");
      if (save) save.click();
      else target.requestSubmit();
      return true;
    }
    return false;
  }

  function queueLink(which) {
    var nav = document.getElementById("desk-queue");
    return nav ? nav.dataset[which] : null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      if (saveDecision(event)) event.preventDefault();
      return;
    }
    if (event.key === "Escape") {
      if (help) toggleHelp();
      else if (typing(event)) event.target.blur();
      return;
    }
    if (typing(event) || event.altKey || event.ctrlKey || event.metaKey) return;
    var onList = !!document.getElementById("result_list");
    var handled = true;
    switch (event.key) {
      case "?":
        toggleHelp();
        break;
      case "j":
        if (onList) setCurrent(current + 1);
        else if (queueLink("next")) window.location.assign(queueLink("next"));
        else handled = false;
        break;
      case "k":
        if (onList) setCurrent(current - 1);
        else if (queueLink("previous")) window.location.assign(queueLink("previous"));
        else handled = false;
        break;
      case "o":
      case "Enter":
        handled = onList && event.target.tagName !== "A" && openCurrent();
        break;
      case "x":
        if (onList) tickCurrent();
        else handled = false;
        break;
      case "v":
      case "d":
      case "r":
      case "u":
        handled = chooseDecision(event.key);
        break;
      default:
        if (/^[1-7]$/.test(event.key)) handled = chooseBand(Number(event.key));
        else handled = false;
    }
    if (handled) event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    // A decision button pressed with the mouse is the one chosen, too.
    document.querySelectorAll("button.desk-decide").forEach(function (button) {
      button.addEventListener("focus", function () {
        document.querySelectorAll("button.desk-decide").forEach(function (b) {
          b.classList.toggle("desk-chosen", b === button);
        });
      });
    });
    document.dispatchEvent(new CustomEvent("desk:ready"));
  });
})();
