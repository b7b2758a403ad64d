/* Tag inputs for places, actors and hedges: the form field is a textarea with one tag per
   line (what the server reads); this turns it into chips and a text box and keeps the
   textarea in step. Enter or comma adds a tag, Backspace in an empty box removes the last. */
(function () {
  "use strict";

  function enhance(area) {
    var box = document.createElement("div");
    box.className = "desk-tagbox";
    var input = document.createElement("input");
    input.type = "text";
    input.className = "desk-tag-input";
    input.setAttribute("aria-label", "Add to " + (area.name || "the list"));
    input.placeholder = "type and press Enter";
    var list = document.createElement("ul");
    list.className = "desk-tag-list";
    box.appendChild(list);
    box.appendChild(input);
    area.classList.add("desk-tags-hidden");
    area.setAttribute("aria-hidden", "true");
    area.tabIndex = -1;
    area.parentNode.insertBefore(box, area);

    function tags() {
      return area.value.split("\n").map(function (t) { return t.trim(); }).filter(Boolean);
    }
    function write(next) {
      area.value = next.join("\n");
      area.dispatchEvent(new Event("change", { bubbles: true }));
      draw();
    }
    function draw() {
      list.textContent = "";
      tags().forEach(function (tag, i) {
        var li = document.createElement("li");
        li.className = "desk-tag";
        var label = document.createElement("span");
        label.textContent = tag;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "desk-tag-remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", "Remove " + tag);
        remove.addEventListener("click", function () {
          var next = tags();
          next.splice(i, 1);
          write(next);
          input.focus();
        });
        li.appendChild(label);
        li.appendChild(remove);
        list.appendChild(li);
      });
    }
    function add() {
      var value = input.value.replace(/,$/, "").trim();
      if (!value) return;
      var now = tags();
      if (now.indexOf(value) < 0) now.push(value);
      input.value = "";
      write(now);
    }
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === ",") {
        event.preventDefault(); // never submit the form from here
        add();
      } else if (event.key === "Backspace" && !input.value) {
        var now = tags();
        now.pop();
        write(now);
      }
    });
    input.addEventListener("blur", add);
    draw();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea.desk-tags").forEach(enhance);
  });
})();
