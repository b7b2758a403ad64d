/* Charts of the review desk, drawn with uPlot (shipped in vendor/uplot, MIT). Each chart reads
   its data from a JSON block (json_script) named by data-source; the table beside each chart
   carries the same figures for screen readers and for copying.

   data-desk-chart="bars": decisions per day (dashboard).
   data-desk-chart="story": a figure's story (claim page): every report of the same figure by
   date, the qualifier's bounds as a vertical interval, contradictions in red, this claim
   ringed. */
(function () {
  "use strict";

  function css(name, fallback) {
    var v = getComputedStyle(document.documentElement).getPropertyValue(name);
    return (v && v.trim()) || fallback;
  }
  function data(el) {
    var source = document.getElementById(el.dataset.source);
    return source ? JSON.parse(source.textContent) : null;
  }
  function seconds(iso) {
    return Date.parse(iso + "T12:00:00Z") / 1000;
  }
  function width(el) {
    return Math.max(300, Math.floor(el.getBoundingClientRect().width) || 600);
  }

  function bars(el) {
    var d = data(el);
    if (!d || !window.uPlot) return;
    var xs = d.x.map(seconds);
    var fg = css("--body-fg", "#333");
    new window.uPlot(
      {
        width: width(el),
        height: 180,
        legend: { show: false },
        cursor: { show: true, points: { show: false } },
        scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, Math.max(4, max)]; } } },
        axes: [
          { stroke: fg, grid: { show: false } },
          { stroke: fg, grid: { stroke: css("--hairline-color", "#ddd") } }
        ],
        series: [
          {},
          {
            label: d.label,
            fill: css("--desk-in_review", "#1f5fbf"),
            stroke: css("--desk-in_review", "#1f5fbf"),
            paths: window.uPlot.paths.bars({ size: [0.7, 40] }),
            points: { show: false }
          }
        ]
      },
      [xs, d.y],
      el
    );
  }

  function story(el) {
    var d = data(el);
    if (!d || !window.uPlot || !d.points.length) return;
    var pts = d.points;
    var xs = pts.map(function (p) { return seconds(p.reported); });
    var mid = pts.map(function (p) { return p.mid; });
    var fg = css("--body-fg", "#333");
    var ok = css("--desk-verified", "#1b7a3d");
    var bad = css("--desk-refuted", "#b3261e");
    var lo = Math.min.apply(null, pts.map(function (p) { return p.low === null ? p.mid : p.low; }));
    var hi = Math.max.apply(null, pts.map(function (p) { return p.high === null ? p.mid : p.high; }));
    // Room above and below the figures; a flat series (every report says 53,000) gets a tenth
    // of its size, not one unit, so the axis reads 48,000-58,000 rather than 52,999-53,001.
    var pad = Math.max(1, (hi - lo) * 0.15, Math.abs(hi) * 0.1);
    var day = 86400;

    function intervals(u) {
      var ctx = u.ctx;
      ctx.save();
      ctx.lineWidth = 2 * devicePixelRatio;
      pts.forEach(function (p, i) {
        var x = u.valToPos(xs[i], "x", true);
        var top = p.high === null ? u.bbox.top : u.valToPos(p.high, "y", true);
        var bottom = p.low === null ? u.bbox.top + u.bbox.height : u.valToPos(p.low, "y", true);
        var colour = p.contradicts ? bad : ok;
        ctx.strokeStyle = colour;
        ctx.fillStyle = colour;
        if (p.low !== p.high) {
          ctx.setLineDash(p.low === null || p.high === null ? [4 * devicePixelRatio, 3 * devicePixelRatio] : []);
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, bottom);
          ctx.stroke();
          ctx.setLineDash([]);
          [top, bottom].forEach(function (y, end) {
            var open = end === 0 ? p.high === null : p.low === null;
            if (open) return; // an open bound ("more than") runs to the edge, no cap
            ctx.beginPath();
            ctx.moveTo(x - 5 * devicePixelRatio, y);
            ctx.lineTo(x + 5 * devicePixelRatio, y);
            ctx.stroke();
          });
        }
        var y = u.valToPos(p.mid, "y", true);
        ctx.beginPath();
        if (p.contradicts) {
          var s = 6 * devicePixelRatio; // a cross: contradicts this claim
          ctx.moveTo(x - s, y - s); ctx.lineTo(x + s, y + s);
          ctx.moveTo(x + s, y - s); ctx.lineTo(x - s, y + s);
          ctx.stroke();
        } else {
          ctx.arc(x, y, 4.5 * devicePixelRatio, 0, 2 * Math.PI);
          ctx.fill();
        }
        if (p.current) {
          ctx.beginPath();
          ctx.strokeStyle = fg;
          ctx.arc(x, y, 9 * devicePixelRatio, 0, 2 * Math.PI);
          ctx.stroke();
        }
      });
      ctx.restore();
    }

    new window.uPlot(
      {
        width: width(el),
        height: 260,
        legend: { show: false },
        cursor: { points: { show: false } },
        scales: {
          x: { time: true, range: function () { return [Math.min.apply(null, xs) - 3 * day, Math.max.apply(null, xs) + 3 * day]; } },
          y: { range: function () { return [Math.max(0, lo - pad), hi + pad]; } }
        },
        axes: [
          { stroke: fg, grid: { stroke: css("--hairline-color", "#ddd") } },
          // Wide enough for "1,200,000" beside the unit's label, which would overlap otherwise.
          { stroke: fg, label: d.unit, size: 80, grid: { stroke: css("--hairline-color", "#ddd") } }
        ],
        series: [{}, { label: d.unit, stroke: css("--body-quiet-color", "#888"), width: 1, points: { show: false }, spanGaps: true }],
        hooks: { draw: [intervals] }
      },
      [xs, mid],
      el
    );
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-desk-chart]").forEach(function (el) {
      if (el.dataset.deskChart === "bars") bars(el);
      if (el.dataset.deskChart === "story") story(el);
      el.dataset.drawn = "1";
    });
  });
})();
