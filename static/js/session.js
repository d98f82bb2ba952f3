// The idle-timeout notice: shown shortly before the server's idle limit, with
// 「ログインを延長」. Open tabs share the expiry through localStorage, so
// activity in one tab keeps the others from warning too early. At the limit the
// page is loaded again: the server ends the session and the login page says why,
// then brings the user back here (typed text is kept by drafts.js).
(function () {
  var box = document.getElementById("session-timeout");
  if (!box) return;
  var KEY = "netdekomon:session-expires";
  var warnMs = parseInt(box.getAttribute("data-warn-seconds"), 10) * 1000;
  var expires = Date.now() + parseInt(box.getAttribute("data-seconds-left"), 10) * 1000;
  var countdown = box.querySelector("[data-countdown]");
  var form = box.querySelector("form");

  function shared() {
    try { return parseInt(localStorage.getItem(KEY) || "0", 10) || 0; } catch (e) { return 0; }
  }
  function publish(at) {
    expires = at;
    try { localStorage.setItem(KEY, String(at)); } catch (e) { /* private mode: this tab only */ }
  }
  function reload() { window.location.assign(window.location.pathname + window.location.search); }

  function tick() {
    expires = Math.max(expires, shared());
    var left = expires - Date.now();
    if (left < -2000) { reload(); return; }  // a moment past the limit, so the server sees it too
    var warn = left <= warnMs;
    if (warn && box.hidden) { box.hidden = false; box.querySelector("button").focus({ preventScroll: true }); }
    if (!warn) box.hidden = true;
    var s = Math.max(0, Math.ceil(left / 1000));
    countdown.textContent = "(" + Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0") + ")";
    window.setTimeout(tick, 1000);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "Accept": "application/json" }, redirect: "manual"
    }).then(function (response) {
      if (!response.ok) throw new Error("session ended");
      return response.json();
    }).then(function (data) {
      publish(Date.now() + data.seconds_left * 1000);
      box.hidden = true;
    }).catch(reload);
  });

  publish(expires);
  tick();
})();
