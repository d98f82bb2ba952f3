// Keeps the shown clock on server time and disables the buttons once one
// is pressed. Only a convenience: the server records each form once.
(function () {
  "use strict";
  var clock = document.getElementById("server-time");
  if (clock) {
    var offset = Number(clock.dataset.serverEpoch) * 1000 - Date.now();
    var pad = function (n) { return n < 10 ? "0" + n : String(n); };
    var tick = function () {
      // Asia/Tokyo is UTC+9 all year (no daylight saving time).
      var tokyo = new Date(Date.now() + offset + 9 * 3600 * 1000);
      clock.textContent = pad(tokyo.getUTCHours()) + ":" + pad(tokyo.getUTCMinutes()) + ":" + pad(tokyo.getUTCSeconds());
    };
    tick();
    setInterval(tick, 1000);
  }
  var form = document.getElementById("punch-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      var pressed = event.submitter;
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      if (pressed) {
        var kind = document.createElement("input");
        kind.type = "hidden"; kind.name = pressed.name; kind.value = pressed.value;
        form.appendChild(kind);
      }
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    });
  }
})();
