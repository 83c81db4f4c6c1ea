/* The leader app's service worker (served by safety.views.service_worker at {{ scope }}).
   Static assets: cache first (kept at install, replaced when their URLs change).
   Leader pages and the safety API's reads: network first, with a time limit for a weak signal;
   the last good answer is served when the network fails. A page whose session has expired
   (the server sends a redirect to the login) is served from the cache too: the phone counts
   with its own device token. Nothing else is touched. */
"use strict";
const CONFIG = {{ config|safe }};
{% include "core/sw_common.js" with prefix="zaireen-lead-static-" %}
self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then(function (cache) { return cache.addAll(CONFIG.assets); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && url.pathname.indexOf(CONFIG.scope) === 0) {
    event.respondWith(networkFirst(request, true));
  } else if (url.pathname.indexOf(CONFIG.api) === 0) {
    event.respondWith(networkFirst(request, false));
  } else if (url.pathname.indexOf("/photos/") === 0) {
    // Photos behind signed links: a new photo is a new URL, so the first copy stays good.
    event.respondWith(fromCache(request).then(function (cached) {
      return cached || fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(DATA_CACHE).then(function (cache) { return cache.put(request, copy); });
        }
        return response;
      });
    }));
  } else if (url.pathname.indexOf(CONFIG.staticUrl) === 0) {
    event.respondWith(cacheFirst(request));
  }
});
