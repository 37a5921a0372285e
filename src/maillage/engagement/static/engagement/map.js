/* The agenda's map: the département outlines (vector data served with the site, no tile
   server) and one marker per event, whose popup links to the event. The table under the map
   gives the same list without JavaScript. */
(function () {
  "use strict";
  var container = document.getElementById("agenda-map");
  var source = document.getElementById("agenda-map-data");
  if (!container || !source || typeof L === "undefined") return;
  var points = JSON.parse(source.textContent);
  container.hidden = false;
  var map = L.map(container, { zoomSnap: 0.25 });
  fetch(container.dataset.outlines)
    .then(function (response) { return response.json(); })
    .then(function (outlines) {
      var layer = L.geoJSON(outlines, { style: { color: "#555", weight: 1, fillColor: "#eff3ff", fillOpacity: 1 } });
      layer.addTo(map);
      map.fitBounds(layer.getBounds());
      points.forEach(function (point) {
        var link = document.createElement("a");
        link.href = point.url;
        link.textContent = point.title;
        var popup = document.createElement("div");
        popup.appendChild(link);
        popup.appendChild(document.createElement("br"));
        popup.appendChild(document.createTextNode(point.when + " — " + point.place));
        L.marker([point.lat, point.lng], { title: point.title, alt: point.title }).bindPopup(popup).addTo(map);
      });
    });
})();
