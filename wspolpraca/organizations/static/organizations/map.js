// Draws the filtered organizations on an OpenStreetMap map. Without JavaScript the
// list view shows the same organizations, so the map only adds, it never replaces.
// The points come from the URL in the map element's data-points attribute (GeoJSON); a
// popup shows the name (a link to the organization's page), its district and its areas.
// Data goes in with textContent only, never as HTML. The marker images come from the
// element's data-icon-url, -icon-retina-url and -shadow-url ({% static %} URLs): Leaflet's
// own guess of their folder fails once the static files have hashed names. Each marker's
// image is named after its organization.
(function () {
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var map = L.map(el).setView([50.0614, 19.9366], 12);
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

  fetch(el.dataset.points).then(function (r) { return r.json(); }).then(function (data) {
    var layer = L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        var name = feature.properties.name;
        return L.marker(latlng, {icon: icon, alt: name, title: name});
      },
      onEachFeature: function (feature, marker) {
        marker.bindPopup(function () { return popup(feature.properties); });
      }
    }).addTo(map);
    if (data.features.length) { map.fitBounds(layer.getBounds(), {maxZoom: 15}); }
  });
})();
