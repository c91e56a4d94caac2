/* Browser notifications for check-in reminders: registers the service worker
 * and subscribes this browser with the server's VAPID key (see
 * tracker.reminders). Loaded only on the reminder settings page, when the
 * server has push set up. */
(function () {
  "use strict";
  var panel = document.getElementById("push-panel");
  if (!panel) return;
  var status = panel.querySelector("[data-push-status]");
  var onButton = panel.querySelector("[data-push-on]");
  var offButton = panel.querySelector("[data-push-off]");
  var unsupported = panel.querySelector("[data-push-unsupported]");

  function say(text) {
    status.textContent = text;
  }

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": panel.dataset.csrf },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) throw new Error(answer.error || "The server did not accept it.");
        return answer;
      });
    });
  }

  function show(subscribed) {
    onButton.hidden = subscribed;
    offButton.hidden = !subscribed;
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    unsupported.hidden = false;
    navigator.serviceWorker && navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).catch(function () {});
    return;
  }

  var ready = navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  });

  ready
    .then(function (registration) {
      return registration.pushManager.getSubscription();
    })
    .then(function (subscription) {
      show(Boolean(subscription));
    })
    .catch(function () {
      unsupported.hidden = false;
    });

  onButton.addEventListener("click", function () {
    say("Asking your browser…");
    Notification.requestPermission()
      .then(function (permission) {
        if (permission !== "granted") {
          throw new Error("Your browser is set to block notifications from this site. You can change that in its site settings.");
        }
        return ready;
      })
      .then(function (registration) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(panel.dataset.vapidKey),
        });
      })
      .then(function (subscription) {
        return post(panel.dataset.subscribeUrl, subscription.toJSON());
      })
      .then(function (answer) {
        say(answer.message);
        show(true);
      })
      .catch(function (error) {
        say(error.message || "Notifications could not be turned on.");
      });
  });

  offButton.addEventListener("click", function () {
    ready
      .then(function (registration) {
        return registration.pushManager.getSubscription();
      })
      .then(function (subscription) {
        if (!subscription) return { message: "Notifications are off for this browser." };
        var endpoint = subscription.endpoint;
        return subscription.unsubscribe().then(function () {
          return post(panel.dataset.unsubscribeUrl, { endpoint: endpoint });
        });
      })
      .then(function (answer) {
        say(answer.message);
        show(false);
      })
      .catch(function (error) {
        say(error.message || "Notifications could not be turned off.");
      });
  });
})();
