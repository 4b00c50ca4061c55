// Disable the report button once the form is sent, so a double click sends one report.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) {
    return;
  }
  form.addEventListener("submit", function () {
    var buttons = form.querySelectorAll("[type=submit]");
    window.setTimeout(function () {
      buttons.forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });
})();
