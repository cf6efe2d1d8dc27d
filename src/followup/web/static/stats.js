// The Stats page's charts (uPlot), drawn from the same JSON as /api/stats. The numbers are
// also in the tables beside each chart, so the page reads fine without this script.
(function () {
  "use strict";

  var COLOR = "#2f6f62";

  function pct(v) {
    return v == null ? "" : Math.round(v * 100) + " %";
  }

  function bars(id, labels, values, opts) {
    var el = document.getElementById(id);
    if (!el || !window.uPlot || !labels.length) {
      return;
    }
    var xs = labels.map(function (_, i) { return i; });
    var max = opts.max != null ? opts.max : Math.max(1, Math.max.apply(null, values.map(function (v) { return v || 0; })));
    var chart = new window.uPlot(
      {
        width: Math.max(280, Math.min(el.clientWidth || 480, 640)),
        height: 200,
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { time: false, range: [-0.5, labels.length - 0.5] },
          y: { range: [0, max] },
        },
        axes: [
          {
            splits: function () { return xs; },
            values: function (u, splits) { return splits.map(function (i) { return labels[i] || ""; }); },
          },
          {
            values: function (u, splits) { return splits.map(opts.format); },
            size: 56,
          },
        ],
        series: [
          {},
          {
            label: opts.label,
            stroke: COLOR,
            fill: "rgba(47, 111, 98, 0.55)",
            points: { show: false },
            paths: window.uPlot.paths.bars({ size: [0.6, 64] }),
          },
        ],
      },
      [xs, values],
      el
    );
    el.setAttribute("data-drawn", "true");
    return chart;
  }

  function rates(rows, key, withKind) {
    return {
      labels: rows.map(function (r) { return String(r[key]) + (withKind && r.kind ? " " + r.kind : ""); }),
      values: rows.map(function (r) { return r.rate; }),
    };
  }

  function draw(data) {
    var rateOpts = { label: "reply rate", format: pct, max: 1 };
    var step = rates(data.reply_rate_by_step, "step", true);
    bars("chart-by-step", step.labels, step.values, rateOpts);
    var tone = rates(data.reply_rate_by_tone, "tone", false);
    bars("chart-by-tone", tone.labels, tone.values, rateOpts);
    var days = rates(data.reply_rate_by_days_to_send, "days", false);
    bars("chart-by-days", days.labels, days.values, rateOpts);
    var weeks = data.sent_per_week;
    bars(
      "chart-per-week",
      weeks.map(function (w) { return w.week.slice(6); }),
      weeks.map(function (w) { return w.sent; }),
      { label: "notes sent", format: function (v) { return String(v); } }
    );
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!document.getElementById("chart-by-step")) {
      return;
    }
    fetch("/api/stats" + window.location.search, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { draw(data); } });
  });
})();
