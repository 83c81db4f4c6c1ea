/* The service worker of the pilgrim's own page (served by incidents.views.service_worker,
   scope {{ scope }}). It keeps, for a phone with no data: the page itself (network first, the
   last good copy when the network fails or the session has expired), the static assets
   (cache first) and the pole list (network first), from which the page's script finds the
   nearest pole for the SOS text message. Nothing else is touched. */
"use strict";
const CONFIG = {{ config|safe }};
{% include "core/sw_common.js" with prefix="zaireen-sos-static-" %}
function keepPage(cache) {
  return fetch(CONFIG.scope, { credentials: "same-origin" }).then(function (response) {
    if (response.ok && !response.redirected) { return cache.put(CONFIG.scope, response); }
    return undefined;
  }).catch(function () { return undefined; });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    Promise.all([
      caches.open(STATIC_CACHE).then(function (cache) { return cache.addAll(CONFIG.assets); }),
      caches.open(DATA_CACHE).then(function (cache) {
        return Promise.all([cache.add(CONFIG.poles), keepPage(cache)]);
      })
    ]).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && url.pathname.indexOf(CONFIG.scope) === 0) {
    event.respondWith(networkFirst(request, true));
  } else if (url.pathname === CONFIG.poles) {
    event.respondWith(networkFirst(request, false));
  } else if (url.pathname.indexOf(CONFIG.staticUrl) === 0) {
    event.respondWith(cacheFirst(request));
  }
});
