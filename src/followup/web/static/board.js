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

  // The card as the board shows it now, by its interview: a search's answer may have
  // replaced the board (and the card with it) while the card was dragged or the dialog was
  // open (issue #16 trial item 1: the move confirmed on the old card was lost). Null when
  // the card is no longer on the board.
  function current(card) {
    if (!card || document.body.contains(card)) {
      return card;
    }
    var id = card.getAttribute("data-interview");
    return id ? document.querySelector('.card[data-interview="' + id + '"]') : null;
  }

  // The move's form, as the board is now: the card's own (htmx posts it, a refusal is said
  // in the card), else — the card left the board or no longer offers that move — the old
  // one posted plainly from the page, so the server records it or says why on the board
  // as it is now: a confirmed move is never dropped without a word.
  function send(card, stale, move, fill) {
    var live = current(card);
    var form = live && live.querySelector("form.move");
    var select = form && form.querySelector('select[name="to"]');
    if (select && select.querySelector('option[value="' + move + '"]')) {
      select.value = move;
      fill(form);
      if (window.htmx) {
        // htmx posts it: a refusal is said after this card's form (app.js), not as a page
        window.htmx.trigger(form, "confirmed");
      } else {
        form.submit();
      }
      return;
    }
    stale.querySelector('select[name="to"]').value = move;
    fill(stale);
    hidden(stale, "back", window.location.pathname + window.location.search);
    stale.hidden = true;
    document.body.appendChild(stale);
    stale.submit();
  }

  // Ask, then send the card's own "Move to…" form (the same route and use-case).
  function ask(card, move) {
    card = current(card) || card;
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
        var now = current(card);
        var menu = now && now.querySelector('form.move select[name="to"]');
        if (menu) {
          menu.focus();
        }
        return;
      }
      var at = document.getElementById("move-at").value;
      var who = document.getElementById("move-who").value;
      send(card, form, move, function (chosen) {
        if (replied) {
          hidden(chosen, "at", at);
          hidden(chosen, "interviewer", who);
        }
        hidden(chosen, "confirmed", "1");
      });
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
    var card = current(dragged) || dragged;
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

  // The search and filters (issue #16 trial items 1 and 4): a request only when what they
  // ask changed since the board shown (its address): leaving the search box fires "change"
  // for the text already searched, and asking again re-rendered the board under a card
  // being moved and pushed a second history entry (Back took two presses). The fields left
  // empty are not sent, so the address keeps only what is set.
  function asked(pairs) {
    var kept = [];
    pairs.forEach(function (pair) {
      var value = pair[0] === "q" ? String(pair[1]).trim() : String(pair[1]);
      if (value !== "" && pair[0] !== "csrf_token") {
        kept.push(encodeURIComponent(pair[0]) + "=" + encodeURIComponent(value));
      }
    });
    return kept.sort().join("&");
  }
  function shown() {
    var pairs = [];
    new URLSearchParams(window.location.search).forEach(function (value, key) {
      pairs.push([key, value]);
    });
    return asked(pairs);
  }
  var inFlight = null; // what the search request on its way asks
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt && event.detail.elt.id === "board-filter") {
      inFlight = null;
    }
  });
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!form || form.id !== "board-filter") {
      return;
    }
    var pairs = [];
    new FormData(form).forEach(function (value, key) {
      pairs.push([key, value]);
    });
    var key = asked(pairs);
    if (key === shown() || key === inFlight) {
      event.preventDefault(); // the board already shows this (or is about to)
      return;
    }
    inFlight = key;
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (key) {
      var value = params[key];
      if (value === "" || (key === "q" && String(value).trim() === "")) {
        delete params[key];
      }
    });
  });

  // The search box keeps at most its maxlength (the server's limit): a longer paste is cut
  // by the browser without a word, so the page says it beside the box (issue #16 cold trial
  // item 5).
  var cut = false;
  document.addEventListener("paste", function (event) {
    var box = event.target;
    if (!box || box.id !== "board-q" || !(box.maxLength > 0)) {
      return;
    }
    var text = event.clipboardData ? event.clipboardData.getData("text") : "";
    var room = box.maxLength - box.value.length + (box.selectionEnd - box.selectionStart);
    cut = text.length > room;
  });
  document.addEventListener("input", function (event) {
    var box = event.target;
    var said = document.getElementById("board-q-limit");
    if (!box || box.id !== "board-q" || !said || !(box.maxLength > 0)) {
      return;
    }
    var max = box.maxLength;
    if (box.value.length < max) {
      said.textContent = "";
    } else if (cut) {
      said.textContent = "Only the first " + max + " characters were kept: a search is at most " + max + ".";
    } else {
      said.textContent = "A search is at most " + max + " characters.";
    }
    cut = false;
  });
})();
