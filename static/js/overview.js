// Draw the overview's charts from the JSON the view embeds (no inline script: CSP-friendly).
// Each chart has a table beside it with the same figures, for readers who cannot see it.
(function () {
  "use strict";
  var source = document.getElementById("overview-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var printing = window.matchMedia("print");
  Chart.defaults.animation = reducedMotion ? false : Chart.defaults.animation;
  Chart.defaults.maintainAspectRatio = false;
  var charts = [];

  document.querySelectorAll("canvas.indicator-chart").forEach(function (canvas) {
    var series = data.indicators[Number(canvas.dataset.index)];
    if (!series || !series.labels.length) {
      return;
    }
    charts.push(new Chart(canvas, {
      type: "line",
      data: {
        labels: series.labels,
        datasets: [
          { label: canvas.dataset.readingLabel, data: series.values, borderColor: "#0d6efd", backgroundColor: "#0d6efd" },
          {
            label: canvas.dataset.targetLabel,
            data: series.labels.map(function () { return series.target; }),
            borderColor: "#dc3545", borderDash: [6, 4], pointRadius: 0
          }
        ]
      },
      options: { plugins: { title: { display: false } } }
    }));
  });

  var areas = document.getElementById("chart-areas");
  if (areas && data.areas.labels.length) {
    charts.push(new Chart(areas, {
      type: "bar",
      data: {
        labels: data.areas.labels,
        datasets: [
          { label: areas.dataset.completionLabel, data: data.areas.completion, backgroundColor: "#198754", yAxisID: "y" },
          { label: areas.dataset.overdueLabel, data: data.areas.overdue, backgroundColor: "#dc3545", yAxisID: "y1" }
        ]
      },
      options: {
        scales: {
          y: { min: 0, max: 100, position: "left" },
          y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false }, ticks: { precision: 0 } }
        },
        plugins: {
          tooltip: {
            callbacks: {
              title: function (items) {
                return items.length ? data.areas.titles[items[0].dataIndex] : "";
              }
            }
          }
        }
      }
    }));
  }

  var departments = document.getElementById("chart-departments");
  if (departments && data.departments.labels.length) {
    charts.push(new Chart(departments, {
      type: "bar",
      data: {
        labels: data.departments.labels,
        datasets: [{ label: departments.dataset.label, data: data.departments.on_time, backgroundColor: "#0d6efd" }]
      },
      options: { indexAxis: "y", scales: { x: { min: 0, max: 100 } }, plugins: { legend: { display: false } } }
    }));
  }

  // Redraw at the printed width, so the charts are not cut or blurred on paper.
  function resize() {
    charts.forEach(function (chart) { chart.resize(); });
  }
  if (printing.addEventListener) {
    printing.addEventListener("change", resize);
  }
  window.addEventListener("beforeprint", resize);
})();

// The report links: start a job, show its progress, download the file when it is ready. The
// links themselves work without this script (the report is then made while the reader waits).
(function () {
  "use strict";
  var form = document.getElementById("report-job-form");
  if (!form || !window.fetch) {
    return;
  }
  var states = ["running", "ready", "failed"];
  function show(state) {
    states.forEach(function (name) {
      var element = document.getElementById("report-progress-" + name);
      if (element) {
        element.classList.toggle("d-none", name !== state);
      }
    });
  }
  function poll(url, deadline) {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (job.state === "ready") {
          show("ready");
          window.location.assign(job.download_url);
        } else if (job.state === "failed" || Date.now() > deadline) {
          show("failed");
        } else {
          window.setTimeout(function () { poll(url, deadline); }, 500);
        }
      })
      .catch(function () { show("failed"); });
  }
  document.querySelectorAll("a.report-link").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      data.append("format", link.dataset.format);
      show("running");
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          if (response.status !== 202) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (job) { poll(job.status_url, Date.now() + 5 * 60 * 1000); })
        .catch(function () { show("failed"); });
    });
  });
})();
