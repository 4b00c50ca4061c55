// The reminder schedule's page: say in words when the chosen crontab runs (django-celery-beat
// did this with an inline script, which the Content-Security-Policy refuses).
(function () {
  "use strict";
  const script = document.currentScript;
  const label = script.dataset.translationLabel;
  const data = document.getElementById("readable-crontabs");
  const crontab = document.getElementById("id_crontab");
  const help = document.querySelector(".field-crontab .help");
  const translation = document.querySelector(".field-crontab_translation");
  if (translation) {
    translation.hidden = true;
  }
  if (!data || !crontab || !help) {
    return;
  }
  const readable = JSON.parse(data.textContent);
  const original = help.textContent;
  crontab.addEventListener("change", function () {
    const words = readable[crontab.value];
    help.textContent = words ? original + " " + label + " " + words : original;
  });
})();
