/* The document review page: a claim chosen in the text or the list is the one the decision
   form acts on; a selection in the text becomes evidence, its offsets measured in the text's
   characters (the text element holds exactly the snapshot's text, or one section of it,
   starting at data-offset). The server checks them against the snapshot again and refuses
   a mismatch. */
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }

  function select(claimId, scroll) {
    var item = $("desk-claim-" + claimId);
    if (!item) return;
    document.querySelectorAll("#desk-claims li.desk-selected").forEach(function (li) {
      li.classList.remove("desk-selected");
    });
    item.classList.add("desk-selected");
    if (scroll) item.scrollIntoView({ block: "nearest" });
    document.querySelectorAll("mark.desk-span.desk-selected").forEach(function (m) {
      m.classList.remove("desk-selected");
    });
    var marks = document.querySelectorAll('mark.desk-span[data-claim="' + claimId + '"]');
    marks.forEach(function (m) { m.classList.add("desk-selected"); });
    if (scroll && marks.length) marks[0].scrollIntoView({ block: "center" });
    $("desk-decide-claim").value = claimId;
    $("desk-decide-version").value = item.dataset.version || "";
    $("desk-decide-which").textContent = "claim #" + claimId;
    var form = $("desk-decide-form");
    form.classList.toggle("desk-closed", item.dataset.decidable !== "1");
    if (!$("desk-target") && $("desk-evidence-claim")) {
      $("desk-evidence-claim").value = claimId;
      $("desk-evidence-for").textContent = "claim #" + claimId;
    }
  }

  function move(step) {
    var items = Array.prototype.slice.call(document.querySelectorAll("#desk-claims li"));
    if (!items.length) return;
    var at = items.findIndex(function (li) { return li.classList.contains("desk-selected"); });
    var next = items[Math.max(0, Math.min(items.length - 1, at + step))];
    select(next.dataset.claim, true);
  }

  /* Characters from the start of the text element to (node, offset). */
  function offsetIn(root, node, offset) {
    var range = document.createRange();
    range.setStart(root, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function onSelection() {
    var form = $("desk-evidence-form");
    var root = $("desk-text");
    if (!form || !root) return;
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    var range = sel.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return;
    // A long capture is shown a section at a time: the element's text starts at the
    // snapshot's character data-offset.
    var base = parseInt(root.dataset.offset || "0", 10);
    var start = base + offsetIn(root, range.startContainer, range.startOffset);
    var end = base + offsetIn(root, range.endContainer, range.endOffset);
    var exact = range.toString();
    if (end <= start || !exact.trim()) return;
    $("desk-evidence-start").value = start;
    $("desk-evidence-end").value = end;
    $("desk-evidence-exact").value = exact;
    $("desk-evidence-quote").textContent = exact.length > 400 ? exact.slice(0, 400) + "…" : exact;
    $("desk-evidence-where").textContent = "characters " + start + "–" + end + " of snapshot " + root.dataset.snapshot;
    form.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var text = $("desk-text");
    if (text) {
      text.addEventListener("click", function (event) {
        var mark = event.target.closest("mark.desk-span");
        if (mark && window.getSelection().isCollapsed) select(mark.dataset.claim, false);
      });
      text.addEventListener("mouseup", onSelection);
      text.addEventListener("keyup", function (event) { if (event.shiftKey) onSelection(); });
    }
    document.querySelectorAll("#desk-claims li").forEach(function (li) {
      li.addEventListener("click", function (event) {
        if (event.target.closest("a")) return; // the link opens the claim page
        select(li.dataset.claim, true);
      });
    });
    var cancel = $("desk-evidence-cancel");
    if (cancel) cancel.addEventListener("click", function () { $("desk-evidence-form").hidden = true; });
    var chosen = document.querySelector("#desk-claims li.desk-selected");
    if (chosen) select(chosen.dataset.claim, true);
    document.addEventListener("keydown", function (event) {
      var tag = (event.target.tagName || "").toLowerCase();
      if (tag === "textarea" || tag === "input" || tag === "select") return;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "j") { move(1); event.preventDefault(); event.stopImmediatePropagation(); }
      if (event.key === "k") { move(-1); event.preventDefault(); event.stopImmediatePropagation(); }
    }, true);
  });
})();
