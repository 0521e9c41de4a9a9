// Draws the filtered organizations on an OpenStreetMap map. Without JavaScript the
// list view shows the same organizations, so the map only adds, it never replaces.
(function () {
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var map = L.map(el).setView([50.0614, 19.9366], 12);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19, attribution: "&copy; OpenStreetMap"
  }).addTo(map);
  fetch(el.dataset.points).then(function (r) { return r.json(); }).then(function (data) {
    var layer = L.geoJSON(data, {
      onEachFeature: function (feature, marker) {
        var a = document.createElement("a");
        a.href = feature.properties.url;
        a.textContent = feature.properties.name;
        marker.bindPopup(a);
      }
    }).addTo(map);
    if (data.features.length) { map.fitBounds(layer.getBounds(), {maxZoom: 15}); }
  });
})();
