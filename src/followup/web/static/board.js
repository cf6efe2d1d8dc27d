// The board's drag and drop (issue #16): drag a card onto a column to record what happened.
// An enhancement only: every card has its "Move to…" menu, a plain form that works without
// JavaScript, and a drop just fills that form in. Before it is sent the page asks, in its
// dialog, as the interview page's buttons do (for "They replied": when, and who); Undo
// follows on the page it lands on. Mouse: HTML5 drag and drop; touch and pen: pointer events
// on the card's grip. A static file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var dragged = null; // the card being dragged
  var over = null; // the column it would land in

  function columnAt(node) {
    return node && node.closest ? node.closest(".column[data-drop]") : null;
  }

  function canDrop(card, column) {
    var move = column && column.getAttribute("data-drop");
    return !!(move && (" " + card.getAttribute("data-moves") + " ").indexOf(" " + move + " ") >= 0);
  }

  function highlight(column) {
    if (over && over !== column) {
      over.classList.remove("drop-ok");
    }
    over = column;
    if (column) {
      column.classList.add("drop-ok");
    }
  }

  function finish() {
    if (dragged) {
      dragged.classList.remove("dragging");
    }
    highlight(null);
    dragged = null;
  }

  function hidden(form, name, value) {
    var field = form.querySelector('input[type="hidden"][name="' + name + '"]');
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = name;
      form.appendChild(field);
    }
    field.value = value;
  }

  // Ask, then send the card's own "Move to…" form (the same route and use-case).
  function ask(card, move) {
    var form = card.querySelector("form.move");
    var select = form && form.querySelector('select[name="to"]');
    var option = select && select.querySelector('option[value="' + move + '"]');
    var dialog = document.getElementById("move-dialog");
    if (!option) {
      return;
    }
    if (!dialog || typeof dialog.showModal !== "function") {
      select.value = move;
      form.submit(); // unconfirmed: "They replied" is asked on a page of its own
      return;
    }
    var replied = move === "replied";
    document.getElementById("move-dialog-title").textContent =
      option.textContent + " — " + card.getAttribute("data-name") + "?";
    document.getElementById("move-dialog-replied").hidden = !replied;
    document.getElementById("move-at").value = "";
    document.getElementById("move-who").value = "";
    dialog.returnValue = "";
    dialog.onclose = function () {
      dialog.onclose = null;
      if (dialog.returnValue !== "ok") {
        select.focus();
        return;
      }
      select.value = move;
      if (replied) {
        hidden(form, "at", document.getElementById("move-at").value);
        hidden(form, "interviewer", document.getElementById("move-who").value);
      }
      hidden(form, "confirmed", "1");
      if (window.htmx) {
        // htmx posts it: a refusal is said after this card's form (app.js), not as a page
        window.htmx.trigger(form, "confirmed");
      } else {
        form.submit();
      }
    };
    dialog.showModal();
    (replied ? document.getElementById("move-at") : document.getElementById("move-confirm")).focus();
  }

  // the "Move to…" menu asks too (without JavaScript it posts at once)
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("move")) {
      return;
    }
    var select = form.querySelector('select[name="to"]');
    if (select && select.value) {
      event.preventDefault();
      ask(form.closest(".card"), select.value);
    }
  });

  // mouse: HTML5 drag and drop
  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest ? event.target.closest(".card[draggable]") : null;
    if (!card) {
      return;
    }
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
  });
  document.addEventListener("dragover", function (event) {
    var column = columnAt(event.target);
    if (dragged && canDrop(dragged, column)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      highlight(column);
    } else {
      highlight(null);
    }
  });
  document.addEventListener("drop", function (event) {
    var column = columnAt(event.target);
    var card = dragged;
    if (card && canDrop(card, column)) {
      event.preventDefault();
      finish();
      ask(card, column.getAttribute("data-drop"));
    }
  });
  document.addEventListener("dragend", finish);

  // touch and pen: drag by the grip (which takes no part in scrolling)
  document.addEventListener("pointerdown", function (event) {
    if (event.pointerType === "mouse" || !event.target.closest || !event.target.closest(".grip")) {
      return;
    }
    dragged = event.target.closest(".card");
    if (dragged) {
      dragged.classList.add("dragging");
    }
  });
  // a card dragged near the screen's top or bottom edge scrolls the page (the grip takes no
  // part in scrolling, so a column below the screen could not be reached on a phone)
  var EDGE = 56;
  function autoScroll(event) {
    if (event.clientY < EDGE) {
      window.scrollBy(0, -Math.max(8, EDGE - event.clientY));
    } else if (event.clientY > window.innerHeight - EDGE) {
      window.scrollBy(0, Math.max(8, event.clientY - (window.innerHeight - EDGE)));
    }
  }
  document.addEventListener("pointermove", function (event) {
    if (dragged && event.pointerType !== "mouse") {
      autoScroll(event);
      var column = columnAt(document.elementFromPoint(event.clientX, event.clientY));
      highlight(canDrop(dragged, column) ? column : null);
    }
  });
  document.addEventListener("pointerup", function (event) {
    if (!dragged || event.pointerType === "mouse") {
      return;
    }
    var card = dragged;
    var column = columnAt(document.elementFromPoint(event.clientX, event.clientY));
    finish();
    if (canDrop(card, column) && columnAt(card) !== column) {
      ask(card, column.getAttribute("data-drop"));
    }
  });
  document.addEventListener("pointercancel", function (event) {
    if (event.pointerType !== "mouse") {
      finish();
    }
  });
})();
