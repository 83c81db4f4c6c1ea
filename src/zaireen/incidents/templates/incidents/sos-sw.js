/* The service worker of the pilgrim's own page (served by incidents.views.service_worker,
   scope {{ scope }}). It keeps, for a phone with no data: the page itself (network first, the
   last good copy when the network fails or the session has expired), the static assets
   (cache first) and the pole list (network first), from which the page's script finds the
   nearest pole for the SOS text message. Nothing else is touched. */
"use strict";
const CONFIG = {{ config|safe }};
const STATIC_CACHE = "zaireen-sos-static-" + CONFIG.version;
const DATA_CACHE = CONFIG.dataCache;
const NETWORK_TIMEOUT_MS = 5000;

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

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) {
        return Promise.all(keys.filter(function (key) {
          return key.indexOf("zaireen-sos-static-") === 0 && key !== STATIC_CACHE;
        }).map(function (key) { return caches.delete(key); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

function withTimeout(promise, ms) {
  return new Promise(function (resolve, reject) {
    const timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
    promise.then(function (value) { clearTimeout(timer); resolve(value); },
                 function (error) { clearTimeout(timer); reject(error); });
  });
}

function fromCache(request) {
  return caches.open(DATA_CACHE).then(function (cache) {
    return cache.match(request, { ignoreSearch: true, ignoreVary: true });
  });
}

function networkFirst(request, isPage) {
  return withTimeout(fetch(request), NETWORK_TIMEOUT_MS).then(function (response) {
    const usable = response.ok && !response.redirected && response.type !== "opaqueredirect";
    if (usable) {
      const copy = response.clone();
      caches.open(DATA_CACHE).then(function (cache) { return cache.put(request, copy); });
      return response;
    }
    if (!isPage) { return response; }
    return fromCache(request).then(function (cached) { return cached || response; });
  }, function (error) {
    return fromCache(request).then(function (cached) {
      if (cached) { return cached; }
      throw error;
    });
  });
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && url.pathname.indexOf(CONFIG.scope) === 0) {
    event.respondWith(networkFirst(request, true));
  } else if (url.pathname === CONFIG.poles) {
    event.respondWith(networkFirst(request, false));
  } else if (url.pathname.indexOf(CONFIG.staticUrl) === 0) {
    event.respondWith(caches.match(request).then(function (cached) {
      return cached || fetch(request);
    }));
  }
});
