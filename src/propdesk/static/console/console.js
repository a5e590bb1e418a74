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
  document.addEventListener("click", function (e) {
    if (live && box && !live.contains(e.target) && e.target !== box) { live.innerHTML = ""; }
  });

  // The language menu switches on change; its button remains for browsers without script.
  var lang = document.querySelector("form.lang select");
  if (lang) { lang.addEventListener("change", function () { lang.form.submit(); }); }
})();
