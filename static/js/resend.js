// 「混み合っています。自動で再送します…」: the form the server could not take yet is
// sent again, unchanged (same one-time token, the receipt of its first arrival),
// once Retry-After has passed. Counting down on the page, so the wait is visible.
(function () {
  "use strict";
  var form = document.getElementById("resend");
  if (!form) { return; }
  var left = parseInt(form.getAttribute("data-seconds"), 10) || 3;
  var shown = form.querySelector("[data-countdown]");
  var sent = false;
  function send() {
    if (sent) { return; }
    sent = true;
    form.submit();
  }
  form.addEventListener("submit", function () { sent = true; });
  var timer = setInterval(function () {
    left -= 1;
    if (shown) { shown.textContent = String(Math.max(left, 0)); }
    if (left <= 0) { clearInterval(timer); send(); }
  }, 1000);
})();
