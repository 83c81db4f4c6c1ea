/* A trip's route on a django-leaflet map: hotels numbered in order, visited sites, airports,
   road legs (solid) and walking legs (dashed) from the GeoJSON the page embeds
   ("route-features"). No tiles are needed: without ZAIREEN_MAP_TILES the route stands on a
   plain background. */
(function () {
  "use strict";
  var STYLE = {
    stay: { color: "#0f5132", fillColor: "#198754", radius: 9 },
    site: { color: "#052c65", fillColor: "#0d6efd", radius: 6 },
    airport: { color: "#495057", fillColor: "#adb5bd", radius: 6 },
    vehicle_stop: { color: "#653208", fillColor: "#fd7e14", radius: 6 }
  };

  function escapeHtml(s) {
    return String(s === null || s === undefined ? "" : s)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  window.zaireenRouteInit = function (map) {
    var el = document.getElementById("route-features");
    if (!el) { return; }
    var data = JSON.parse(el.textContent);
    var labels = JSON.parse(document.getElementById("route-labels").textContent);
    var group = L.featureGroup();
    data.features.forEach(function (f) {
      var p = f.properties;
      if (f.geometry.type === "LineString") {
        var walk = p.layer === "walk";
        var line = L.polyline(f.geometry.coordinates.map(function (c) { return [c[1], c[0]]; }), {
          color: walk ? "#fd7e14" : "#6c757d", weight: walk ? 4 : 3, opacity: 0.9,
          dashArray: walk ? "6 6" : null, className: "zr-leg zr-" + p.layer
        });
        line.bindTooltip(escapeHtml(labels[p.layer] + " · " + p.when + " · " + p.minutes + " " + labels.min), { sticky: true });
        group.addLayer(line);
        return;
      }
      var style = STYLE[p.layer] || STYLE.site;
      var marker = L.circleMarker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
        radius: style.radius, color: style.color, fillColor: style.fillColor, fillOpacity: 0.9,
        weight: 2, dashArray: p.approximate ? "3 3" : null, className: "zr-marker zr-" + p.layer
      });
      var text = "<strong>" + escapeHtml(p.name) + "</strong><br>" + escapeHtml(labels[p.layer] || "");
      if (p.layer === "stay") { text += " " + escapeHtml(p.order) + " · " + escapeHtml(p.nights) + " " + escapeHtml(labels.nights); }
      if (p.when) { text += "<br>" + escapeHtml(p.when); }
      marker.bindPopup(text);
      if (p.layer === "stay") {
        marker.bindTooltip(escapeHtml(p.order + ". " + p.name), { permanent: true, direction: "right" });
      } else {
        marker.bindTooltip(escapeHtml(p.name));
      }
      group.addLayer(marker);
    });
    group.addTo(map);
    if (group.getLayers().length) { map.fitBounds(group.getBounds(), { padding: [30, 30], maxZoom: 13 }); }
    map.getContainer().dataset.ready = "true";
  };
})();
