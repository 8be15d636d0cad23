// tuanhang: choosing booths. The page is a plain form that works without JavaScript; this
// script makes it quicker: it counts the booths ticked (and stops at the number approved),
// sends the choice to the JSON endpoint (CSRF token in the X-CSRFToken header), shows the
// answer in place, and after a lost race ("just taken") refreshes which booths are still free.
// On the hall plan (static/js/map.js), tapping a booth one may pick ticks its box; the chosen
// booths are outlined and the ones that cannot be picked faded (SVG attributes, no inline CSS).
(function () {
  "use strict";

  function alertBox(kind, text) {
    var box = document.createElement("div");
    box.className = "alert alert-" + kind;
    box.setAttribute("role", kind === "danger" ? "alert" : "status");
    box.textContent = text;
    return box;
  }

  window.tuanhang.ready(function () {
    var form = document.getElementById("selection-form");
    if (!form || !window.fetch) {
      return;
    }
    var api = form.getAttribute("data-api");
    var needed = Number(form.getAttribute("data-needed")) || 1;
    var feedback = document.getElementById("selection-feedback");
    var counter = form.querySelector("[data-counter]");
    var mineList = document.querySelector("[data-my-booths]");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input[name=booths]"));
    var byId = {};
    inputs.forEach(function (input) { byId[input.value] = input; });

    function chosen() {
      return inputs.filter(function (input) { return input.checked; });
    }

    var shapes = Array.prototype.slice.call(document.querySelectorAll("svg.booth-map .booth[data-booth-id]"));

    function paintMap() {
      shapes.forEach(function (shape) {
        var input = byId[shape.getAttribute("data-booth-id")];
        var rect = shape.querySelector("rect");
        var own = shape.classList.contains("booth-own");
        shape.classList.toggle("booth-picked", Boolean(input && input.checked));
        if (input && input.hasAttribute("data-taken")) {
          shape.setAttribute("opacity", "0.35");
        } else if (!input && !own) {
          shape.setAttribute("opacity", "0.35");
        } else {
          shape.removeAttribute("opacity");
        }
        if (rect && !own) {
          if (input && input.checked) {
            rect.setAttribute("stroke", "#0d6efd");
            rect.setAttribute("stroke-width", "0.4");
          } else {
            rect.removeAttribute("stroke");
            rect.removeAttribute("stroke-width");
          }
        }
      });
    }

    function update() {
      var ticked = chosen().length;
      if (needed > 1) {
        inputs.forEach(function (input) {
          if (!input.hasAttribute("data-taken")) {
            input.disabled = !input.checked && ticked >= needed;
          }
        });
      }
      if (counter) {
        counter.textContent = (counter.getAttribute("data-template") || "%(chosen)s / %(needed)s")
          .replace("%(chosen)s", String(ticked))
          .replace("%(needed)s", String(needed));
      }
      paintMap();
    }

    function show(kind, text) {
      if (feedback) {
        feedback.replaceChildren(alertBox(kind, text));
      }
    }

    function showMine(booths) {
      if (!mineList) {
        return;
      }
      var items = booths.map(function (booth) {
        var li = document.createElement("li");
        li.className = "list-inline-item badge text-bg-success fs-6 fw-normal";
        li.setAttribute("data-booth", String(booth.id));
        li.textContent = booth.code;
        return li;
      });
      if (!items.length) {
        var empty = document.createElement("li");
        empty.className = "list-inline-item text-body-secondary";
        empty.textContent = mineList.getAttribute("data-empty-text") || "";
        items.push(empty);
      }
      mineList.replaceChildren.apply(mineList, items);
    }

    // After a lost race: booths neither free nor ours any more are switched off.
    function refresh() {
      return fetch(api, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          var open = {};
          // "free" rows are [id, code, zone, row] arrays (their names in data.free_fields); "mine" are objects.
          (data.free || []).forEach(function (booth) { open[String(booth[0])] = true; });
          (data.mine || []).forEach(function (booth) { open[String(booth.id)] = true; });
          inputs.forEach(function (input) {
            if (!open[input.value]) {
              input.checked = false;
              input.disabled = true;
              input.setAttribute("data-taken", "");
              var label = form.querySelector('label[for="' + input.id + '"]');
              if (label) {
                label.classList.add("text-decoration-line-through");
              }
            }
          });
          showMine(data.mine || []);
          update();
        });
    }

    inputs.forEach(function (input) { input.addEventListener("change", update); });

    // A tap on the plan (map.js tells which booth): tick or untick the booth's box.
    document.addEventListener("boothmap:select", function (event) {
      var input = byId[String(event.detail && event.detail.id)];
      if (!input || input.disabled) {
        return;
      }
      input.checked = input.type === "radio" ? true : !input.checked;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      // On phones the details sheet would cover the Save button: the tick is the answer.
      var map = event.target && event.target.boothMap;
      if (map && map.closePanel && window.matchMedia && window.matchMedia("(max-width: 991.98px)").matches) {
        map.closePanel();
      }
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var ids = chosen().map(function (input) { return Number(input.value); });
      var button = form.querySelector("button[type=submit]");
      if (button) {
        button.disabled = true;
      }
      fetch(api, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": token ? token.value : "",
        },
        body: JSON.stringify({ booth_ids: ids }),
      })
        .then(function (response) {
          return response.json().then(function (data) { return { status: response.status, data: data }; });
        })
        .then(function (answer) {
          var data = answer.data;
          if (data.ok) {
            show("success", data.message);
            showMine(data.booths);
          } else if (data.code === "taken") {
            show("danger", data.error);
            return refresh();
          } else {
            show("danger", data.error);
          }
        })
        .catch(function () {
          // Network trouble or an unexpected answer: let the browser post the form itself.
          form.submit();
        })
        .finally(function () {
          if (button) {
            button.disabled = false;
          }
        });
    });

    update();
  });
})();
