/* The leader app (safety/leader.html): counts a trip at a checkpoint with or without a network.

   Every action is an event appended to a queue in IndexedDB: a UUID made here, this phone's
   device id, the next number of this phone's own sequence (allocated in the same IndexedDB
   transaction that stores the event, so two tabs cannot take one number), the phone's clock,
   and the action. The queue is sent whenever the phone is online, again and again until the
   server acknowledges each event; the server stores each once. What the page shows is derived
   from the server's log plus the queue with the same rules as safety/headcount.py
   (docs/headcounts.md), so the phone shows offline what the server will say after the sync.
   The roster (names, roles, seats, card tokens and codes; never identifiers) is kept in
   IndexedDB and in the service worker's cache. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("zr-config").textContent);
  var L = JSON.parse(document.getElementById("zr-labels").textContent);
  var KINDS = JSON.parse(document.getElementById("zr-kinds").textContent);
  var TRIP = config.trip;
  var BATCH = 200;
  var PERIOD_MS = 15000;

  var state = {
    device: null,       // {id, name, token}
    roster: null,       // the roster JSON
    log: [],            // the server's headcounts (safety_events)
    queue: [],          // events not yet acknowledged, in sequence order
    current: null,      // the headcount shown
    revoked: false,
    syncing: false,
    failures: 0,
    lastSync: null,
    refused: 0,
    pendingClose: null  // the missing members while "depart anyway?" is asked
  };
  var db = null;
  var timer = null;
  var busy = Promise.resolve();

  // Actions run one after the other, each on the state the previous one left: a quick double
  // tap marks and then unmarks, never marks twice.
  function act(action) {
    busy = busy.then(action).catch(function () {});
    return busy;
  }

  function $(id) { return document.getElementById(id); }

  function fmt(text, values) {
    return String(text).replace(/%\((\w+)\)s/g, function (_, key) {
      return values[key] === undefined ? "" : values[key];
    });
  }

  function uuid4() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); });
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") +
      "-" + h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; }
      else if (key === "className") { node.className = attrs[key]; }
      else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; }
    catch (e) { return ""; }
  }

  // --- IndexedDB -------------------------------------------------------------------------

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("zaireen-lead", 1);
      request.onupgradeneeded = function () {
        var d = request.result;
        d.createObjectStore("kv");
        d.createObjectStore("queue", { keyPath: "id" }).createIndex("trip", "trip");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(stores, mode, body) {
    return new Promise(function (resolve, reject) {
      var t = db.transaction(stores, mode);
      var out = {};
      t.oncomplete = function () { resolve(out.value); };
      t.onerror = function () { reject(t.error); };
      t.onabort = function () { reject(t.error); };
      body(t, out);
    });
  }

  function kvGet(key) {
    return run(["kv"], "readonly", function (t, out) {
      t.objectStore("kv").get(key).onsuccess = function (e) { out.value = e.target.result; };
    });
  }

  function kvPut(key, value) {
    return run(["kv"], "readwrite", function (t) { t.objectStore("kv").put(value, key); });
  }

  function loadQueue() {
    return run(["queue"], "readonly", function (t, out) {
      t.objectStore("queue").index("trip").getAll(TRIP).onsuccess = function (e) {
        out.value = e.target.result;
      };
    }).then(function (events) {
      state.queue = (events || []).sort(function (a, b) { return a.seq - b.seq; });
      return state.queue;
    });
  }

  function dequeue(ids) {
    if (!ids.length) { return Promise.resolve(); }
    return run(["queue"], "readwrite", function (t) {
      var store = t.objectStore("queue");
      ids.forEach(function (id) { store.delete(id); });
    });
  }

  // Append one event: its sequence number and the event are written in one transaction.
  function append(fields) {
    var device = state.device;
    var event = Object.assign({
      id: uuid4(), trip: TRIP, device: device.id, device_time: new Date().toISOString()
    }, fields);
    return run(["kv", "queue"], "readwrite", function (t, out) {
      var kv = t.objectStore("kv");
      var key = "seq:" + device.id;
      kv.get(key).onsuccess = function (e) {
        event.seq = (e.target.result || 0) + 1;
        kv.put(event.seq, key);
        t.objectStore("queue").add(event);
        out.value = event;
      };
    }).then(function (stored) {
      state.queue.push(stored);
      render();
      syncSoon(300);
      return stored;
    });
  }

  // --- The rules (a port of safety/headcount.py: keep the two in step) ----------------------

  function derive(expected, events) {
    var byId = {};
    events.forEach(function (e) { if (!byId[e.id]) { byId[e.id] = e; } });
    var byPlace = {};
    Object.keys(byId).forEach(function (id) {
      var e = byId[id];
      var place = e.device + "/" + e.seq;
      if (!byPlace[place] || e.id < byPlace[place].id) { byPlace[place] = e; }
    });
    var list = Object.keys(byPlace).map(function (k) { return byPlace[k]; });
    list.sort(function (a, b) {
      return a.device < b.device ? -1 : a.device > b.device ? 1 : a.seq - b.seq;
    });
    var marks = {}, targets = [], closures = [], holds = [], revoked = 0, doneBy = {};
    list.forEach(function (e) {
      if (e.action === "open") { return; }
      if (e.action === "close") {
        if (doneBy[e.device]) { return; }
        if (e.depart_anyway === false) { holds.push(e); }
        else { closures.push(e); doneBy[e.device] = true; }
        return;
      }
      if (doneBy[e.device]) { return; }
      if (e.action === "mark") {
        if (e.scan === "revoked") { revoked += 1; }
        else if (e.scan !== "unknown" && e.member) { marks[e.id] = e.member; }
      } else if (e.action === "unmark" && e.target) {
        targets.push(e.target);
      }
    });
    targets.forEach(function (target) { delete marks[target]; });
    var marksOf = {};
    Object.keys(marks).forEach(function (id) {
      (marksOf[marks[id]] = marksOf[marks[id]] || []).push(id);
    });
    var expectedSet = {};
    expected.forEach(function (m) { expectedSet[m] = true; });
    var closed = closures.length > 0;
    var absent = expected.filter(function (m) { return !marksOf[m]; });
    return {
      closed: closed,
      present: expected.filter(function (m) { return marksOf[m]; }),
      not_yet_seen: closed ? [] : absent,
      missing: closed ? absent : [],
      extra: Object.keys(marksOf).filter(function (m) { return !expectedSet[m]; }),
      marksOf: marksOf,
      revoked: revoked,
      decisions: holds.concat(closures)
    };
  }

  // --- What the phone shows ----------------------------------------------------------------

  function members() { return state.roster ? state.roster.members : []; }

  function memberById(id) {
    var found = null;
    members().forEach(function (m) { if (m.id === id) { found = m; } });
    return found;
  }

  function nameOf(id) { var m = memberById(id); return m ? m.name : id; }

  function localExpected(vehicle) {
    var home = members().filter(function (m) { return !m.returned; });
    if (vehicle) {
      var seated = home.filter(function (m) {
        return m.seats.some(function (s) { return s.vehicle === vehicle; });
      });
      if (seated.length) { home = seated; }
    }
    return home.map(function (m) { return m.id; });
  }

  // A queued event as the rules see it (a mark by card resolved on this phone).
  function asRuleEvent(e) {
    return {
      id: e.id, device: e.device, seq: e.seq, action: e.action,
      member: e.local ? e.local.member : e.member, scan: e.local ? e.local.scan : "ok",
      target: e.target, depart_anyway: e.depart_anyway, missing: e.missing || []
    };
  }

  function headcounts() {
    var byId = {}, list = [];
    state.log.forEach(function (h) {
      var copy = Object.assign({}, h, { events: h.events.slice(), queued: 0 });
      byId[h.id] = copy;
      list.push(copy);
    });
    state.queue.forEach(function (e) {
      if (e.action === "open" && !byId[e.headcount]) {
        var local = {
          id: e.headcount, kind: e.kind, kind_label: KINDS[e.kind] || e.kind, label: e.label,
          vehicle: e.vehicle, expected: localExpected(e.vehicle), closed: false,
          opened_by: config.user, opened_device: state.device ? state.device.name : "",
          events: [], cases: [], decisions: [], local: true, queued: 0
        };
        byId[e.headcount] = local;
        list.unshift(local);
      }
    });
    state.queue.forEach(function (e) {
      var h = byId[e.headcount];
      if (h) { h.events.push(asRuleEvent(e)); h.queued += 1; }
    });
    list.forEach(function (h) {
      if (h.closed && !h.local) {
        h.view = {
          closed: true, present: h.present, not_yet_seen: [], missing: h.missing,
          extra: h.extra, marksOf: {}, revoked: h.revoked_scans, decisions: []
        };
      } else {
        h.view = derive(h.expected, h.events);
      }
    });
    return list;
  }

  function currentHeadcount() {
    var found = null;
    headcounts().forEach(function (h) { if (h.id === state.current) { found = h; } });
    return found;
  }

  function message(text, kind) {
    var box = $("zr-message");
    box.textContent = text || "";
    box.className = "alert alert-" + (kind || "info") + (text ? "" : " d-none");
  }

  function feedback(text, kind) {
    var box = $("zr-feedback");
    box.textContent = text || "";
    box.className = "alert py-2 alert-" + (kind || "info") + (text ? "" : " d-none");
  }

  function renderStatus() {
    var online = navigator.onLine;
    var badge = $("zr-online");
    badge.textContent = online ? L.online : L.offline;
    badge.className = "badge " + (online ? "text-bg-success" : "text-bg-danger");
    var waiting = state.queue.length;
    var text = waiting ? fmt(L.queue, { n: waiting }) : L.synced;
    if (state.lastSync) { text += " · " + fmt(L.lastSync, { time: state.lastSync.toLocaleTimeString() }); }
    $("zr-queue").textContent = text;
    $("zr-queue").setAttribute("data-queue", String(waiting));
    $("zr-sync").disabled = !online || !state.device || state.revoked;
    $("zr-register").classList.toggle("d-none", Boolean(state.device) && !state.revoked);
    $("zr-device").textContent = state.device && !state.revoked ? fmt(L.thisPhone, { name: state.device.name }) : "";
  }

  function renderHome(list) {
    var box = $("zr-headcounts");
    box.textContent = "";
    if (!list.length) { box.appendChild(el("p", { className: "small text-body-secondary", text: L.noHeadcount })); }
    list.forEach(function (h) {
      var v = h.view;
      var counts = v.present.length + "/" + h.expected.length;
      var status = v.closed ? L.closed : L.open;
      var button = el("button", {
        type: "button", "data-headcount": h.id,
        className: "list-group-item list-group-item-action d-flex justify-content-between gap-2"
      }, [
        el("span", { text: h.kind_label + (h.label ? " · " + h.label : "") +
          (h.local ? " (" + L.notSynced + ")" : "") }),
        el("span", { className: "badge " + (v.closed ? "text-bg-secondary" : "text-bg-success"),
                     text: status + " · " + counts })
      ]);
      button.addEventListener("click", function () { select(h.id); });
      box.appendChild(button);
    });
    var scope = $("zr-open-scope");
    if (state.roster && scope.options.length === 1) {
      state.roster.vehicles.forEach(function (v) {
        scope.appendChild(el("option", { value: v.id, text: v.label + " · " + v.leg }));
      });
    }
  }

  function row(member, h, v) {
    var present = Boolean(v.marksOf[member.id]) || v.present.indexOf(member.id) >= 0;
    var detail = [member.role_label];
    member.seats.forEach(function (s) {
      if (!h.vehicle || s.vehicle === h.vehicle) { detail.push(fmt(L.seat, { n: s.seat })); }
    });
    if (h.expected.indexOf(member.id) < 0) { detail.push(L.extra); }
    var tick = el("button", {
      type: "button", className: "btn zr-tick " + (present ? "btn-success" : "btn-outline-secondary"),
      "aria-pressed": present ? "true" : "false", text: present ? "✓ " + L.present : L.mark
    });
    tick.disabled = v.closed || !state.device || state.revoked;
    tick.addEventListener("click", function () { act(function () { return toggle(member.id); }); });
    return el("li", {
      className: "list-group-item d-flex align-items-center gap-2 zr-row" + (present ? " zr-present" : ""),
      "data-member": member.id, "data-present": present ? "true" : "false"
    }, [
      member.photo
        ? el("img", { className: "zr-avatar", src: member.photo, alt: "", loading: "lazy" })
        : el("span", { className: "zr-avatar", "aria-hidden": "true", text: member.initials }),
      el("span", { className: "flex-grow-1" }, [
        el("span", { className: "zr-name fw-semibold", text: member.name }),
        el("small", { className: "d-block text-body-secondary", text: detail.join(" · ") })
      ]),
      tick
    ]);
  }

  function renderCurrent(h) {
    var v = h.view;
    $("zr-title").textContent = h.kind_label + (h.label ? " · " + h.label : "");
    var vehicle = null;
    if (h.vehicle && state.roster) {
      state.roster.vehicles.forEach(function (x) { if (x.id === h.vehicle) { vehicle = x.label; } });
    }
    $("zr-subtitle").textContent = (vehicle || L.wholeTrip) + " · " +
      fmt(L.openedBy, { name: h.opened_by, device: h.opened_device }) +
      " · " + (v.closed ? L.closed : L.open);
    $("zr-count-present").textContent = v.present.length;
    $("zr-count-missing").textContent = v.missing.length;
    $("zr-count-unseen").textContent = v.not_yet_seen.length;
    $("zr-controls").classList.toggle("d-none", v.closed);
    if (v.closed) { $("zr-confirm").classList.add("d-none"); state.pendingClose = null; }

    var query = $("zr-search").value.trim().toLowerCase();
    var list = $("zr-list");
    list.textContent = "";
    var shown = members().filter(function (m) {
      var expected = h.expected.indexOf(m.id) >= 0 || Boolean(v.marksOf[m.id]);
      if (!query) { return expected; }
      var seats = m.seats.map(function (s) { return String(s.seat); });
      return (m.name + " " + (m.name_local || "")).toLowerCase().indexOf(query) >= 0 ||
        seats.indexOf(query) >= 0;
    });
    shown.forEach(function (m) { list.appendChild(row(m, h, v)); });
    if (!shown.length) { list.appendChild(el("li", { className: "list-group-item", text: L.noMatch })); }

    $("zr-closed").classList.toggle("d-none", !v.closed);
    if (v.closed) {
      var missing = $("zr-missing");
      missing.textContent = "";
      v.missing.forEach(function (id) {
        var item = el("li", { className: "list-group-item d-flex flex-wrap align-items-center gap-2",
                              "data-member": id }, [el("span", { className: "flex-grow-1", text: nameOf(id) })]);
        if ((h.cases || []).indexOf(id) >= 0) {
          item.appendChild(el("span", { className: "badge text-bg-warning", text: L.caseRequested }));
        } else {
          var button = el("button", { type: "button", className: "btn btn-sm btn-outline-danger zr-case",
                                      text: L.openCase });
          button.disabled = h.local || !navigator.onLine || !state.device || state.revoked;
          if (button.disabled) { button.title = L.needsNetwork; }
          button.addEventListener("click", function () { act(function () { return requestCase(h, id); }); });
          item.appendChild(button);
        }
        missing.appendChild(item);
      });
      var decisions = $("zr-decisions");
      decisions.textContent = "";
      (h.decisions || []).forEach(function (d) {
        var text = d.held ? fmt(L.heldBy, d) : fmt(L.closedBy, {
          by: d.by, device: d.device,
          answer: d.depart_anyway === null ? L.nobodyMissing : d.depart_anyway ? L.yes : L.no
        });
        if (d.names.length) { text += " · " + fmt(L.missingAtClose, { names: d.names.join(", ") }); }
        decisions.appendChild(el("p", { className: "mb-1", text: text }));
      });
      if (v.revoked) { decisions.appendChild(el("p", { className: "mb-1 text-danger", text: fmt(L.revokedScans, { n: v.revoked }) })); }
    }
  }

  function render() {
    renderStatus();
    var list = headcounts();
    var h = null;
    list.forEach(function (x) { if (x.id === state.current) { h = x; } });
    $("zr-current").classList.toggle("d-none", !h);
    $("zr-home").classList.toggle("d-none", Boolean(h));
    if (h) { renderCurrent(h); } else { renderHome(list); }
  }

  function select(id) {
    state.current = id;
    feedback("");
    $("zr-search").value = "";
    kvPut("current:" + TRIP, id);
    render();
  }

  // --- Actions -----------------------------------------------------------------------------

  function canAct() {
    if (!state.device || state.revoked) { message(state.revoked ? L.revoked : L.registerFailed, "warning"); return false; }
    return true;
  }

  function mark(memberId, card, local) {
    var fields = { headcount: state.current, action: "mark", local: local };
    if (card) { fields.card = card; } else { fields.member = memberId; }
    return append(fields);
  }

  function toggle(memberId) {
    var h = currentHeadcount();
    if (!h || h.view.closed || !canAct()) { return Promise.resolve(); }
    var marks = h.view.marksOf[memberId] || [];
    if (!marks.length) {
      feedback(fmt(L.markedPresent, { name: nameOf(memberId) }), "success");
      return mark(memberId, null, { member: memberId, scan: "ok" });
    }
    feedback(fmt(L.unmarked, { name: nameOf(memberId) }), "secondary");
    // An unmark undoes one mark: undo every mark that makes the member present, whichever
    // phone made it (the phone knows other phones' marks once they are synced).
    return marks.reduce(function (done, target) {
      return done.then(function () {
        return append({ headcount: h.id, action: "unmark", target: target });
      });
    }, Promise.resolve());
  }

  function findCard(text) {
    var value = String(text).trim();
    if (value.indexOf("/c/") >= 0) { value = value.split("/c/")[1].replace(/\/+$/, ""); }
    var token = value.split(":")[0];
    var code = token.toUpperCase().replace(/[^0-9A-Z]/g, "");
    var found = null;
    (state.roster ? state.roster.cards : []).forEach(function (c) {
      if (c.token === token.toLowerCase() || c.code === code) { found = c; }
    });
    return found;
  }

  function markByCard(text) {
    var h = currentHeadcount();
    if (!h || h.view.closed || !canAct() || !String(text).trim()) { return Promise.resolve(); }
    var card = findCard(text);
    if (card && !card.revoked && h.view.marksOf[card.member]) {
      feedback(fmt(L.alreadyPresent, { name: nameOf(card.member) }), "info");
      return Promise.resolve();
    }
    if (!card) {
      feedback(L.cardUnknown, "warning");
      return mark(null, text.trim(), { member: null, scan: "unknown" });
    }
    if (card.revoked) {
      // Recorded (a revoked card presented at a checkpoint is worth knowing), never counted.
      feedback(fmt(L.cardRevoked, { name: nameOf(card.member) }), "danger");
      return mark(null, text.trim(), { member: card.member, scan: "revoked" });
    }
    feedback(fmt(L.markedPresent, { name: nameOf(card.member) }), "success");
    return mark(null, text.trim(), { member: card.member, scan: "ok" });
  }

  function close(answer) {
    var h = currentHeadcount();
    if (!h || !canAct()) { return Promise.resolve(); }
    var missing = state.pendingClose || [];
    state.pendingClose = null;
    $("zr-confirm").classList.add("d-none");
    return append({
      headcount: h.id, action: "close", depart_anyway: missing.length ? answer : null,
      missing: missing
    });
  }

  function askClose() {
    var h = currentHeadcount();
    if (!h || h.view.closed || !canAct()) { return; }
    var missing = h.view.not_yet_seen.slice();
    if (!missing.length) { state.pendingClose = []; act(function () { return close(null); }); return; }
    state.pendingClose = missing;
    var names = $("zr-confirm-names");
    names.textContent = "";
    missing.forEach(function (id) { names.appendChild(el("li", { text: nameOf(id) })); });
    $("zr-confirm").classList.remove("d-none");
    $("zr-depart-yes").focus();
  }

  function openHeadcount() {
    if (!canAct()) { return Promise.resolve(); }
    var id = uuid4();
    return append({
      headcount: id, action: "open", kind: $("zr-open-kind").value,
      label: $("zr-open-label").value.trim().slice(0, 120), vehicle: $("zr-open-scope").value || null
    }).then(function () { $("zr-open-label").value = ""; select(id); });
  }

  function authorised(extra) {
    return Object.assign({ Authorization: "Bearer " + state.device.token }, extra || {});
  }

  function requestCase(h, memberId) {
    if (!canAct()) { return Promise.resolve(); }
    return fetch(config.cases.replace("00000000-0000-0000-0000-000000000000", h.id), {
      method: "POST", headers: authorised({ "Content-Type": "application/json" }),
      body: JSON.stringify({ member: memberId })
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      h.cases = (h.cases || []).concat([memberId]);
      state.log.forEach(function (x) { if (x.id === h.id) { x.cases = h.cases; } });
      render();
    }).catch(function () { message(L.needsNetwork, "warning"); });
  }

  // --- Registering, the roster, syncing ----------------------------------------------------

  function register(event) {
    event.preventDefault();
    var body = new FormData();
    body.append("name", $("zr-device-name").value);
    fetch(config.register, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok || response.redirected) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      state.device = { id: data.device, name: data.name, token: data.token };
      state.revoked = false;
      message("");
      // A revoked registration's queued actions will never be accepted: drop them.
      var stale = state.queue.filter(function (e) { return e.device !== data.device; });
      return dequeue(stale.map(function (e) { return e.id; }))
        .then(function () { return kvPut("device:" + TRIP, state.device); })
        .then(loadQueue).then(loadRoster).then(function () { return sync(); });
    }).catch(function () { message(L.registerFailed, "danger"); render(); });
  }

  function loadRoster() {
    if (!state.device) { return Promise.resolve(); }
    return fetch(config.roster, { headers: authorised() }).then(function (response) {
      if (response.status === 401 || response.status === 404) { state.revoked = true; return null; }
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (roster) {
      if (roster) { state.roster = roster; return kvPut("roster:" + TRIP, roster); }
    }).catch(function () {
      if (!state.roster) { message(L.noRoster, "warning"); }
    }).then(render);
  }

  function schedule(ms) {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () { timer = null; sync(); }, ms);
  }

  function syncSoon(ms) { if (navigator.onLine) { schedule(ms || 200); } }

  function sync() {
    if (!state.device || state.revoked || state.syncing) { return Promise.resolve(); }
    if (!navigator.onLine) { render(); schedule(PERIOD_MS); return Promise.resolve(); }
    state.syncing = true;
    var more = false;
    return loadQueue().then(function (queue) {
      var mine = queue.filter(function (e) { return e.device === state.device.id; });
      var batch = mine.slice(0, BATCH).map(function (e) {
        var out = Object.assign({}, e);
        delete out.trip;
        delete out.local;
        Object.keys(out).forEach(function (k) { if (out[k] === null || out[k] === undefined) { delete out[k]; } });
        return out;
      });
      more = mine.length > batch.length;
      var request = batch.length
        ? fetch(config.events, { method: "POST", body: JSON.stringify({ events: batch }),
                                 headers: authorised({ "Content-Type": "application/json" }) })
        : fetch(config.events, { headers: authorised(), cache: "no-store" });
      return request.then(function (response) {
        if (response.status === 401 || response.status === 403 || response.status === 404) {
          state.revoked = true;
          message(L.revoked, "danger");
          return null;
        }
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (body) {
        if (!body) { return null; }
        var results = body.results || [];
        var bad = results.filter(function (r) { return r.status === "refused" || r.status === "conflict"; });
        state.refused += bad.length;
        if (state.refused) { message(fmt(L.refused, { n: state.refused }), "warning"); }
        state.log = body.headcounts;
        state.lastSync = new Date();
        state.failures = 0;
        return dequeue(results.map(function (r) { return r.id; }))
          .then(function () { return kvPut("log:" + TRIP, state.log); });
      });
    }).catch(function () {
      state.failures += 1;
      message(L.syncFailed, "warning");
    }).then(function () {
      if (!state.failures && !state.revoked && !state.refused) { message(""); }
      return loadQueue();
    }).then(function () {
      state.syncing = false;
      render();
      var backoff = Math.min(60000, 2000 * Math.pow(2, state.failures));
      schedule(state.failures ? backoff : more ? 100 : PERIOD_MS);
    });
  }

  // --- Camera (only where the browser offers barcode detection) ---------------------------

  function scan() {
    var video = $("zr-video");
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.classList.remove("d-none");
      feedback(L.scanHint, "info");
      return video.play().then(function () {
        return new Promise(function (resolve) {
          function look() {
            detector.detect(video).then(function (codes) {
              if (codes.length) { resolve(codes[0].rawValue); } else { setTimeout(look, 250); }
            }, function () { setTimeout(look, 500); });
          }
          look();
        });
      }).then(function (value) {
        stream.getTracks().forEach(function (track) { track.stop(); });
        video.classList.add("d-none");
        return act(function () { return markByCard(value); });
      });
    }).catch(function () { feedback(L.cameraFailed, "warning"); video.classList.add("d-none"); });
  }

  // --- Start -------------------------------------------------------------------------------

  function keepOffline() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register(config.serviceWorker, { scope: config.scope }).catch(function () {});
    if (window.caches && !navigator.serviceWorker.controller) {
      // The first visit is not yet served through the worker: keep this page for offline use.
      caches.open(config.dataCache).then(function (cache) {
        return fetch(location.pathname, { credentials: "same-origin" }).then(function (response) {
          if (response.ok && !response.redirected) { return cache.put(location.pathname, response); }
        });
      }).catch(function () {});
    }
  }

  function wire() {
    $("zr-register").addEventListener("submit", register);
    $("zr-open-form").addEventListener("submit", function (e) { e.preventDefault(); act(openHeadcount); });
    $("zr-code-form").addEventListener("submit", function (e) {
      e.preventDefault();
      var value = $("zr-code").value;
      $("zr-code").value = "";
      act(function () { return markByCard(value); });
    });
    $("zr-search").addEventListener("input", render);
    $("zr-close").addEventListener("click", function () { act(askClose); });
    $("zr-depart-yes").addEventListener("click", function () { act(function () { return close(true); }); });
    $("zr-depart-no").addEventListener("click", function () { act(function () { return close(false); }); });
    $("zr-back").addEventListener("click", function () { select(null); });
    $("zr-sync").addEventListener("click", function () { sync(); });
    window.addEventListener("online", function () { state.failures = 0; render(); syncSoon(100); });
    window.addEventListener("offline", render);
    if ("BarcodeDetector" in window && navigator.mediaDevices) {
      $("zr-scan").classList.remove("d-none");
      $("zr-scan").addEventListener("click", scan);
    }
  }

  function start() {
    wire();
    keepOffline();
    openDb().then(function (opened) {
      db = opened;
      return Promise.all([
        kvGet("device:" + TRIP), kvGet("roster:" + TRIP), kvGet("log:" + TRIP),
        kvGet("current:" + TRIP), loadQueue()
      ]);
    }).then(function (values) {
      state.device = values[0] || null;
      state.roster = values[1] || null;
      state.log = values[2] || [];
      state.current = values[3] || null;
      render();
      return loadRoster();
    }).then(function () { return sync(); }).catch(function () { message(L.noRoster, "warning"); });
  }

  start();
}());
