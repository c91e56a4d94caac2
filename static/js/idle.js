// Warns a clinician before they are signed out for being idle, and lets them stay signed in.
// The server signs them out regardless (tracker.signin.sessions); this only gives fair warning.
(function () {
  "use strict";
  var body = document.body;
  var dialog = document.getElementById("idle-warning");
  if (!dialog || !body.dataset.idleSecondsLeft) return;
  var warning = Number(body.dataset.idleWarning);
  var timeout = Number(body.dataset.idleTimeout);
  var countdown = dialog.querySelector("[data-idle-countdown]");
  var stay = dialog.querySelector("[data-idle-stay]");
  var deadline = Date.now() + Number(body.dataset.idleSecondsLeft) * 1000;
  var returnFocusTo = null;

  function words(seconds) {
    if (seconds >= 60) {
      var minutes = Math.ceil(seconds / 60);
      return minutes + (minutes === 1 ? " minute" : " minutes");
    }
    return seconds + (seconds === 1 ? " second" : " seconds");
  }

  function csrfToken() {
    try {
      return JSON.parse(body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  function restart(secondsLeft) {
    deadline = Date.now() + secondsLeft * 1000;
    if (!dialog.hidden) {
      dialog.hidden = true;
      if (returnFocusTo) returnFocusTo.focus();
    }
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    if (left === 0) {
      window.location.assign(body.dataset.loginUrl + "?next=" + encodeURIComponent(window.location.pathname));
      return;
    }
    if (left <= warning) {
      countdown.textContent = words(left);
      if (dialog.hidden) {
        returnFocusTo = document.activeElement;
        dialog.hidden = false;
        stay.focus();
      }
    }
  }

  stay.addEventListener("click", function () {
    fetch(body.dataset.keepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      var left = Number(response.headers.get("X-Idle-Seconds-Left"));
      if (response.ok && left) restart(left);
    });
  });
  // Anything the clinician does through htmx also counts as activity on the server.
  document.addEventListener("htmx:afterRequest", function () {
    restart(timeout);
  });
  window.setInterval(tick, 1000);
})();
