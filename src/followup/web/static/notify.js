// Today's opt-in browser notifications (issue #16): "Notify me when a note is due".
// Nothing is asked until the button is clicked (the Notification API's permission prompt);
// then, while the page is open, the agenda's JSON (/api/agenda) is read once a minute and
// each note that becomes due is announced once. No server push, no inline script (the CSP).
(function () {
  "use strict";
  var KEY = "followup-notify"; // "on" once the user opted in on this browser
  var EVERY = 60 * 1000;
  var button = document.getElementById("notify");
  var status = document.getElementById("notify-status");
  if (!button || !("Notification" in window)) {
    return; // the button stays hidden: this browser cannot notify
  }
  var known = {}; // notes already due (or announced): each is announced at most once
  var timer = null;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function noteKey(item) {
    return item.interview_id + "/" + item.step + "/" + item.due_at;
  }

  function isDue(item, now) {
    return Date.parse(item.due_at) <= now;
  }

  function check(first) {
    var request = new XMLHttpRequest();
    request.open("GET", "/api/agenda");
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (request.status !== 200) {
        return;
      }
      var items;
      try {
        items = JSON.parse(request.responseText);
      } catch (ignored) {
        return;
      }
      var now = Date.now();
      items.forEach(function (item) {
        var key = noteKey(item);
        if (known[key] || !isDue(item, now)) {
          return;
        }
        known[key] = true;
        if (first) {
          return; // due before the page opened: the list already shows it
        }
        var who = item.recipients && item.recipients.length ? " to " + item.recipients.join(", ") : "";
        var note = new Notification("A note is due: " + item.company, {
          body: "The " + item.kind + who + " (" + item.role + ") may go now.",
          tag: "followup-" + key,
        });
        note.onclick = function () {
          window.focus();
          window.location.href = "/interviews/" + item.interview_id;
        };
      });
    };
    request.send();
  }

  function start() {
    button.setAttribute("aria-pressed", "true");
    button.textContent = "Notifications on — turn off";
    say("You will be notified here when a note becomes due, while this page is open.");
    if (timer === null) {
      check(true);
      timer = window.setInterval(function () {
        check(false);
      }, EVERY);
    }
  }

  function stop() {
    button.setAttribute("aria-pressed", "false");
    button.textContent = "Notify me when a note is due";
    if (timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
  }

  button.hidden = false;
  if (Notification.permission === "granted" && window.localStorage.getItem(KEY) === "on") {
    start();
  }
  button.addEventListener("click", function () {
    if (timer !== null) {
      window.localStorage.removeItem(KEY);
      stop();
      say("Notifications are off.");
      return;
    }
    if (Notification.permission === "denied") {
      say("This browser blocks notifications from this page: allow them in its site settings.");
      return;
    }
    Notification.requestPermission().then(function (answer) {
      if (answer === "granted") {
        window.localStorage.setItem(KEY, "on");
        start();
      } else {
        say("Notifications were not allowed.");
      }
    });
  });
})();
