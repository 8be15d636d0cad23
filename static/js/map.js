// tuanhang booth map: zoom and pan by changing the SVG's viewBox (mouse wheel, drag, pinch,
// the +/−/whole-hall buttons), a booth's details in a panel on click or tap, and finding a
// booth by code or participant name. The details come from the JSON block named by the
// widget's data-details (json_script), never from inline script.
//
// Other pages reuse it: every element with [data-booth-map] is set up on load, and a chosen
// booth fires "boothmap:select" on that element (detail: {id, code, status, booth: the panel's record}).
//
// Keyboard and screen readers: the <svg> is ONE tab stop, a role="listbox" whose booths are
// role="option" named in full (booths/svg/names.py), with aria-activedescendant (the WAI-ARIA
// APG listbox pattern): the arrow keys move to the nearest booth in that direction, Home/End
// to the first/last booth in reading order, Enter or Space chooses (as a tap does), Escape
// closes the details, + and − zoom. The list view beside the map ([data-map-list], links to
// ?booth=CODE that work without JavaScript) is kept in step: choosing in one shows in the other.
// On a small screen the plan opens zoomed so that a booth is at least 24 px and its code readable.
(function () {
  "use strict";

  var MIN_SHARE = 0.04; // zoom in until a 25th of the hall's width fills the frame
  var MAX_SHARE = 1.5; // zoom out until the hall is two thirds of the frame
  var TAP_SLOP = 6; // pixels a press may move and still count as a tap
  var TARGET_PX = 24; // the smallest a booth may be drawn when the plan opens (WCAG 2.2 target size)
  var READABLE_PX = 11; // and the height of its code's letters

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
    this.active = null;
    this.list = root.querySelector("[data-map-list]");
    this.bind();
    this.bindKeys();
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
      this.selected.removeAttribute("aria-selected");
    }
    this.selected = el;
    el.classList.add("booth-selected");
    el.setAttribute("aria-selected", "true");
    this.setActive(el, false);
    this.markList(el.getAttribute("data-booth-id"));
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
      this.selected.removeAttribute("aria-selected");
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

  // --- keyboard, list view, opening zoom ---------------------------------------------------

  // Every booth's rectangle in metres, in reading order (top to bottom, left to right).
  BoothMap.prototype.boxes = function () {
    if (!this.boxList) {
      this.boxList = Array.prototype.map.call(this.svg.querySelectorAll(".booth[data-booth-id]"), function (el) {
        var r = el.querySelector("rect");
        var b = { el: el, x: +r.getAttribute("x"), y: +r.getAttribute("y") };
        b.w = +r.getAttribute("width");
        b.h = +r.getAttribute("height");
        return b;
      });
      this.boxList.sort(function (a, b) { return a.y - b.y || a.x - b.x; });
    }
    return this.boxList;
  };

  BoothMap.prototype.boxOf = function (el) {
    return this.boxes().find(function (b) { return b.el === el; });
  };

  // The nearest booth from `from` in the direction (dx, dy): distance along that direction,
  // plus three times the gap across it, so the next booth of the same row (gap 0) wins over a
  // nearer one diagonally.
  BoothMap.prototype.nearest = function (from, dx, dy) {
    var best = null, bestScore = Infinity;
    var fcx = from.x + from.w / 2, fcy = from.y + from.h / 2;
    this.boxes().forEach(function (b) {
      var cx = b.x + b.w / 2, cy = b.y + b.h / 2;
      var along = (cx - fcx) * dx + (cy - fcy) * dy;
      if (b === from || along <= 0.01) {
        return;
      }
      var gap = dx !== 0
        ? Math.max(0, b.y - (from.y + from.h), from.y - (b.y + b.h))
        : Math.max(0, b.x - (from.x + from.w), from.x - (b.x + b.w));
      var score = along + 3 * gap + 0.01 * Math.abs(dx !== 0 ? cy - fcy : cx - fcx);
      if (score < bestScore) {
        best = b;
        bestScore = score;
      }
    });
    return best;
  };

  // Where the keyboard starts: the chosen booth, the one looked for, one's own, a pickable one, the first.
  BoothMap.prototype.startBooth = function () {
    var svg = this.svg;
    var el = this.selected || svg.querySelector(".booth-picked, .booth-focus, .booth-own, .booth-pickable");
    return el || (this.boxes()[0] && this.boxes()[0].el) || null;
  };

  BoothMap.prototype.setActive = function (el, reveal) {
    if (this.active && this.active !== el) {
      this.active.classList.remove("booth-active");
    }
    this.active = el;
    el.classList.add("booth-active");
    this.svg.setAttribute("aria-activedescendant", el.id);
    if (reveal) {
      this.reveal(el);
    }
  };

  // Pan (keeping the zoom) so the booth is in view with a margin.
  BoothMap.prototype.reveal = function (el) {
    var b = this.boxOf(el), v = this.view;
    if (!b) {
      return;
    }
    var m = Math.min(v.w, v.h) * 0.1;
    if (b.x - m >= v.x && b.y - m >= v.y && b.x + b.w + m <= v.x + v.w && b.y + b.h + m <= v.y + v.h) {
      return;
    }
    v.x = b.x + b.w / 2 - v.w / 2;
    v.y = b.y + b.h / 2 - v.h / 2;
    this.clampInside();
    this.apply();
  };

  // Keep a zoomed view inside the plan (no empty band beyond the hall's edge).
  BoothMap.prototype.clampInside = function () {
    var v = this.view, h = this.home;
    if (v.w < h.w) {
      v.x = Math.min(Math.max(v.x, h.x), h.x + h.w - v.w);
    }
    if (v.h < h.h) {
      v.y = Math.min(Math.max(v.y, h.y), h.y + h.h - v.h);
    }
  };

  // Open zoomed in when the whole hall would draw a booth under 24 px or its code too small to
  // read: around `el` (the booth looked for, chosen or one's own) or the first booth.
  BoothMap.prototype.openReadable = function (el) {
    var ctm = this.svg.getScreenCTM();
    var boxes = this.boxes();
    if (!ctm || !ctm.a || !boxes.length) {
      return;
    }
    var sizes = boxes.map(function (b) { return Math.min(b.w, b.h); }).sort(function (a, b) { return a - b; });
    var typical = sizes[Math.floor(sizes.length / 2)];
    var need = Math.max(TARGET_PX / typical, READABLE_PX / (0.6 * Math.min(1, typical / 3)));
    if (ctm.a >= need) {
      return;
    }
    var b = (el && this.boxOf(el)) || boxes[0];
    var width = this.view.w * ctm.a / need;
    var height = width * (this.home.h / this.home.w);
    this.view = { x: b.x + b.w / 2 - width / 2, y: b.y + b.h / 2 - height / 2, w: width, h: height };
    this.clampInside();
    this.apply();
  };

  BoothMap.prototype.key = function (event) {
    var moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    var boxes = this.boxes();
    var target = null;
    if (event.altKey || event.ctrlKey || event.metaKey || !boxes.length) {
      return;
    }
    if (moves[event.key]) {
      var from = this.active && this.boxOf(this.active);
      var next = from ? this.nearest(from, moves[event.key][0], moves[event.key][1]) : this.boxOf(this.startBooth());
      target = next ? next.el : this.active;
    } else if (event.key === "Home") {
      target = boxes[0].el;
    } else if (event.key === "End") {
      target = boxes[boxes.length - 1].el;
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (this.active) {
        this.select(this.active);
      }
      return;
    } else if (event.key === "Escape" && this.panel && this.panel.classList.contains("is-open")) {
      this.closePanel();
    } else if (event.key === "+" || event.key === "=" || event.key === "-") {
      this.zoomCentre(event.key === "-" ? 1 / 1.5 : 1.5);
    } else {
      return;
    }
    event.preventDefault();
    if (target) {
      this.setActive(target, true);
    }
  };

  // Mark the chosen booth in the list view (aria-current) and open the list at it.
  BoothMap.prototype.markList = function (id) {
    if (!this.list) {
      return;
    }
    this.list.querySelectorAll("[data-booth-link][aria-current]").forEach(function (a) {
      a.removeAttribute("aria-current");
    });
    var link = this.list.querySelector('[data-booth-link="' + Number(id) + '"]');
    if (link) {
      link.setAttribute("aria-current", "true");
    }
  };

  BoothMap.prototype.bindKeys = function () {
    var self = this;
    var svg = this.svg;
    if (svg.getAttribute("role") !== "listbox") {
      return;
    }
    var help = this.root.querySelector("#booth-map-help");
    if (help) {
      svg.setAttribute("aria-describedby", help.id);
    }
    svg.addEventListener("keydown", function (e) { self.key(e); });
    svg.addEventListener("focus", function () {
      if (!self.active) {
        var el = self.startBooth();
        if (el) {
          self.setActive(el, true);
        }
      } else {
        svg.setAttribute("aria-activedescendant", self.active.id);
      }
    });
    if (this.list) {
      this.list.addEventListener("click", function (e) {
        var link = e.target.closest ? e.target.closest("[data-booth-link]") : null;
        var el = link && svg.querySelector('.booth[data-booth-id="' + Number(link.getAttribute("data-booth-link")) + '"]');
        if (el) {
          e.preventDefault();
          self.showBooth(el);
          self.select(el);
        }
      });
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
        map.openReadable(map.selected || map.startBooth());
      }
    });
  });
})();
