// Small helpers of the owner portal; every page works without them (no inline script: see the CSP).
(function () {
  "use strict";
  // A form marked data-disable-on-submit disables its submit button once sent (no double requests).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.hasAttribute || !form.hasAttribute("data-disable-on-submit")) { return; }
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
  });
})();
