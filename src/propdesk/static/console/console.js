// Small keyboard helpers for the staff console; every page works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var box = document.getElementById("lookup-q");
  var live = document.getElementById("lookup-live");

  document.addEventListener("keydown", function (e) {
    var tag = (e.target.tagName || "").toLowerCase();
    var typing = tag === "input" || tag === "textarea" || tag === "select" || e.target.isContentEditable;
    if (e.key === "/" && !typing && box) {  // "/" jumps to the lookup box from anywhere
      e.preventDefault();
      box.focus();
      box.select();
    } else if (e.key === "Escape" && live && live.innerHTML) {
      live.innerHTML = "";
      if (box) { box.focus(); }
    } else if (e.key === "ArrowDown" && live && (e.target === box || live.contains(e.target))) {
      moveFocus(1, e);
    } else if (e.key === "ArrowUp" && live && live.contains(e.target)) {
      moveFocus(-1, e);
    }
  });

  function moveFocus(step, e) {
    var links = Array.prototype.slice.call(live.querySelectorAll("a"));
    if (!links.length) { return; }
    e.preventDefault();
    var i = links.indexOf(document.activeElement);
    if (i === -1) { links[0].focus(); return; }
    if (i + step < 0) { box.focus(); return; }
    links[Math.min(i + step, links.length - 1)].focus();
  }

  // Clicking outside the live results closes them.
  // The area menus of the navigation bar: one open at a time, closed by a click elsewhere or Escape.
  var groups = Array.prototype.slice.call(document.querySelectorAll(".navgroup"));
  groups.forEach(function (g) {
    g.addEventListener("toggle", function () {
      if (g.open) { groups.forEach(function (o) { if (o !== g) { o.open = false; } }); }
    });
  });
  document.addEventListener("click", function (e) {
    groups.forEach(function (g) { if (g.open && !g.contains(e.target)) { g.open = false; } });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { groups.forEach(function (g) { g.open = false; }); }
  });

  document.addEventListener("click", function (e) {
    if (live && box && !live.contains(e.target) && e.target !== box) { live.innerHTML = ""; }
  });

  // The language menu switches on change; its button remains for browsers without script.
  var lang = document.querySelector("form.lang select");
  if (lang) { lang.addEventListener("change", function () { lang.form.submit(); }); }
  // A select marked data-autosubmit sends its form on change (no inline handler: see the CSP).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // Countdowns tick from their data-due time; the colour follows the warning and due times. They count
  // on the server's clock, not the desk PC's: the page says when the server rendered it.
  var served = parseInt(document.body.dataset.serverNow || "", 10) * 1000;
  var skew = isNaN(served) ? 0 : served - Date.now();
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var now = Date.now() + skew;
    document.querySelectorAll(".countdown[data-due]").forEach(function (el) {
      var due = Date.parse(el.dataset.due), warn = Date.parse(el.dataset.warn || "");
      if (isNaN(due)) { return; }
      var s = Math.round((due - now) / 1000), sign = s < 0 ? "\u2212" : "";
      s = Math.abs(s);
      var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
      el.textContent = d ? sign + d + (el.dataset.dayLabel || "d") + " " + pad(h) + ":" + pad(m)
                         : sign + h + ":" + pad(m) + ":" + pad(s % 60);
      if (now >= due) { el.classList.remove("lv-ok", "lv-warned"); el.classList.add("lv-late"); }
      else if (!isNaN(warn) && now >= warn && el.classList.contains("lv-ok")) {
        el.classList.remove("lv-ok"); el.classList.add("lv-warned");
      }
    });
  }
  if (document.querySelector(".countdown[data-due]")) { tick(); setInterval(tick, 1000); }

  // Ctrl+Enter (or Cmd+Enter) submits a form marked data-ctrl-enter, from any of its fields.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || !(e.ctrlKey || e.metaKey)) { return; }
    var form = e.target.closest && e.target.closest("form[data-ctrl-enter]");
    if (form) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.submit(); }
  });

  // Intake: picking the caller fills requester, name and unit, then moves on to the description.
  document.addEventListener("click", function (e) {
    var pick = e.target.closest && e.target.closest("[data-pick]");
    if (!pick) { return; }
    var form = pick.form || document.getElementById("intake");
    function set(name, value) { var f = form.elements[name]; if (f && value !== undefined) { f.value = value; } }
    set("requester", pick.dataset.requester);
    set("contact_name", pick.dataset.name);
    set("unit", pick.dataset.unit || "");
    set("unit_label", pick.dataset.unitLabel || "");
    if (pick.dataset.project) { set("project", pick.dataset.project); }
    form.querySelectorAll("[data-pick]").forEach(function (b) { b.classList.toggle("picked", b === pick); });
    var next = form.elements.kind;
    if (next) { next.focus(); }
  });
  // Typing a unit by hand forgets a picked one.
  document.addEventListener("input", function (e) {
    if (e.target.name === "unit_label" && e.target.form && e.target.form.elements.unit) {
      e.target.form.elements.unit.value = "";
    }
  });

  // A form is sent once: a second click while the first is on its way does nothing.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.dataset.sent) { e.preventDefault(); return; }
    form.dataset.sent = "1";
    setTimeout(function () { delete form.dataset.sent; }, 5000);
  });
})();
