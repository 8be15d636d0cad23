// tuanhang: the organisers' review list. Ticking applications for a bulk decision:
// a "select all" box, the count of ticked rows, and decision buttons that stay off
// until something is ticked. Without JavaScript the form still works (the server
// answers "tick at least one application").
(function () {
  "use strict";

  window.tuanhang.ready(function () {
    var form = document.getElementById("bulk-form");
    if (!form) {
      return;
    }
    var all = form.querySelector("[data-select-all]");
    var boxes = Array.prototype.slice.call(form.querySelectorAll('input[name="applications"]'));
    var buttons = form.querySelectorAll("[data-needs-selection]");
    var counter = form.querySelector("[data-selected-count]");

    function update() {
      var ticked = boxes.filter(function (box) { return box.checked; }).length;
      buttons.forEach(function (button) { button.disabled = ticked === 0; });
      if (counter) {
        counter.textContent = (counter.getAttribute("data-template") || "%(count)s").replace("%(count)s", String(ticked));
      }
      if (all) {
        all.checked = ticked > 0 && ticked === boxes.length;
        all.indeterminate = ticked > 0 && ticked < boxes.length;
      }
    }

    if (all) {
      all.addEventListener("change", function () {
        boxes.forEach(function (box) { box.checked = all.checked; });
        update();
      });
    }
    boxes.forEach(function (box) { box.addEventListener("change", update); });
    update();
  });
})();
