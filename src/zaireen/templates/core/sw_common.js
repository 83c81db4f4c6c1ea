{% comment %}The parts every Zaireen service worker shares, included by each with
`prefix` (its static cache's name before the version). Expects CONFIG (version, dataCache,
staticUrl) to be defined before the include.{% endcomment %}const STATIC_CACHE = "{{ prefix }}" + CONFIG.version;
const DATA_CACHE = CONFIG.dataCache;
const NETWORK_TIMEOUT_MS = 5000;

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) {
        return Promise.all(keys.filter(function (key) {
          return key.indexOf("{{ prefix }}") === 0 && key !== STATIC_CACHE;
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

function cacheFirst(request) {
  return caches.match(request).then(function (cached) { return cached || fetch(request); });
}
