// Public affairs pages (issue 13): confirmations, the claimant's signature pad, recalling a known visitor.
// Every page works without it: the forms post as plain forms.
(function () {
  "use strict";

  // Buttons marked data-confirm ask before a destructive or final action.
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (e) {
      if (!window.confirm(button.getAttribute("data-confirm"))) { e.preventDefault(); }
    });
  });

  // The signature pad writes a PNG data URL into the form's hidden field when the form is sent.
  document.querySelectorAll("canvas.signature-pad").forEach(function (canvas) {
    var ctx = canvas.getContext("2d");
    var drawing = false, drawn = false;
    ctx.lineWidth = 2; ctx.lineCap = "round"; ctx.strokeStyle = "#111";
    function point(e) {
      var r = canvas.getBoundingClientRect();
      return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height];
    }
    canvas.addEventListener("pointerdown", function (e) { drawing = true; var p = point(e); ctx.beginPath(); ctx.moveTo(p[0], p[1]); });
    canvas.addEventListener("pointermove", function (e) { if (!drawing) { return; } var p = point(e); ctx.lineTo(p[0], p[1]); ctx.stroke(); drawn = true; });
    ["pointerup", "pointerleave"].forEach(function (t) { canvas.addEventListener(t, function () { drawing = false; }); });
    var clear = canvas.parentNode.querySelector("[data-clear-signature]");
    if (clear) { clear.addEventListener("click", function () { ctx.clearRect(0, 0, canvas.width, canvas.height); drawn = false; }); }
    var form = canvas.closest("form");
    var target = document.getElementById(canvas.getAttribute("data-target"));
    if (form && target) {
      form.addEventListener("submit", function () { target.value = drawn ? canvas.toDataURL("image/png") : ""; });
    }
  });

  // The visitor form: an ID number or phone typed (or read by a scanner) recalls a known visitor and fills
  // the name and plate, so the guard only types the unit.
  var form = document.getElementById("visitor-form");
  if (form) {
    var out = document.getElementById("recalled");
    var recall = function (field) {
      var value = form.elements[field].value.trim();
      if (value.length < 6) { return; }
      var url = form.getAttribute("data-recall") + "?project=" + encodeURIComponent(form.elements.project.value) +
        "&" + field + "=" + encodeURIComponent(value);
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
        out.innerHTML = html;
        var known = out.querySelector(".recalled");
        if (!known) { return; }
        ["name", "phone", "plate"].forEach(function (f) {
          if (form.elements[f] && !form.elements[f].value) { form.elements[f].value = known.getAttribute("data-" + f) || ""; }
        });
      });
    };
    ["id_number", "phone"].forEach(function (f) {
      if (form.elements[f]) { form.elements[f].addEventListener("change", function () { recall(f); }); }
    });
  }
}());
