/* The small map of a project's locations: its points over the world's outlines (world-atlas
   TopoJSON turned into GeoJSON by topojson-client), as the directory's map does, with no tile
   server (tiles only when the site configures them). Data from the JSON embedded in the page
   (#project-map-data), texts from the container's data-* attributes; no inline script. The
   points are not interactive: the list under the map names every location, with or without
   JavaScript. */
(function () {
  "use strict";
  var container = document.getElementById("project-map");
  var source = document.getElementById("project-map-data");
  if (!container || !source || typeof L === "undefined") return;
  var data = JSON.parse(source.textContent);
  if (!data.points || !data.points.length) return;
  var text = container.dataset;

  container.hidden = false;
  var map = L.map(container, { zoomSnap: 0.25, fadeAnimation: false, maxZoom: 12, zoomControl: false });
  L.control.zoom({ zoomInTitle: text.zoomIn, zoomOutTitle: text.zoomOut }).addTo(map);
  if (data.tiles) L.tileLayer(data.tiles, { maxZoom: 12 }).addTo(map);

  var points = L.featureGroup(data.points.map(function (point) {
    return L.circleMarker([point.lat, point.lng], {
      radius: 7, color: "#7a1f00", weight: 2, fillColor: "#d94801", fillOpacity: 0.9, interactive: false,
    });
  })).addTo(map);
  var bounds = points.getBounds();
  map.fitBounds(bounds.pad(0.5), { maxZoom: 6 });

  if (!data.tiles && window.topojson) {
    fetch(container.getAttribute("data-world"))
      .then(function (response) { return response.json(); })
      .then(function (topology) {
        var world = topojson.feature(topology, topology.objects.countries);
        L.geoJSON(world, {
          interactive: false,
          style: { color: "#4a4f57", weight: 0.5, fillColor: "#f5f5f5", fillOpacity: 1 },
        }).addTo(map);
        points.bringToFront();
      })
      .catch(function () { /* the points stay, without outlines */ });
  }
})();
