// Draws buildings with rooms (or support places) on an OpenStreetMap map. Without
// JavaScript the list shows the same places, so the map only adds, it never replaces.
// The points are in the JSON script element named by the map's data-points attribute:
// [{name, address, lat, lon, url?, rooms?: [{name, url, capacity}], evening?}]. Data goes
// in with textContent only, never as HTML. The marker images come from the element's
// data-icon-url, -icon-retina-url and -shadow-url ({% static %} URLs).
(function () {
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var source = document.getElementById(el.dataset.points);
  var points = source ? JSON.parse(source.textContent) : [];
  var map = L.map(el, {minZoom: 10}).setView([50.0614, 19.9366], 12);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19, attribution: "&copy; OpenStreetMap"
  }).addTo(map);
  var icon = L.icon(Object.assign({}, L.Icon.Default.prototype.options, {
    iconUrl: el.dataset.iconUrl,
    iconRetinaUrl: el.dataset.iconRetinaUrl,
    shadowUrl: el.dataset.shadowUrl
  }));

  function text(tag, value, className) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    node.textContent = value;
    return node;
  }

  function popup(point) {
    var box = document.createElement("div");
    var title = document.createElement("p");
    if (point.url) {
      var a = text("a", point.name);
      a.href = point.url;
      title.appendChild(a);
    } else {
      title.appendChild(text("strong", point.name));
    }
    box.appendChild(title);
    box.appendChild(text("p", point.address, "meta"));
    if (point.evening && el.dataset.eveningLabel) {
      box.appendChild(text("p", el.dataset.eveningLabel, "meta"));
    }
    if (point.rooms && point.rooms.length) {
      box.appendChild(text("p", el.dataset.roomsLabel));
      var list = document.createElement("ul");
      point.rooms.forEach(function (room) {
        var item = document.createElement("li");
        var link = text("a", room.name);
        link.href = room.url;
        item.appendChild(link);
        item.appendChild(document.createTextNode(" (" + room.capacity + " " + el.dataset.peopleLabel + ")"));
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    return box;
  }

  var markers = points.map(function (point) {
    var marker = L.marker([point.lat, point.lon], {icon: icon, alt: point.name, title: point.name});
    marker.bindPopup(function () { return popup(point); });
    return marker.addTo(map);
  });
  if (markers.length) {
    map.fitBounds(L.featureGroup(markers).getBounds().pad(0.2), {maxZoom: 15});
  }
})();
