/* The Najaf → Karbala pole gazetteer map: draws what the page embeds (id "pole-data") on a
   django-leaflet map. Every position except a sourced anchor is interpolated, so each is drawn
   with its uncertainty: a dashed circle of that radius in metres. A tap on the map fills the
   "nearest pole" form. No tiles are needed (see map.js). */
(function () {
  "use strict";

  function escapeHtml(s) {
    return String(s === null || s === undefined ? "" : s)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function metres(m) {
    return m < 1000 ? Math.round(m) + " m" : (m / 1000).toFixed(2) + " km";
  }

  function describe(p, labels) {
    var html = "<strong>" + escapeHtml(labels.pole) + " " + p.pole + "</strong>";
    if (p.name) { html += "<br>" + escapeHtml(p.name); }
    (p.landmarks || []).forEach(function (n) { html += "<br>" + escapeHtml(n); });
    html += "<br>" + p.lat.toFixed(5) + ", " + p.lon.toFixed(5);
    html += "<br><em>" + (p.uncertainty_m > 0
      ? escapeHtml(labels.approximate) + " " + metres(p.uncertainty_m)
      : escapeHtml(labels.sourced)) + "</em>";
    return html;
  }

  function uncertainty(p, color) {
    return L.circle([p.lat, p.lon], {
      radius: p.uncertainty_m, color: color, weight: 1, dashArray: "4 4",
      fillOpacity: 0.04, interactive: false, className: "zr-uncertainty"
    });
  }

  window.zaireenPolesInit = function (map) {
    var el = document.getElementById("pole-data");
    if (!el) { return; }
    var data = JSON.parse(el.textContent);
    var labels = JSON.parse(document.getElementById("pole-labels").textContent);
    var layers = { poles: L.featureGroup(), anchors: L.featureGroup(),
                   landmarks: L.featureGroup(), uncertainty: L.featureGroup() };

    var line = data.poles.map(function (p) { return [p.lat, p.lon]; });
    layers.poles.addLayer(L.polyline(line, { color: "#6c757d", weight: 2, opacity: 0.6 }));
    data.poles.forEach(function (p) {
      layers.poles.addLayer(L.circleMarker([p.lat, p.lon], {
        radius: 3, color: "#495057", fillColor: "#adb5bd", fillOpacity: 0.9, weight: 1,
        className: "zr-marker zr-pole"
      }).bindPopup(describe(p, labels)).bindTooltip(labels.pole + " " + p.pole));
    });
    data.anchors.forEach(function (a) {
      var approximate = a.uncertainty_m > 0;
      layers.anchors.addLayer(L.circleMarker([a.lat, a.lon], {
        radius: 7, color: approximate ? "#653208" : "#0f5132",
        fillColor: approximate ? "#fd7e14" : "#198754", fillOpacity: 0.9, weight: 2,
        dashArray: approximate ? "3 3" : null,
        className: "zr-marker zr-anchor" + (approximate ? " zr-approximate" : "")
      }).bindPopup(describe(a, labels)).bindTooltip(labels.pole + " " + a.pole));
      if (approximate) { layers.uncertainty.addLayer(uncertainty(a, "#fd7e14")); }
    });
    data.landmarks.forEach(function (m) {
      layers.landmarks.addLayer(L.circleMarker([m.lat, m.lon], {
        radius: 6, color: "#653208", fillColor: "#fd7e14", fillOpacity: 0.6, weight: 2,
        dashArray: "3 3", className: "zr-marker zr-landmark zr-approximate"
      }).bindPopup(describe(m, labels)).bindTooltip(labels.pole + " " + m.pole));
      layers.uncertainty.addLayer(uncertainty(m, "#fd7e14"));
    });

    var focus = null;
    if (data.found) {
      var f = data.found;
      var found = L.featureGroup([
        L.circleMarker([f.lat, f.lon], { radius: 9, color: "#052c65", fillColor: "#0d6efd",
          fillOpacity: 0.9, weight: 3, className: "zr-marker zr-found" })
          .bindPopup(describe(f, labels)).bindTooltip(labels.found + ": " + f.pole)
      ]);
      if (f.uncertainty_m > 0) { found.addLayer(uncertainty(f, "#0d6efd")); }
      found.addTo(map);
      focus = found;
    }
    if (data.point) {
      L.circleMarker([data.point.lat, data.point.lon], { radius: 6, color: "#842029",
        fillColor: "#dc3545", fillOpacity: 0.9, weight: 2, className: "zr-marker zr-point" })
        .bindTooltip(labels.point).addTo(map);
    }

    var overlays = {};
    overlays[labels.poles] = layers.poles;
    overlays[labels.anchors] = layers.anchors;
    overlays[labels.landmarks] = layers.landmarks;
    overlays[labels.uncertainty] = layers.uncertainty;
    [layers.uncertainty, layers.poles, layers.landmarks, layers.anchors].forEach(function (l) { l.addTo(map); });
    L.control.layers(null, overlays, { collapsed: window.innerWidth < 576 }).addTo(map);
    map.fitBounds((focus || layers.poles).getBounds(), { padding: [30, 30], maxZoom: 15 });

    map.on("click", function (e) {
      var lat = document.getElementById("id_lat"), lon = document.getElementById("id_lon");
      if (lat && lon) {
        lat.value = e.latlng.lat.toFixed(5);
        lon.value = e.latlng.lng.toFixed(5);
        lon.focus();
      }
    });
    map.getContainer().dataset.ready = "true";
  };
})();
