/* The directory's map: département outlines coloured by the number of matching organisations,
   and the organisations as circle markers. Data from the JSON embedded in the page
   (#directory-map-data); no inline script. Without JavaScript the table gives the same numbers. */
(function () {
  "use strict";
  var container = document.getElementById("directory-map");
  var source = document.getElementById("directory-map-data");
  if (!container || !source || typeof L === "undefined") return;
  var data = JSON.parse(source.textContent);
  var counts = {};
  var max = 0;
  data.departements.forEach(function (d) {
    counts[d.code] = d.count;
    if (d.count > max) max = d.count;
  });
  var SHADES = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];

  function shade(count) {
    if (!count) return "#f5f5f5";
    return SHADES[Math.min(SHADES.length - 1, Math.floor(((count - 1) / Math.max(max, 1)) * SHADES.length))];
  }

  container.hidden = false;
  var map = L.map(container, { zoomSnap: 0.25, fadeAnimation: false });
  if (data.tiles) {
    L.tileLayer(data.tiles, { maxZoom: 18 }).addTo(map);
  }

  var markers = L.featureGroup();
  data.points.forEach(function (point) {
    var marker = L.circleMarker([point.lat, point.lng], {
      radius: 7, color: "#7a1f00", weight: 2, fillColor: "#d94801", fillOpacity: 0.9,
    });
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.name;
    marker.bindPopup(link);
    marker.addTo(markers);
  });

  function keyboardAccess() {
    // Circle markers are SVG paths: give each a name and keyboard access to its popup.
    markers.eachLayer(function (marker) {
      var element = marker.getElement();
      if (!element || element.hasAttribute("tabindex")) return;
      element.setAttribute("tabindex", "0");
      element.setAttribute("role", "button");
      element.setAttribute("aria-label", marker.getPopup().getContent().textContent);
      element.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          marker.openPopup();
        }
      });
    });
  }

  function draw(outlines) {
    var regional = outlines.features.filter(function (f) { return f.properties.code in counts; });
    var layer = L.geoJSON({ type: "FeatureCollection", features: regional }, {
      interactive: false,
      style: function (feature) {
        return { color: "#4a4f57", weight: 1, fillColor: shade(counts[feature.properties.code]), fillOpacity: 0.8 };
      },
    }).addTo(map);
    markers.addTo(map);
    keyboardAccess();
    // The region fills the map; partners abroad are a zoom out away.
    var bounds = layer.getBounds();
    if (!bounds.isValid() && markers.getLayers().length) bounds = markers.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10] });
  }

  map.setView([43.7, 2.2], 7);
  fetch(container.getAttribute("data-outlines"))
    .then(function (response) { return response.json(); })
    .then(draw)
    .catch(function () {
      markers.addTo(map);
      keyboardAccess();
      if (markers.getLayers().length) map.fitBounds(markers.getBounds(), { padding: [10, 10] });
    });
})();
