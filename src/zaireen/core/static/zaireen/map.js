/* Zaireen's map: draws the GeoJSON the page embeds (id "map-features") on a django-leaflet map.
   No tiles are needed: without ZAIREEN_MAP_TILES the markers stand on a plain background. */
(function () {
  "use strict";
  var STYLE = {
    site: { color: "#0f5132", fillColor: "#198754", radius: 7 },
    airport: { color: "#052c65", fillColor: "#0d6efd", radius: 6 },
    crossing: { color: "#653208", fillColor: "#fd7e14", radius: 6 },
    city: { color: "#495057", fillColor: "#adb5bd", radius: 3 }
  };

  function minutesLabel(m) {
    if (m === null || m === undefined) { return ""; }
    var h = Math.floor(m / 60), r = m % 60;
    return h ? h + " h " + (r ? r + " min" : "") : r + " min";
  }

  function escapeHtml(s) {
    return String(s === null || s === undefined ? "" : s)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function popup(p, labels) {
    var html = "<strong>" + escapeHtml(p.name) + "</strong>";
    if (p.city) { html += "<br>" + escapeHtml(p.city); }
    if (p.code) { html += "<br>" + escapeHtml(p.code); }
    if (p.approximate) {
      html += '<br><em class="text-warning-emphasis">' + escapeHtml(labels.approximate) + "</em>";
      if (p.placement) { html += '<br><small>' + escapeHtml(p.placement) + "</small>"; }
    }
    if (p.url) { html += '<br><a href="' + escapeHtml(p.url) + '">' + escapeHtml(labels.details) + "</a>"; }
    return html;
  }

  window.zaireenMapInit = function (map) {
    var el = document.getElementById("map-features");
    if (!el) { return; }
    var data = JSON.parse(el.textContent);
    var labels = JSON.parse(document.getElementById("map-labels").textContent);
    var layers = { site: L.featureGroup(), airport: L.featureGroup(), crossing: L.featureGroup(),
                   city: L.featureGroup(), road: L.featureGroup() };
    data.features.forEach(function (f) {
      var p = f.properties;
      if (f.geometry.type === "LineString") {
        var line = L.polyline(f.geometry.coordinates.map(function (c) { return [c[1], c[0]]; }),
          { color: "#6c757d", weight: 3, opacity: 0.8, className: "zr-road" });
        var text = p.name + ": " + Math.round(p.distance_km) + " km" +
          (p.drive_minutes ? " · " + minutesLabel(p.drive_minutes) : "");
        line.bindTooltip(escapeHtml(text), { sticky: true });
        layers.road.addLayer(line);
        return;
      }
      var style = STYLE[p.layer];
      var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
      var marker = L.circleMarker(ll, {
        radius: style.radius, color: style.color, fillColor: style.fillColor, fillOpacity: 0.9,
        weight: 2, dashArray: p.approximate ? "3 3" : null,
        className: "zr-marker zr-" + p.layer + (p.approximate ? " zr-approximate" : "")
      });
      marker.bindPopup(popup(p, labels));
      if (p.layer === "city") {
        marker.bindTooltip(escapeHtml(p.name), { permanent: true, direction: "right", className: "zr-city-label" });
      } else {
        marker.bindTooltip(escapeHtml(p.name));
      }
      layers[p.layer].addLayer(marker);
    });
    var overlays = {};
    overlays[labels.sites] = layers.site;
    overlays[labels.roads] = layers.road;
    overlays[labels.airports] = layers.airport;
    overlays[labels.crossings] = layers.crossing;
    overlays[labels.cities] = layers.city;
    [layers.road, layers.city, layers.crossing, layers.airport, layers.site].forEach(function (l) { l.addTo(map); });
    L.control.layers(null, overlays, { collapsed: window.innerWidth < 576 }).addTo(map);
    var focus = el.dataset.focus === "all" ? L.featureGroup([layers.site, layers.airport, layers.crossing]) : layers.site;
    if (focus.getLayers().length) {
      map.fitBounds(focus.getBounds(), { padding: [30, 30], maxZoom: 15 });
    }
    map.getContainer().dataset.ready = "true";
  };
})();
