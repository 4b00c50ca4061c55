// Names for the admin's own widgets, which Django draws without one a screen reader can use:
// - the autocomplete boxes (Select2): the search box has no label and the single choice box is
//   named by its current value alone; the "remove all" cross sits inside the list of choices
//   (a list holds list items only);
// - the filter boxes of a two-list choice (SelectFilter2): an icon span with aria-label and no
//   role, which aria does not allow;
// - the date and time boxes of a date-and-time field: "Date:" and "Time:" are plain text.
// The widgets are drawn and redrawn by script, so this follows every redraw.
(function () {
  "use strict";

  function fieldLabel(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (!label) {
      return null;
    }
    if (!label.id) {
      label.id = select.id + "_label";
    }
    return label;
  }

  function setAttribute(element, name, value) {
    if (element.getAttribute(name) !== value) {
      element.setAttribute(name, value);
    }
  }

  function labelContainer(select) {
    var container = select.nextElementSibling;
    var label = fieldLabel(select);
    if (!label || !container || !container.classList.contains("select2")) {
      return;
    }
    var name = label.textContent.trim().replace(/[:：]$/, "");
    container.querySelectorAll(".select2-search__field").forEach(function (field) {
      setAttribute(field, "aria-label", name);
    });
    container.querySelectorAll(".select2-selection--single").forEach(function (box) {
      var rendered = box.querySelector(".select2-selection__rendered");
      setAttribute(box, "aria-labelledby", label.id + (rendered ? " " + rendered.id : ""));
      if (rendered) {
        setAttribute(rendered, "aria-labelledby", label.id);
      }
    });
    container.querySelectorAll(".select2-selection--multiple").forEach(function (box) {
      var list = box.querySelector("ul.select2-selection__rendered");
      var clear = list && list.querySelector(":scope > .select2-selection__clear");
      if (clear) {
        box.insertBefore(clear, list);
      }
      setAttribute(box, "aria-labelledby", label.id);
    });
  }

  // A single choice box searches in a dropdown drawn at the end of the page, one at a time.
  function labelOpenDropdown() {
    var field = document.querySelector(".select2-dropdown .select2-search__field");
    var open = document.querySelector(".select2.select2-container--open");
    var select = open && open.previousElementSibling;
    var label = select && fieldLabel(select);
    if (field && label) {
      setAttribute(field, "aria-label", label.textContent.trim().replace(/[:：]$/, ""));
    }
  }

  function rowLabel(element) {
    var row = element.closest(".form-row, .flex-container");
    var label = row && row.querySelector("label");
    return label ? label.textContent.trim().replace(/[:：]$/, "") : "";
  }

  function labelDateTime(paragraph) {
    var field = rowLabel(paragraph);
    paragraph.querySelectorAll("input[type=text]").forEach(function (input) {
      var before = input.previousSibling;
      var part = before && before.nodeType === Node.TEXT_NODE ? before.textContent.trim() : "";
      setAttribute(input, "aria-label", (field + " " + part.replace(/[:：]$/, "")).trim());
    });
  }

  function update() {
    document.querySelectorAll("select.admin-autocomplete").forEach(labelContainer);
    labelOpenDropdown();
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    document.querySelectorAll("p.datetime").forEach(labelDateTime);
  }

  // Each change sets only what differs, so its own changes end the round.
  new MutationObserver(update).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", update);
})();
