/* The SOS button of a pilgrim's own page ("My trips", incidents/_sos.html).

   A press sends the reason, the phone's time and, if the phone allows, its position to the
   API, under a UUID made for that press: a press re-sent when the network comes back is
   stored once. With no data (offline, or the request fails), it opens a text message to the
   organiser's hotline instead: trip, card code, nearest pole on the walk (from the pole list
   the service worker keeps), position, reason and time. The text is built by `smsBody`, which
   `zaireen/incidents/sms.py` mirrors line by line: change both together. */
(function () {
  "use strict";
  if (window.ZaireenSOS) { return; }

  var EARTH_RADIUS_M = 6371000;
  var ON_WALK_M = 3000;
  var DEG = Math.PI / 180;
  var PENDING_KEY = "zaireen-sos-pending";
  var SEND_TIMEOUT_MS = 8000;
  var POSITION_TIMEOUT_MS = 8000;

  // --- The text message (mirrored in sms.py) ---------------------------------------------

  function distanceM(lat1, lon1, lat2, lon2) {
    var x = (lon2 - lon1) * DEG * Math.cos(((lat1 + lat2) / 2) * DEG);
    var y = (lat2 - lat1) * DEG;
    return EARTH_RADIUS_M * Math.sqrt(x * x + y * y);
  }

  function nearestPole(poles, lat, lon, maxOffM) {
    var best = null;
    var bestDistance = Infinity;
    for (var i = 0; i < poles.length; i++) {
      var d = distanceM(lat, lon, poles[i][1], poles[i][2]);
      if (d < bestDistance) { best = poles[i][0]; bestDistance = d; }
    }
    var limit = maxOffM === undefined ? ON_WALK_M : maxOffM;
    return best !== null && bestDistance <= limit ? Math.trunc(best) : null;
  }

  function word(text) {
    return String(text || "").replace(/[^A-Za-z0-9 .:'-]/g, "").replace(/\s+/g, " ").trim();
  }

  function present(value) { return value !== null && value !== undefined; }

  function smsBody(o) {
    var parts = ["SOS", word(o.trip) || "?"];
    if (word(o.card)) { parts.push("card", word(o.card).toUpperCase()); }
    else if (word(o.name)) { parts.push(word(o.name)); }
    if (o.pole) { parts.push("pole", String(Math.trunc(o.pole))); }
    if (present(o.lat) && present(o.lon)) {
      parts.push("gps", o.lat.toFixed(5) + "," + o.lon.toFixed(5));
    }
    if (word(o.reason)) { parts.push(word(o.reason)); }
    if (word(o.time)) { parts.push(word(o.time)); }
    return parts.join(" ");
  }

  function hotlineNumber(phone) {
    var text = String(phone || "").trim();
    var digits = text.replace(/[^0-9]/g, "");
    return text.charAt(0) === "+" && digits ? "+" + digits : digits;
  }

  function smsLink(hotline, body) {
    return "sms:" + hotlineNumber(hotline) + "?body=" + encodeURIComponent(body);
  }

  // --- The phone ---------------------------------------------------------------------------

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); });
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") +
      "-" + h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }

  function hhmm(date) {
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    return pad(date.getHours()) + ":" + pad(date.getMinutes());
  }

  function position() {
    return new Promise(function (resolve) {
      if (!navigator.geolocation) { resolve(null); return; }
      var done = false;
      function finish(value) { if (!done) { done = true; resolve(value); } }
      setTimeout(function () { finish(null); }, POSITION_TIMEOUT_MS + 500);
      navigator.geolocation.getCurrentPosition(
        function (p) { finish(p.coords); },
        function () { finish(null); },
        { enableHighAccuracy: true, timeout: POSITION_TIMEOUT_MS, maximumAge: 60000 }
      );
    });
  }

  var polesLoaded = null;
  function poles(url) {
    if (!polesLoaded) {
      polesLoaded = fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { return data && data.poles ? data.poles : null; })
        .catch(function () { return null; })
        .then(function (list) { if (!list) { polesLoaded = null; } return list; });
    }
    return polesLoaded;
  }

  function pending() {
    try { return JSON.parse(localStorage.getItem(PENDING_KEY) || "[]"); } catch (e) { return []; }
  }

  function setPending(list) {
    try { localStorage.setItem(PENDING_KEY, JSON.stringify(list)); } catch (e) { /* full */ }
  }

  function forget(clientUid) {
    setPending(pending().filter(function (p) { return p.payload.client_uid !== clientUid; }));
  }

  function send(item) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, SEND_TIMEOUT_MS);
    return fetch(item.api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": item.csrf },
      body: JSON.stringify(item.payload),
      signal: controller.signal
    }).finally(function () { clearTimeout(timer); });
  }

  /* Presses kept while there was no data go again, with their own UUIDs: the server keeps
     the first copy of each. A 4xx answer is final; network errors and 5xx keep the press. */
  function resend() {
    if (navigator.onLine === false) { return; }
    pending().forEach(function (item) {
      send(item).then(function (response) {
        if (response.status < 500) { forget(item.payload.client_uid); }
      }).catch(function () { /* still no data */ });
    });
  }

  // --- The button --------------------------------------------------------------------------

  function say(section, text, kind) {
    var status = section.querySelector(".zr-sos-status");
    status.className = "zr-sos-status mt-2 alert alert-" + kind;
    status.textContent = text;
  }

  function fallback(section, item, coords, now) {
    var data = section.dataset;
    var lat = coords ? coords.latitude : null;
    var lon = coords ? coords.longitude : null;
    var found = coords ? poles(data.poles) : Promise.resolve(null);
    return found.then(function (list) {
      var time = hhmm(now);
      var body = smsBody({
        trip: data.trip, card: data.card, name: data.name, reason: item.payload.reason,
        pole: list && coords ? nearestPole(list, lat, lon) : null, lat: lat, lon: lon, time: time
      });
      var link = smsLink(data.hotline, body);
      var anchor = section.querySelector(".zr-sos-sms");
      anchor.href = link;
      anchor.dataset.body = body;
      anchor.dataset.time = time;
      anchor.classList.remove("d-none");
      say(section, data.labelNoData, "warning");
      try { window.location.href = link; } catch (e) { /* the link is there to tap */ }
    });
  }

  function press(section, form, button) {
    var data = section.dataset;
    var now = new Date();
    var item = {
      api: data.api,
      csrf: form.querySelector("[name=csrfmiddlewaretoken]").value,
      payload: {
        client_uid: uuid(), member: data.member, reason: form.querySelector("[name=reason]").value,
        note: form.querySelector("[name=note]").value, device_time: now.toISOString(),
        lat: null, lon: null, accuracy_m: null
      }
    };
    button.disabled = true;
    say(section, data.labelSending, "info");
    return position().then(function (coords) {
      if (coords) {
        item.payload.lat = coords.latitude;
        item.payload.lon = coords.longitude;
        item.payload.accuracy_m = coords.accuracy;
      }
      if (navigator.onLine === false) {
        setPending(pending().concat([item]));
        return fallback(section, item, coords, now);
      }
      return send(item).then(function (response) {
        if (response.ok) {
          say(section, data.labelSent, "success");
          return undefined;
        }
        if (response.status === 422) {
          return response.json().then(function (body) {
            var errors = body.errors || {};
            var reasons = Object.keys(errors).map(function (k) { return errors[k].join(", "); });
            say(section, reasons.join("; ") || body.detail || data.labelError, "danger");
          });
        }
        setPending(pending().concat([item]));
        return fallback(section, item, coords, now);
      }, function () {
        setPending(pending().concat([item]));
        return fallback(section, item, coords, now);
      });
    }).finally(function () {
      setTimeout(function () { button.disabled = false; }, 3000);
    });
  }

  function init(section) {
    var form = section.querySelector(".zr-sos-form");
    var button = section.querySelector(".zr-sos-press");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      press(section, form, button);
    });
    poles(section.dataset.poles); // fetched now, while there is data, so the worker keeps it
  }

  function start() {
    var sections = document.querySelectorAll("[data-sos-button]");
    Array.prototype.forEach.call(sections, init);
    var first = sections[0];
    if (first && "serviceWorker" in navigator && location.pathname === first.dataset.scope) {
      navigator.serviceWorker.register(first.dataset.sw, { scope: first.dataset.scope })
        .catch(function () { /* the page still works online */ });
    }
    window.addEventListener("online", resend);
    resend();
  }

  window.ZaireenSOS = {
    distanceM: distanceM, nearestPole: nearestPole, smsBody: smsBody,
    hotlineNumber: hotlineNumber, smsLink: smsLink
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
