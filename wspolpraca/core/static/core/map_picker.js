// The map picker (core/widgets.py MapPointWidget): the point is set by clicking the map,
// dragging the marker, "Put the point in the middle" (for keyboard users, who move the
// map with the arrow keys) or, where GEOCODER_URL is set, by finding the typed address.
// It writes the latitude and longitude into the form's hidden fields. The marker images
// come from the box's data-icon-url, -icon-retina-url and -shadow-url ({% static %} URLs):
// Leaflet's own guess of their folder fails once the static files have hashed names.
(function () {
  "use strict";
  if (!window.L) { return; }
  document.querySelectorAll("[data-map-picker]").forEach(function (box) {
    var data = box.dataset;
    var form = box.closest("form");
    var lat = box.querySelector("input[type=hidden]");
    var lon = form.elements[data.longitude];
    if (!lat || !lon) { return; }
    box.querySelector("[data-map-picker-nojs]").hidden = true;
    box.querySelector("[data-map-picker-ui]").hidden = false;
    var status = box.querySelector("[data-map-picker-status]");
    var centre = data.centre.split(",").map(Number);
    var map = L.map(box.querySelector(".map-picker-map")).setView(centre, 12);
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19, attribution: "&copy; OpenStreetMap"
    }).addTo(map);
    var marker = null;
    var icon = L.icon(Object.assign({}, L.Icon.Default.prototype.options, {
      iconUrl: data.iconUrl,
      iconRetinaUrl: data.iconRetinaUrl,
      shadowUrl: data.shadowUrl
    }));

    function set(latlng) {
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.marker(latlng, {
          icon: icon, draggable: true, alt: data.markerLabel, title: data.markerLabel
        }).addTo(map);
        marker.on("dragend", function () { set(marker.getLatLng()); });
      }
      status.textContent = data.textSet + " " + lat.value + ", " + lon.value;
    }

    function clear() {
      lat.value = "";
      lon.value = "";
      if (marker) { map.removeLayer(marker); marker = null; }
      status.textContent = data.textEmpty;
    }

    if (lat.value && lon.value) {
      var point = L.latLng(Number(lat.value), Number(lon.value));
      set(point);
      map.setView(point, 16);
    } else {
      status.textContent = data.textEmpty;
    }
    map.on("click", function (event) { set(event.latlng); });
    box.querySelector("[data-map-picker-centre]").addEventListener("click", function () {
      set(map.getCenter());
    });
    box.querySelector("[data-map-picker-clear]").addEventListener("click", clear);

    var find = box.querySelector("[data-map-picker-find]");
    if (find && data.geocoder) {
      find.addEventListener("click", function () {
        var address = data.address.split(",").map(function (name) {
          var input = form.elements[name];
          return input ? input.value.trim() : "";
        }).filter(Boolean).join(", ");
        if (!address) { status.textContent = data.textNotFound; return; }
        status.textContent = data.textSearching;
        var url = data.geocoder + (data.geocoder.indexOf("?") === -1 ? "?" : "&") +
          "format=json&limit=1&q=" + encodeURIComponent(address);
        fetch(url, {headers: {"Accept": "application/json"}})
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (results) {
            if (!results.length) { status.textContent = data.textNotFound; return; }
            var found = L.latLng(Number(results[0].lat), Number(results[0].lon));
            set(found);
            map.setView(found, 17);
          })
          .catch(function () { status.textContent = data.textNotFound; });
      });
    }
  });
})();
