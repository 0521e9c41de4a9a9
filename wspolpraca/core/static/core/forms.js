// The form design's small enhancements (docs/forms.md). Without JavaScript the error
// summary is still at the top of the form and its links still jump to the fields.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  // GOV.UK: move focus to the summary, so a screen reader reads it and a keyboard user
  // starts from it.
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var input = document.getElementById(link.getAttribute("href").slice(1));
    if (!input) { return; }
    event.preventDefault();
    // Show the question with its input: the legend of a group, otherwise the label.
    var fieldset = input.closest("fieldset");
    var label = (fieldset && fieldset.querySelector("legend")) ||
      document.querySelector("label[for='" + input.id + "']") || input;
    label.scrollIntoView();
    input.focus({preventScroll: true});
  });
})();
