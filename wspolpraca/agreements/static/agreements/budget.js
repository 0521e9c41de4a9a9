// The updated budget's sums, counted again as people type (the server counts them on
// every send, so the page works the same without this script).
(function () {
  "use strict";
  var form = document.querySelector("[data-budget-form]");
  var sums = document.querySelector("[data-budget-sums]");
  if (!form || !sums) return;

  function parse(text) {
    text = String(text || "").replace(/[\s\u00a0\u202f']+/g, "").replace(/(zł|zl|pln)$/i, "");
    if (text.indexOf(",") >= 0 && text.indexOf(".") >= 0) text = text.replace(/\./g, "");
    text = text.replace(",", ".");
    var value = Number(text);
    return isFinite(value) ? value : 0;
  }

  function show(value) {
    return new Intl.NumberFormat(document.documentElement.lang || "pl", {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
      useGrouping: "always",
    }).format(value) + "\u00a0zł";
  }

  function field(row, name) {
    return row.querySelector('[name$="-' + name + '"]');
  }

  function count() {
    var total = 0;
    form.querySelectorAll("[data-cost-row]").forEach(function (row) {
      var removed = field(row, "DELETE");
      if (removed && removed.checked) return;
      var cost = field(row, "unit_cost");
      var quantity = field(row, "quantity");
      if (!cost || !quantity) return;
      total += Math.round(parse(cost.value) * parse(quantity.value) * 100) / 100;
    });
    var ownInput = form.querySelector('[name="own_contribution"]');
    var own = ownInput ? parse(ownInput.value) : 0;
    var grant = parse(sums.getAttribute("data-grant"));
    var expected = grant + own;
    sums.querySelector('[data-sum="total"]').textContent = show(total);
    sums.querySelector('[data-sum="own"]').textContent = show(own);
    sums.querySelector('[data-sum="expected"]').textContent = show(expected);
    var status = sums.querySelector('[data-sum="status"]');
    var difference = Math.round((total - expected) * 100) / 100;
    var message = difference === 0
      ? status.getAttribute("data-balanced")
      : status.getAttribute("data-unbalanced").replace("__DIFFERENCE__", show(Math.abs(difference)));
    if (message) status.textContent = message;
  }

  form.addEventListener("input", count);
  form.addEventListener("change", count);
})();
