// The cash desk: ticking charges fills the amount with their total (the cashier may still change it).
(function () {
  "use strict";
  var form = document.querySelector("form[data-pay-form]");
  if (!form) { return; }
  var amount = form.querySelector("input[name=amount]");
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=lines][form=pay-form]"));
  function fen(text) { var m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text || ""); return m ? parseInt(m[1], 10) * 100 + parseInt(((m[2] || "") + "00").slice(0, 2), 10) : 0; }
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      var total = 0;
      boxes.forEach(function (b) { if (b.checked) { total += fen(b.dataset.open); } });
      if (total) { amount.value = Math.floor(total / 100) + "." + ("0" + (total % 100)).slice(-2); }
    });
  });
})();
