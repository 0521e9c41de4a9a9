// Keeps the "Filters (n)" count of the directory's folded filters in step with the form
// when htmx updates the list in place (the server renders the count on a full page).
(function () {
  "use strict";
  var ignored = {q: true, sort: true, page: true};
  document.querySelectorAll("[data-filter-form]").forEach(function (form) {
    var count = form.querySelector("[data-filter-count]");
    if (!count) { return; }
    form.addEventListener("change", function () {
      var n = 0;
      form.querySelectorAll("select, input:not([type=search])").forEach(function (input) {
        if (!ignored[input.name] && input.value.trim()) { n += 1; }
      });
      count.textContent = n ? " (" + n + ")" : "";
    });
  });
})();
