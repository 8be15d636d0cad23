// tuanhang booth map: zoom and pan by changing the SVG's viewBox (mouse wheel, drag, pinch,
// the +/−/whole-hall buttons), a booth's details in a panel on click or tap, and finding a
// booth by code or participant name. The details come from the JSON block named by the
// widget's data-details (json_script), never from inline script.
//
// Other pages reuse it: every element with [data-booth-map] is set up on load, and a chosen
// booth fires "boothmap:select" on that element (detail: {id, code, status, booth: the panel's record}).
(function () {
  "use strict";

  var MIN_SHARE = 0.04; // zoom in until a 25th of the hall's width fills the frame
  var MAX_SHARE = 1.5; // zoom out until the hall is two thirds of the frame
  var TAP_SLOP = 6; // pixels a press may move and still count as a tap

  function fold(text) {
    return String(text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d")
      .toLowerCase()
      .trim();
  }

  function readBox(svg) {
    var v = svg.getAttribute("viewBox").split(/[\s,]+/).map(Number);
    return { x: v[0], y: v[1], w: v[2], h: v[3] };
  }

  function BoothMap(root) {
    this.root = root;
    this.svg = root.querySelector("svg.booth-map");
    this.home = readBox(this.svg);
    this.view = { x: this.home.x, y: this.home.y, w: this.home.w, h: this.home.h };
    var block = document.getElementById(root.getAttribute("data-details") || "booth-data");
    this.details = block ? JSON.parse(block.textContent) : { fields: [], booths: {} };
    this.pointers = new Map();
    this.pressed = null;
    this.moved = false;
    this.selected = null;
    this.panel = root.querySelector("[data-map-panel]");
    this.bind();
  }

  BoothMap.prototype.apply = function () {
    var v = this.view;
    this.svg.setAttribute("viewBox", [v.x, v.y, v.w, v.h].map(function (n) { return n.toFixed(3); }).join(" "));
  };

  // Screen pixels to SVG units (metres), whatever the frame's size and aspect.
  BoothMap.prototype.toSvg = function (clientX, clientY) {
    var point = this.svg.createSVGPoint();
    point.x = clientX;
    point.y = clientY;
    return point.matrixTransform(this.svg.getScreenCTM().inverse());
  };

  BoothMap.prototype.clampCentre = function () {
    var v = this.view, h = this.home;
    var cx = Math.min(Math.max(v.x + v.w / 2, h.x), h.x + h.w);
    var cy = Math.min(Math.max(v.y + v.h / 2, h.y), h.y + h.h);
    v.x = cx - v.w / 2;
    v.y = cy - v.h / 2;
  };

  BoothMap.prototype.zoomAt = function (point, factor) {
    var v = this.view;
    var width = Math.min(Math.max(v.w / factor, this.home.w * MIN_SHARE), this.home.w * MAX_SHARE);
    var k = v.w / width;
    v.x = point.x - (point.x - v.x) / k;
    v.y = point.y - (point.y - v.y) / k;
    v.w = width;
    v.h = v.h / k;
    this.clampCentre();
    this.apply();
  };

  BoothMap.prototype.zoomCentre = function (factor) {
    var v = this.view;
    this.zoomAt({ x: v.x + v.w / 2, y: v.y + v.h / 2 }, factor);
  };

  BoothMap.prototype.panBy = function (dxPixels, dyPixels) {
    var ctm = this.svg.getScreenCTM();
    this.view.x -= dxPixels / ctm.a;
    this.view.y -= dyPixels / ctm.d;
    this.clampCentre();
    this.apply();
  };

  BoothMap.prototype.reset = function () {
    this.view = { x: this.home.x, y: this.home.y, w: this.home.w, h: this.home.h };
    this.apply();
  };

  // Centre a booth and zoom so it and its neighbours fill the frame.
  BoothMap.prototype.showBooth = function (el) {
    var box = el.querySelector("rect").getBBox();
    var width = Math.min(this.home.w, Math.max(box.width * 8, this.home.w * 0.2));
    var height = width * (this.home.h / this.home.w);
    this.view = { x: box.x + box.width / 2 - width / 2, y: box.y + box.height / 2 - height / 2, w: width, h: height };
    this.apply();
  };

  BoothMap.prototype.pointerDown = function (event) {
    if (event.pointerType === "mouse" && event.button !== 0) {
      return;
    }
    this.pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (this.pointers.size === 1) {
      this.start = { x: event.clientX, y: event.clientY };
      this.moved = false;
      this.pressed = event.target.closest ? event.target.closest(".booth") : null;
    } else {
      this.pressed = null; // a second finger: pinching, not tapping
    }
    try {
      this.svg.setPointerCapture(event.pointerId);
    } catch (e) {
      // Pointers the browser does not know (synthetic events) simply go uncaptured.
    }
  };

  BoothMap.prototype.pointerMove = function (event) {
    var last = this.pointers.get(event.pointerId);
    if (!last) {
      return;
    }
    event.preventDefault();
    var now = { x: event.clientX, y: event.clientY };
    if (this.pointers.size === 1) {
      if (!this.moved && Math.hypot(now.x - this.start.x, now.y - this.start.y) < TAP_SLOP) {
        return;
      }
      this.moved = true;
      this.svg.classList.add("is-dragging");
      this.panBy(now.x - last.x, now.y - last.y);
      this.pointers.set(event.pointerId, now);
      return;
    }
    var others = [];
    this.pointers.forEach(function (p, id) {
      if (id !== event.pointerId) {
        others.push(p);
      }
    });
    var other = others[0];
    var before = Math.hypot(last.x - other.x, last.y - other.y);
    var after = Math.hypot(now.x - other.x, now.y - other.y);
    this.moved = true;
    this.panBy((now.x - last.x) / 2, (now.y - last.y) / 2);
    if (before > 0 && after > 0) {
      this.zoomAt(this.toSvg((now.x + other.x) / 2, (now.y + other.y) / 2), after / before);
    }
    this.pointers.set(event.pointerId, now);
  };

  BoothMap.prototype.pointerUp = function (event) {
    if (!this.pointers.has(event.pointerId)) {
      return;
    }
    this.pointers.delete(event.pointerId);
    if (this.pointers.size === 0) {
      this.svg.classList.remove("is-dragging");
      if (event.type === "pointerup" && !this.moved && this.pressed) {
        this.select(this.pressed);
      }
      this.pressed = null;
    }
  };

  BoothMap.prototype.wheel = function (event) {
    event.preventDefault();
    var step = event.deltaMode === 1 ? 0.05 : event.deltaMode === 2 ? 1 : 0.0015;
    this.zoomAt(this.toSvg(event.clientX, event.clientY), Math.exp(-event.deltaY * step));
  };

  // The panel's data for one booth: {code, own, values: [[label, value, key], …]}. The JSON
  // holds, per booth id, [code, value of each field…] in the order of details.fields.
  BoothMap.prototype.record = function (id) {
    var row = this.details.booths[id];
    var record = { code: row ? row[0] : "", own: (this.details.own || []).indexOf(Number(id)) !== -1, values: [] };
    if (row) {
      this.details.fields.forEach(function (field, i) {
        var value = row[i + 1];
        if (value !== undefined && value !== "") {
          record.values.push([field[1], value, field[0]]);
        }
      });
    }
    return record;
  };

  BoothMap.prototype.select = function (el) {
    if (this.selected) {
      this.selected.classList.remove("booth-selected");
    }
    this.selected = el;
    el.classList.add("booth-selected");
    var id = el.getAttribute("data-booth-id");
    var record = this.record(id);
    record.code = record.code || el.getAttribute("data-code");
    this.fillPanel(record);
    this.root.dispatchEvent(
      new CustomEvent("boothmap:select", {
        bubbles: true,
        detail: { id: Number(id), code: record.code, status: el.getAttribute("data-status"), booth: record },
      })
    );
  };

  BoothMap.prototype.fillPanel = function (record) {
    if (!this.panel) {
      return;
    }
    var list = this.panel.querySelector("[data-map-panel-fields]");
    this.panel.querySelector("[data-map-panel-empty]").hidden = true;
    this.panel.querySelector("[data-map-panel-title]").textContent = record.code;
    this.panel.querySelector("[data-map-panel-own]").hidden = !record.own;
    list.replaceChildren();
    record.values.forEach(function (item) {
      var dt = document.createElement("dt");
      var dd = document.createElement("dd");
      dt.textContent = item[0];
      dd.textContent = item[1];
      dd.setAttribute("data-field", item[2]);
      list.append(dt, dd);
    });
    this.panel.querySelector("[data-map-panel-body]").hidden = false;
    this.panel.classList.add("is-open");
  };

  BoothMap.prototype.closePanel = function () {
    if (this.selected) {
      this.selected.classList.remove("booth-selected");
      this.selected = null;
    }
    this.panel.classList.remove("is-open");
    this.panel.querySelector("[data-map-panel-body]").hidden = true;
    this.panel.querySelector("[data-map-panel-empty]").hidden = false;
  };

  // A booth code first (exact), then the first booth whose participant's name contains the words.
  BoothMap.prototype.find = function (query) {
    var wanted = fold(query);
    if (!wanted) {
      return null;
    }
    var booths = this.details.booths;
    var names = [];
    this.details.fields.forEach(function (field, i) {
      if (field[0] === "business" || field[0] === "sign") {
        names.push(i + 1);
      }
    });
    var ids = Object.keys(booths);
    var match = ids.find(function (id) { return fold(booths[id][0]) === wanted; }) ||
      ids.find(function (id) {
        return names.some(function (i) { return fold(booths[id][i]).indexOf(wanted) !== -1; });
      });
    return match ? this.svg.querySelector('.booth[data-booth-id="' + match + '"]') : null;
  };

  BoothMap.prototype.bind = function () {
    var self = this;
    var svg = this.svg;
    svg.addEventListener("pointerdown", function (e) { self.pointerDown(e); });
    svg.addEventListener("pointermove", function (e) { self.pointerMove(e); });
    svg.addEventListener("pointerup", function (e) { self.pointerUp(e); });
    svg.addEventListener("pointercancel", function (e) { self.pointerUp(e); });
    svg.addEventListener("wheel", function (e) { self.wheel(e); }, { passive: false });
    this.root.querySelectorAll("[data-map-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var action = button.getAttribute("data-map-zoom");
        if (action === "reset") {
          self.reset();
        } else {
          self.zoomCentre(action === "in" ? 1.5 : 1 / 1.5);
        }
      });
    });
    var close = this.root.querySelector("[data-map-panel-close]");
    if (close) {
      close.addEventListener("click", function () { self.closePanel(); });
    }
    var form = this.root.querySelector("[data-map-find]");
    var none = this.root.querySelector("[data-map-find-none]");
    if (form) {
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var el = self.find(form.querySelector("input").value);
        if (none) {
          none.hidden = Boolean(el);
        }
        if (el) {
          self.showBooth(el);
          self.select(el);
        }
      });
    }
  };

  // Booths looked for (data-focus="id,id", from ?booth=CODE): zoom to the first. Wide screens
  // also open its details; on a phone the panel would cover the plan, so a tap opens it.
  BoothMap.prototype.focusOnLoad = function (ids) {
    var first = String(ids || "").split(",")[0];
    var el = first ? this.svg.querySelector('.booth[data-booth-id="' + Number(first) + '"]') : null;
    if (!el) {
      return;
    }
    this.showBooth(el);
    if (window.matchMedia && window.matchMedia("(min-width: 992px)").matches) {
      this.select(el);
    } else {
      el.classList.add("booth-selected");
      this.selected = el;
    }
  };

  window.tuanhangBoothMap = { BoothMap: BoothMap, maps: [] };

  window.tuanhang.ready(function () {
    document.querySelectorAll("[data-booth-map]").forEach(function (root) {
      if (root.querySelector("svg.booth-map")) {
        var map = new BoothMap(root);
        root.boothMap = map;
        window.tuanhangBoothMap.maps.push(map);
        map.focusOnLoad(root.getAttribute("data-focus"));
      }
    });
  });
})();
