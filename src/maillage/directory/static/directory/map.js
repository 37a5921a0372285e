/* The directory's map, two views of the same Leaflet map:
   - « Région »: the région's départements coloured by the number of matching organisations, and
     the organisations as clustered markers (leaflet.markercluster, loaded in chunks: it stays
     smooth with tens of thousands of points);
   - « Monde »: the countries of intervention coloured the same way (world-atlas TopoJSON, turned
     into GeoJSON by topojson-client; its features are keyed by ISO 3166-1 numeric code).
   No tile server is needed: the outlines are vector data served with the site. Data from the JSON
   embedded in the page (#directory-map-data), texts from the container's data-* attributes; no
   inline script. Without JavaScript the two tables give the same numbers.

   Keyboard: markers and clusters are buttons with a name (Tab, then Enter or Space); a marker
   opens a popup whose link gets the focus, Escape closes it and gives the focus back; a cluster
   zooms in (or spreads its markers when they share one place) and gives the focus to the map. */
(function () {
  "use strict";
  var container = document.getElementById("directory-map");
  var source = document.getElementById("directory-map-data");
  var switcher = document.querySelector(".map-views");
  if (!container || !source || typeof L === "undefined" || !L.markerClusterGroup) return;
  var data = JSON.parse(source.textContent);
  var text = container.dataset;
  var SHADES = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];
  var EMPTY = "#f5f5f5";
  var WORLD = L.latLngBounds([-56, -170], [78, 180]);

  /* Up to five classes of equal width between 1 and the largest count; with fewer classes, the
     darker shades, so that one organisation never looks like none. */
  function scale(rows) {
    var max = rows.reduce(function (m, row) { return Math.max(m, row.count); }, 0);
    var classes = [];
    for (var i = 0; i < SHADES.length; i++) {
      var from = Math.ceil((i * max) / SHADES.length) + 1;
      var to = Math.ceil(((i + 1) * max) / SHADES.length);
      if (to >= from) classes.push({ from: from, to: to });
    }
    classes.forEach(function (c, index) { c.colour = SHADES[SHADES.length - classes.length + index]; });
    return {
      classes: classes,
      colour: function (count) {
        if (!count) return EMPTY;
        for (var j = 0; j < classes.length; j++) if (count <= classes[j].to) return classes[j].colour;
        return classes[classes.length - 1].colour;
      },
    };
  }

  function byKey(rows, key) {
    var found = {};
    rows.forEach(function (row) { if (row[key]) found[row[key]] = row.count; });
    return found;
  }

  var regionScale = scale(data.departements);
  var worldScale = scale(data.countries);
  var departementCounts = byKey(data.departements, "code");
  var countryCounts = byKey(data.countries, "numeric");

  container.hidden = false;
  if (switcher) switcher.hidden = false;
  // A maximum zoom is needed by the clusters (markers sharing one place spread out there).
  var map = L.map(container, { zoomSnap: 0.25, fadeAnimation: false, maxZoom: 18, zoomControl: false });
  L.control.zoom({ zoomInTitle: text.zoomIn, zoomOutTitle: text.zoomOut }).addTo(map);
  if (data.tiles) {
    L.tileLayer(data.tiles, { maxZoom: 18 }).addTo(map);
  }

  // --- The legend -----------------------------------------------------------------------------

  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    var element = L.DomUtil.create("div", "map-legend");
    L.DomEvent.disableClickPropagation(element);
    return element;
  };
  legend.addTo(map);

  function showLegend(title, current) {
    var element = legend.getContainer();
    element.textContent = "";
    var heading = L.DomUtil.create("p", "map-legend-title", element);
    heading.textContent = title;
    var list = L.DomUtil.create("ul", "", element);
    var entries = [{ label: "0", colour: EMPTY }].concat(current.classes.map(function (c) {
      return { label: c.from === c.to ? String(c.from) : c.from + "–" + c.to, colour: c.colour };
    }));
    entries.forEach(function (entry) {
      var item = L.DomUtil.create("li", "", list);
      var swatch = L.DomUtil.create("span", "map-legend-swatch", item);
      swatch.style.backgroundColor = entry.colour;
      item.appendChild(document.createTextNode(entry.label));
    });
  }

  // --- Markers and clusters -------------------------------------------------------------------

  // A div icon whose element carries an accessible name (Leaflet makes it a focusable button).
  var NamedIcon = L.DivIcon.extend({
    createIcon: function (oldIcon) {
      var element = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      element.setAttribute("aria-label", this.options.label);
      return element;
    },
  });

  var clusters = L.markerClusterGroup({
    chunkedLoading: true,
    showCoverageOnHover: false,
    iconCreateFunction: function (cluster) {
      var count = cluster.getChildCount();
      var bounds = cluster.getBounds();
      var samePlace = bounds.getNorthEast().equals(bounds.getSouthWest());
      var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
      return new NamedIcon({
        html: "<span>" + count + "</span>",
        className: "map-cluster map-cluster--" + size,
        iconSize: L.point(40, 40),
        label: (samePlace ? text.samePlaceLabel : text.clusterLabel).replace("{count}", count),
      });
    },
  });
  clusters.addLayers(data.points.map(function (point) {
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.name;
    return L.marker([point.lat, point.lng], {
      icon: new NamedIcon({ className: "map-point", iconSize: L.point(16, 16), html: "", label: point.name }),
    }).bindPopup(link);
  }));

  // Space activates a button as Enter does (Leaflet only listens to Enter); Escape closes the
  // popup from its link too (Leaflet only listens to it while the map itself has the focus).
  var openedByKeyboard = null;
  container.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Escape" && target.closest && target.closest(".leaflet-popup")) {
      map.closePopup();
      return;
    }
    if (!target.classList || !target.classList.contains("leaflet-marker-icon")) return;
    if (event.key !== "Enter" && event.key !== " ") return;
    var cluster = target.classList.contains("map-cluster");
    openedByKeyboard = cluster ? null : target;
    if (event.key === " ") {
      event.preventDefault();
      target.click();
      if (cluster) container.focus(); // as markercluster does after Enter
    }
  });
  map.on("popupopen", function (event) {
    var link = event.popup.getElement().querySelector("a");
    event.popup.returnFocus = openedByKeyboard;
    if (openedByKeyboard && link) link.focus();
    openedByKeyboard = null;
  });
  map.on("popupclose", function (event) {
    var back = event.popup.returnFocus;
    var active = document.activeElement;
    if (back && document.contains(back) && (!active || active === document.body || container.contains(active))) {
      back.focus();
    }
  });

  // --- The two views --------------------------------------------------------------------------

  var regionLayer = null;
  var worldLayer = null;
  var worldLoading = null;

  function outline(colour) {
    return { color: "#4a4f57", weight: 1, fillColor: colour, fillOpacity: 0.8 };
  }

  function regionBounds() {
    var bounds = regionLayer ? regionLayer.getBounds() : L.latLngBounds([]);
    if (!bounds.isValid() && clusters.getLayers().length) bounds = clusters.getBounds();
    return bounds;
  }

  /* world-atlas is made for spherical projections: a ring that crosses the antimeridian (Russia,
     Fiji) jumps from 180° to -180°, a line across the whole flat map. Such rings go on past 180°
     instead; Antarctica (010), around the pole, is left out (no partner there, and no flat shape). */
  var ANTARCTICA = "010";
  function unwrap(feature) {
    var geometry = feature.geometry;
    var polygons = !geometry ? [] : geometry.type === "Polygon" ? [geometry.coordinates]
      : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    polygons.forEach(function (polygon) {
      polygon.forEach(function (ring) {
        for (var i = 1; i < ring.length; i++) {
          var jump = ring[i][0] - ring[i - 1][0];
          if (Math.abs(jump) > 180) ring[i] = [ring[i][0] - 360 * Math.sign(jump), ring[i][1]];
        }
      });
    });
    return feature;
  }

  function loadWorld() {
    if (!worldLoading) {
      worldLoading = fetch(container.getAttribute("data-world"))
        .then(function (response) { return response.json(); })
        .then(function (topology) {
          var world = topojson.feature(topology, topology.objects.countries);
          world.features = world.features
            .filter(function (feature) { return feature.id !== ANTARCTICA; })
            .map(unwrap);
          worldLayer = L.geoJSON(world, {
            interactive: false,
            style: function (feature) {
              return Object.assign(outline(worldScale.colour(countryCounts[feature.id])), { weight: 0.5 });
            },
          });
          return worldLayer;
        });
    }
    return worldLoading;
  }

  function press(view) {
    if (!switcher) return;
    switcher.querySelectorAll("button").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-view") === view));
    });
  }

  function showRegion() {
    press("region");
    if (worldLayer) map.removeLayer(worldLayer);
    if (regionLayer) regionLayer.addTo(map);
    clusters.addTo(map);
    showLegend(text.regionLegend, regionScale);
    var bounds = regionBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10] });
  }

  function showWorld() {
    press("world");
    map.removeLayer(clusters);
    if (regionLayer) map.removeLayer(regionLayer);
    showLegend(text.worldLegend, worldScale);
    map.fitBounds(WORLD);
    return loadWorld().then(function (layer) {
      if (switcher && switcher.querySelector('[data-view="world"]').getAttribute("aria-pressed") === "true") {
        layer.addTo(map);
      }
    });
  }

  if (switcher) {
    switcher.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-view]");
      if (!button || button.getAttribute("aria-pressed") === "true") return;
      if (button.getAttribute("data-view") === "world") showWorld();
      else showRegion();
    });
  }

  map.setView([43.7, 2.2], 7);
  fetch(container.getAttribute("data-outlines"))
    .then(function (response) { return response.json(); })
    .then(function (outlines) {
      // The région's départements, and those outside it where an organisation matches.
      var features = outlines.features.filter(function (f) { return f.properties.code in departementCounts; });
      regionLayer = L.geoJSON({ type: "FeatureCollection", features: features }, {
        interactive: false,
        style: function (feature) { return outline(regionScale.colour(departementCounts[feature.properties.code])); },
      });
    })
    .catch(function () { regionLayer = null; })
    .then(function () {
      // The région fills the map; partners abroad are a zoom out away.
      if (!switcher || switcher.querySelector('[data-view="region"]').getAttribute("aria-pressed") === "true") {
        showRegion();
      }
    });
})();
