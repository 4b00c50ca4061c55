// Draw the dashboard charts from the JSON the view embeds (no inline script: CSP-friendly).
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  Chart.defaults.animation = reducedMotion ? false : Chart.defaults.animation;
  Chart.defaults.maintainAspectRatio = false;

  var areas = document.getElementById("chart-areas");
  if (areas && data.areas.labels.length) {
    new Chart(areas, {
      type: "bar",
      data: {
        labels: data.areas.labels,
        datasets: [{ label: areas.dataset.title, data: data.areas.completion, backgroundColor: "#198754" }]
      },
      options: {
        indexAxis: "y",
        // Every area gets its label: Chart.js would skip some to save room.
        scales: { x: { min: 0, max: 100 }, y: { ticks: { autoSkip: false } } },
        plugins: {
          legend: { display: false },
          title: { display: true, text: areas.dataset.title },
          tooltip: {
            callbacks: {
              title: function (items) {
                return items.length ? data.areas.titles[items[0].dataIndex] : "";
              }
            }
          }
        }
      }
    });
  }

  var months = document.getElementById("chart-months");
  if (months && data.months.labels.length) {
    new Chart(months, {
      type: "bar",
      data: {
        labels: data.months.labels,
        datasets: [
          { label: months.dataset.openLabel, data: data.months.open, backgroundColor: "#0d6efd" },
          { label: months.dataset.overdueLabel, data: data.months.overdue, backgroundColor: "#dc3545" }
        ]
      },
      options: {
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { title: { display: true, text: months.dataset.title } }
      }
    });
  }
})();
