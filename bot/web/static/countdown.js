// Live SLA countdowns: every element with data-deadline (ISO 8601) shows the time left.
(function () {
  function fmt(ms) {
    var s = Math.round(Math.abs(ms) / 1000), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600),
        m = Math.floor(s % 3600 / 60), r = s % 60;
    var t = d > 0 ? d + "d " + h + "h" : h > 0 ? h + "h " + m + "m" : m + "m " + r + "s";
    return ms < 0 ? "overdue " + t : t;
  }
  function tick() {
    var skew = Number(document.body.dataset.clockOffsetMs || 0);
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      var left = Date.parse(el.dataset.deadline) - (Date.now() + skew);
      el.textContent = fmt(left);
      el.classList.toggle("overdue", left < 0);
      el.classList.toggle("soon", left >= 0 && left < 3600 * 1000);
    });
  }
  tick();
  setInterval(tick, 1000);
})();
