// A filter box over grouped checkboxes (core/widgets.py GroupedCheckboxSelectMultiple):
// typing hides the options whose label and hint do not contain the words, and the groups
// left empty. Ticked options stay ticked while hidden. Without JavaScript every option shows.
(function () {
  "use strict";
  // Lower case, no diacritics (ł too), so "lodz" finds "Łódź" as the site search does.
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ł/g, "l");
  }
  document.querySelectorAll("[data-choice-groups]").forEach(function (box, n) {
    var options = Array.prototype.slice.call(box.querySelectorAll("[data-choice]"));
    options.forEach(function (option) {
      var texts = Array.prototype.map.call(option.querySelectorAll("label, .hint"), function (el) {
        return el.textContent;
      });
      option.dataset.text = fold(texts.join(" "));
    });
    var wrapper = document.createElement("div");
    wrapper.className = "choice-filter";
    var id = (box.id || "choices-" + n) + "_filter";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = box.dataset.filterLabel;
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "width-30";
    input.setAttribute("autocomplete", "off");
    var status = document.createElement("p");
    status.className = "hint";
    status.setAttribute("role", "status");
    wrapper.appendChild(label);
    wrapper.appendChild(input);
    wrapper.appendChild(status);
    box.insertBefore(wrapper, box.firstChild);
    // Enter in the box must not send the whole form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      options.forEach(function (option) {
        var match = words.every(function (word) { return option.dataset.text.indexOf(word) !== -1; });
        option.hidden = !match;
        if (match) { shown += 1; }
      });
      box.querySelectorAll("[data-choice-group]").forEach(function (group) {
        group.hidden = !group.querySelector("[data-choice]:not([hidden])");
      });
      if (!words.length) {
        status.textContent = "";
      } else if (shown) {
        status.textContent = box.dataset.filterStatus + " " + shown;
      } else {
        status.textContent = box.dataset.filterNone;
      }
    });
  });
})();
