// The dashboard's only script of its own besides stats.js: htmx settings and the CSRF header.
// A static file because the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  if (window.htmx) {
    var config = window.htmx.config;
    config.includeIndicatorStyles = false; // it would inject a <style>, which the CSP refuses
    config.allowEval = false; // no hx-on / js: expressions
    config.allowScriptTags = false; // never run a script that arrives in a response
    config.historyCacheSize = 0; // keep no copy of pages in localStorage
    config.selfRequestsOnly = true;
    // htmx copies these from the old element to its replacement while it settles; an inline
    // style (a textarea the user resized) would be set by script, which the CSP refuses
    config.attributesToSettle = ["class", "width", "height"];
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // htmx requests carry the session's CSRF token in a header (forms also send the field).
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrfToken();
  });

  // After an htmx action on a row (Today's "Mark sent", "They replied") or a draft's card
  // ("Keep my text and check it"), focus stays on that row or card — on the same control when
  // it is still there — or, when a row left the list, moves to the "Done: … — Undo" notice;
  // never to the page's body.
  var pending = null;
  // A draft's Send / Save to Drafts region (issue #16): focus follows its job — on
  // "Sending…" while it runs, then on the outcome — when it was in the region (or lost with
  // the button the swap replaced); a poll never takes focus from somewhere else.
  var mail = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    var region = elt && elt.closest ? elt.closest(".mail-actions[id]") : null;
    if (region) {
      var here = document.activeElement;
      mail = { region: region.id, follow: !here || here === document.body || region.contains(here) };
      pending = null;
      return;
    }
    var row = elt && elt.closest ? elt.closest("tr[id], .draft[id]") : null;
    var active = document.activeElement;
    pending = row ? { row: row.id, control: active && row.contains(active) ? active.id : "" } : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (mail) {
      var wantedMail = mail;
      mail = null;
      var swapped = document.getElementById(wantedMail.region);
      var line = swapped ? swapped.querySelector("[data-focus]") : null;
      var here = document.activeElement;
      if (line && (wantedMail.follow || !here || here === document.body)) {
        line.focus();
      }
      return;
    }
    if (!pending) {
      return;
    }
    var wanted = pending;
    pending = null;
    var row = document.getElementById(wanted.row);
    if (row && row.closest && row.closest("details:not([open])")) {
      // the row moved into a folded group (Today's Later): the answer at the top instead
      row = null;
    }
    var target = null;
    var notice = null;
    if (row && row.tagName === "TR") {
      // the answer ("Done: … — Undo") right under the row that caused it, not at the top of
      // the list (on a phone that was a screen or more above)
      var flashes = document.querySelector("#agenda #flashes");
      if (flashes && row.parentNode) {
        notice = document.createElement("tr");
        notice.className = "row-notice";
        notice.setAttribute("data-testid", "row-notice");
        var cell = document.createElement("td");
        cell.colSpan = row.children.length || 1;
        cell.appendChild(flashes);
        notice.appendChild(cell);
        row.parentNode.insertBefore(notice, row.nextSibling);
      }
    }
    if (row) {
      var same = wanted.control ? document.getElementById(wanted.control) : null;
      target = same && row.contains(same) ? same : row.querySelector("a[href], button");
      // a control inside a closed <details> (Today's Snooze choices): its summary instead
      var closed = target && target.closest ? target.closest("details:not([open])") : null;
      if (closed && closed.querySelector("summary")) {
        target = closed.querySelector("summary");
      }
    } else {
      target = document.querySelector("#agenda .done") || document.getElementById("agenda");
    }
    if (target) {
      target.focus();
    }
    if (notice && notice.scrollIntoView) {
      notice.scrollIntoView({ block: "nearest" });
    }
  });

  // Arriving on a page after a form's redirect (issue #16): focus where the answer is — a
  // refusal's line by its form, or the notice ("Done: … — Undo") in the section the redirect
  // landed on (?at=…#section) — so the next Tab goes on from there, not from the top.
  function focusOnArrival() {
    var target = document.querySelector(
      "#action-error, #undo-error, #debrief-error, #edit-error, #add-error, #add-confirm, #import-error, .field-error"
    );
    if (!target && window.location.hash.length > 1) {
      var section = document.getElementById(window.location.hash.slice(1));
      target = section ? section.querySelector("#flashes .done, #flashes") : null;
    }
    // else the page's notices, wherever they are (after Undo, a board move, a save): the
    // answer takes focus and comes into view rather than leaving focus on the page's body
    if (!target) {
      target = document.querySelector("#flashes .done, #flashes");
    }
    if (target) {
      if (!target.hasAttribute("tabindex")) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
    }
  }
  // after the load: the browser's own scroll to the #fragment moves focus to the page when
  // the section itself cannot take it, which would undo an earlier focus
  window.addEventListener("load", function () {
    window.setTimeout(function () {
      if (!document.activeElement || document.activeElement === document.body) {
        focusOnArrival();
      }
    }, 0);
  });

  // Add: whose note the points typed go into, named as the panel is typed ("goes into Ada
  // Lovelace's note; debrief Grace Hopper and Alan Turing after the interview"): the primary
  // contact's alone (app/drafting._topics, services.whose_topics says the same after adding)
  function whoseTopics() {
    var said = document.getElementById("add-topics-whose");
    var typed = document.getElementById("add-interviewers");
    var primary = document.getElementById("add-primary");
    if (!said || !typed) {
      return;
    }
    var people = [];
    typed.value.split("\n").forEach(function (line) {
      var text = line.trim();
      if (!text) {
        return;
      }
      var found = /^(.*?)\s*<([^>]*)>\s*$/.exec(text);
      var email = (found ? found[2] : text.indexOf("@") > 0 ? text : "").trim().toLowerCase();
      people.push({ name: (found && found[1].trim()) || text, email: email });
    });
    if (people.length < 2) {
      said.textContent = said.getAttribute("data-default") || said.textContent;
      return;
    }
    if (!said.hasAttribute("data-default")) {
      said.setAttribute("data-default", said.textContent);
    }
    var wanted = primary ? primary.value.trim().toLowerCase() : "";
    var first = people[0];
    people.forEach(function (p) {
      if (wanted && p.email === wanted) {
        first = p;
      }
    });
    var others = people.filter(function (p) { return p !== first; }).map(function (p) {
      return p.name;
    });
    var them = others.length === 1 ? others[0]
      : others.slice(0, -1).join(", ") + " and " + others[others.length - 1];
    said.textContent = "They go into " + first.name + "'s note only; debrief " + them +
      " after the interview (each note needs a point of its own).";
  }
  ["add-interviewers", "add-primary"].forEach(function (id) {
    var field = document.getElementById(id);
    if (field) {
      field.addEventListener("input", whoseTopics);
    }
  });
  whoseTopics();

  // An htmx request that failed (409: the sequence already ended, 400: bad input...) shows
  // the server's one-line message instead of silently doing nothing.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var message = "The request failed (" + xhr.status + ").";
    try {
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var line = doc.getElementById("error-message") || doc.getElementById("message");
      if (line && line.textContent) {
        message = line.textContent;
      }
    } catch (ignored) {
      // keep the generic message
    }
    // said next to what caused it (issue #16): after the form (or row) that made the request
    var old = document.getElementById("request-error");
    if (old) {
      old.parentNode.removeChild(old);
    }
    var box = document.createElement("p");
    box.id = "request-error";
    box.className = "error-line";
    box.setAttribute("role", "alert");
    box.setAttribute("data-testid", "request-error");
    box.textContent = message;
    var elt = event.detail.elt;
    var near = elt && elt.closest ? elt.closest("form, tr, .draft") || elt : null;
    if (near && near.tagName === "TR") {
      near = near.querySelector("td:last-child") || near;
      near.appendChild(box);
    } else if (near && document.body.contains(near)) {
      near.parentNode.insertBefore(box, near.nextSibling);
    } else {
      var main = document.getElementById("main");
      main.insertBefore(box, main.firstChild);
    }
  });
})();
