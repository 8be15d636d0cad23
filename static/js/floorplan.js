// tuanhang: the floor-plan page. Tapping a booth on the plan adds its code to (or removes it
// from) the "Booths" box of the block / unblock / merge form, and the chosen booths are outlined.
// Typing codes in the box outlines them too. Without JavaScript the codes are typed by hand.
(function () {
  "use strict";

  function codesOf(text) {
    return text.split(/[\s,;]+/).filter(function (code) { return code.length > 0; });
  }

  window.tuanhang.ready(function () {
    var svg = document.getElementById("floorplan-svg");
    var box = document.getElementById("id_codes");
    if (!svg || !box) {
      return;
    }
    var booths = Array.prototype.slice.call(svg.querySelectorAll(".plan-booth[data-code]"));
    var PX_PER_METRE = 16; // a 3 m booth is 48 px wide: big enough to tap; the plan scrolls sideways
    var viewBox = (svg.getAttribute("viewBox") || "").split(/\s+/);
    var hallWidth = Number(viewBox[2]);
    if (hallWidth > 0) {
      svg.style.minWidth = Math.round(hallWidth * PX_PER_METRE) + "px";
    }

    function outline() {
      var chosen = {};
      codesOf(box.value).forEach(function (code) { chosen[code.toUpperCase()] = true; });
      booths.forEach(function (booth) {
        var on = chosen[booth.getAttribute("data-code").toUpperCase()] === true;
        var rect = booth.querySelector("rect");
        booth.setAttribute("aria-pressed", on ? "true" : "false");
        if (rect) {
          rect.setAttribute("stroke", on ? "#d63384" : "#343a40");
          rect.setAttribute("stroke-width", on ? "0.3" : "0.05");
        }
      });
    }

    function toggle(booth) {
      var code = booth.getAttribute("data-code");
      var codes = codesOf(box.value);
      var at = codes.map(function (c) { return c.toUpperCase(); }).indexOf(code.toUpperCase());
      if (at >= 0) {
        codes.splice(at, 1);
      } else {
        codes.push(code);
      }
      box.value = codes.join(" ");
      outline();
    }

    booths.forEach(function (booth) {
      // The browser's focus ring would be scaled up with the plan; a dashed outline shows focus instead.
      booth.style.outline = "none";
      booth.addEventListener("focus", function () {
        var rect = booth.querySelector("rect");
        if (rect) {
          rect.setAttribute("stroke-dasharray", "0.4 0.2");
          rect.setAttribute("stroke-width", "0.25");
        }
      });
      booth.addEventListener("blur", function () {
        var rect = booth.querySelector("rect");
        if (rect) {
          rect.removeAttribute("stroke-dasharray");
        }
        outline();
      });
      booth.addEventListener("click", function () { toggle(booth); });
      booth.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          toggle(booth);
        }
      });
    });
    box.addEventListener("input", outline);
    outline();
  });
})();
