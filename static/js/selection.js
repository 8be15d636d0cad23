// tuanhang: choosing booths. The page is a plain form that works without JavaScript; this
// script makes it quicker: it counts the booths ticked (and stops at the number approved),
// sends the choice to the JSON endpoint (CSRF token in the X-CSRFToken header), shows the
// answer in place, and after a lost race ("just taken") refreshes which booths are still free.
// On the hall plan (static/js/map.js), tapping a booth one may pick ticks its box; the chosen
// booths are outlined and the ones that cannot be picked faded (SVG attributes, no inline CSS).
// Each choice is answered at once next to the map (the bar under it, role="status": "You chose
// booth A05 — 2.500.000 ₫ (not saved yet)" with the save button) and in "Your booths" as not
// saved; the map's options carry aria-selected / aria-disabled to match the boxes.
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
    var mapSvg = document.querySelector("svg.booth-map[role=listbox]");
    var bar = document.querySelector("[data-selection-bar]");
    var status = bar && bar.querySelector("[data-selection-status]");
    var saved = {};
    if (mineList) {
      mineList.querySelectorAll("[data-booth]").forEach(function (li) { saved[li.getAttribute("data-booth")] = li.textContent; });
    }
    if (mapSvg && needed > 1) {
      mapSvg.setAttribute("aria-multiselectable", "true");
    }

    function text(template, values) {
      return Object.keys(values).reduce(function (out, key) {
        return out.replace("%(" + key + ")s", values[key]);
      }, template || "");
    }

    // "booth A05 — 2.500.000 ₫", the price from the map's details when it has one.
    function described(input) {
      var label = form.querySelector('label[for="' + input.id + '"]');
      var code = label ? label.textContent : input.value;
      var words = text(bar.getAttribute("data-booth"), { code: code });
      var map = mapSvg && mapSvg.closest("[data-booth-map]");
      var record = map && map.boothMap ? map.boothMap.record(input.value) : null;
      var price = record && record.values.find(function (item) { return item[2] === "price"; });
      return price ? words + " — " + price[1] : words;
    }

    function codeOf(input) {
      var label = form.querySelector('label[for="' + input.id + '"]');
      return label ? label.textContent : input.value;
    }

    // "Your booths": the saved ones, or the pending choice marked as not saved.
    function showPending() {
      if (!mineList) {
        return;
      }
      var ticked = chosen();
      var same = ticked.length === Object.keys(saved).length && ticked.every(function (input) { return saved[input.value]; });
      if (same || !ticked.length) {
        return;
      }
      var note = mineList.getAttribute("data-pending-text") || "";
      mineList.replaceChildren.apply(mineList, ticked.map(function (input) {
        var li = document.createElement("li");
        li.className = "list-inline-item badge text-bg-warning fs-6 fw-normal";
        li.setAttribute("data-pending", input.value);
        li.textContent = codeOf(input) + " · " + note;
        return li;
      }));
    }

    function announce(message) {
      if (status) {
        status.textContent = message;
      }
    }

    function answerChoice() {
      var ticked = chosen();
      if (!bar) {
        return;
      }
      announce(ticked.length
        ? text(bar.getAttribute("data-chosen"), { booths: ticked.map(described).join(", ") })
        : bar.getAttribute("data-none"));
    }

    function paintMap() {
      shapes.forEach(function (shape) {
        var input = byId[shape.getAttribute("data-booth-id")];
        var rect = shape.querySelector("rect");
        var own = shape.classList.contains("booth-own");
        shape.classList.toggle("booth-picked", Boolean(input && input.checked));
        if (input && input.checked) {
          shape.setAttribute("aria-selected", "true");
        } else {
          shape.removeAttribute("aria-selected");
        }
        if (!input || input.disabled) {
          shape.setAttribute("aria-disabled", "true");
        } else {
          shape.removeAttribute("aria-disabled");
        }
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
      saved = {};
      booths.forEach(function (booth) { saved[String(booth.id)] = booth.code; });
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

    inputs.forEach(function (input) {
      input.addEventListener("change", function () {
        update();
        answerChoice();
        showPending();
      });
    });

    // A tap on the plan (map.js tells which booth): tick or untick the booth's box.
    document.addEventListener("boothmap:select", function (event) {
      var input = byId[String(event.detail && event.detail.id)];
      if (!input || input.disabled) {
        paintMap();
        if (bar) {
          announce(text(bar.getAttribute("data-refused"), { code: (event.detail && event.detail.code) || "" }));
        }
        return;
      }
      input.checked = input.type === "radio" ? true : !input.checked;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      // On phones the details sheet would cover the Save button: the tick is the answer.
      var map = event.target && event.target.boothMap;
      if (map && map.closePanel && window.matchMedia && window.matchMedia("(max-width: 991.98px)").matches) {
        map.closePanel();
        paintMap(); // closing the details unmarks the booth on the map; the box says it is chosen
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
            announce(data.message);
          } else if (data.code === "taken") {
            show("danger", data.error);
            announce(data.error);
            return refresh();
          } else {
            show("danger", data.error);
            announce(data.error);
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
