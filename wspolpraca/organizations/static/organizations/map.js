// Draws the filtered organizations on an OpenStreetMap map. Without JavaScript the
// list view shows the same organizations, so the map only adds, it never replaces.
// The points come from the URL in the map element's data-points attribute (GeoJSON). A
// small set comes whole and the map fits itself to it; a large one answers
// {"tiled": true}, and the points are then asked for per map tile (z, x, y), where the
// server sends a tile's points, or clusters ({"count": n}) when a tile holds too many.
// A popup shows the name (a link to the organization's page), its district and its
// areas; a cluster, when chosen, zooms in. Data goes in with textContent only, never as
// HTML. The marker images come from the element's data-icon-url, -icon-retina-url and
// -shadow-url ({% static %} URLs): Leaflet's own guess of their folder fails once the
// static files have hashed names. Each marker's image is named after its organization.
(function () {
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  // Below zoom 11 the whole city is a few dozen pixels wide: nothing more to see.
  var map = L.map(el, {minZoom: 11}).setView([50.0614, 19.9366], 12);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19, attribution: "&copy; OpenStreetMap"
  }).addTo(map);
  var icon = L.icon(Object.assign({}, L.Icon.Default.prototype.options, {
    iconUrl: el.dataset.iconUrl,
    iconRetinaUrl: el.dataset.iconRetinaUrl,
    shadowUrl: el.dataset.shadowUrl
  }));

  function line(text, className) {
    var p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  function popup(properties) {
    var box = document.createElement("div");
    var title = document.createElement("p");
    var a = document.createElement("a");
    a.href = properties.url;
    a.textContent = properties.name;
    title.appendChild(a);
    box.appendChild(title);
    if (properties.district) { box.appendChild(line(properties.district, "meta")); }
    if (properties.areas && properties.areas.length) {
      box.appendChild(line(properties.areas.join(" · "), "meta"));
    }
    return box;
  }

  function cluster(feature, latlng) {
    var count = String(feature.properties.count);
    var label = el.dataset.clusterLabel.replace("{count}", count);
    var badge = document.createElement("span");
    badge.textContent = count;
    var marker = L.marker(latlng, {
      icon: L.divIcon({html: badge, className: "map-cluster", iconSize: [40, 40]}),
      title: label
    });
    // A cluster is a button (Leaflet's keyboard markers): its name says what it holds.
    marker.on("add", function () { marker.getElement().setAttribute("aria-label", label); });
    function zoomIn() { map.setView(latlng, Math.min(map.getZoom() + 2, map.getMaxZoom())); }
    marker.on("click", zoomIn);
    // Leaflet answers Enter on a marker only by opening its popup; a button also takes Space.
    marker.on("keypress", function (event) {
      var key = event.originalEvent.key;
      if (key === "Enter" || key === " ") { event.originalEvent.preventDefault(); zoomIn(); }
    });
    return marker;
  }

  function layerOf(data) {
    return L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        if (feature.properties.count) { return cluster(feature, latlng); }
        var name = feature.properties.name;
        return L.marker(latlng, {icon: icon, alt: name, title: name});
      },
      onEachFeature: function (feature, marker) {
        if (!feature.properties.count) {
          marker.bindPopup(function () { return popup(feature.properties); });
        }
      }
    });
  }

  var base = el.dataset.points;
  var joiner = base.indexOf("?") === -1 ? "?" : "&";

  // One layer of markers per map tile on screen, added when its points arrive and taken
  // away when the tile leaves the screen or the zoom changes (even before they arrive).
  var PointTiles = L.GridLayer.extend({
    createTile: function (coords, done) {
      var tile = document.createElement("div");
      var points = tile.points = {layer: null, gone: false};
      fetch(base + joiner + "z=" + coords.z + "&x=" + coords.x + "&y=" + coords.y)
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (!points.gone) { points.layer = layerOf(data).addTo(map); }
          done(null, tile);
        }, function (error) { done(error, tile); });
      return tile;
    }
  });

  fetch(base).then(function (r) { return r.json(); }).then(function (data) {
    if (!data.tiled) {
      var layer = layerOf(data).addTo(map);
      if (data.features.length) { map.fitBounds(layer.getBounds(), {maxZoom: 15}); }
      return;
    }
    // Zoomed out to 11, the points are still asked for by tiles of zoom 12, so that no
    // request reads more than a zoom-12 square of the city (about 6 km across).
    var tiles = new PointTiles({minNativeZoom: 12, maxZoom: 19});
    tiles.on("tileunload", function (event) {
      var points = event.tile.points;
      points.gone = true;
      if (points.layer) { map.removeLayer(points.layer); }
    });
    tiles.addTo(map);
  });
})();
