// django-import-export's export page: wire the "select all" box without an inline handler,
// which the Content-Security-Policy blocks. onSelectToggleChange comes from the package's
// export_selectable_fields.js, loaded just before this file.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", onSelectToggleChange);
  });
});
