// A form that came back with errors: move the focus to its summary, so a keyboard or screen
// reader user starts there and a phone scrolls to it (templates/includes/error_summary.html).
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
