/* The tracker's service worker, served from /service-worker.js (scope "/").
 *
 * It only shows reminder notifications and opens the page a notification
 * points to. It caches nothing: pages hold health data and must never be kept
 * on the device by the app.
 */
"use strict";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("push", function (event) {
  var message = { title: "Recovery tracker", body: "Time for today's check-in.", url: "/my/check-in/", tag: "reminder" };
  if (event.data) {
    try {
      var data = event.data.json();
      message.title = data.title || message.title;
      message.body = data.body || message.body;
      message.url = data.url || message.url;
      message.tag = data.tag || message.tag;
    } catch (error) {
      message.body = event.data.text() || message.body;
    }
  }
  event.waitUntil(
    self.registration.showNotification(message.title, {
      body: message.body,
      tag: message.tag,
      icon: "/static/img/icon-192.png",
      data: { url: message.url },
    })
  );
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || "/my/check-in/", self.location.origin);
  if (target.origin !== self.location.origin) {
    target = new URL("/my/check-in/", self.location.origin);
  }
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if ("focus" in windows[i] && "navigate" in windows[i]) {
          return windows[i].navigate(target.href).then(function (client) {
            return client ? client.focus() : self.clients.openWindow(target.href);
          });
        }
      }
      return self.clients.openWindow(target.href);
    })
  );
});
