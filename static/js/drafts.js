// Typed text is kept while its login session lasts (kit/drafts.py): forms
// marked data-draft are saved in localStorage per login ID and form as the user
// types, tagged with the login session (data-draft-session on this script),
// restored on an empty form, forgotten when the server says the form was sent
// (the netdekomon_draft_sent cookie), at logout, and on the first page of the
// site that shows the session ended. Never saved: passwords, codes, hidden
// fields (tokens) and fields marked data-no-draft (bank account numbers).
(function () {
  if (!window.localStorage) return;
  var MAX_AGE = 12 * 3600 * 1000;  // the absolute session lifetime
  var script = document.currentScript;
  // null: a page rendered without its request (the 500 page) knows nothing of the
  // session; "": nobody is logged in here; else the tag of this login session.
  var session = script ? script.getAttribute("data-draft-session") : null;
  // On every page, the login page and the console included: drafts of a login
  // session that has ended (logout anywhere, timeout, ended from another device
  // or by an administrator) and drafts past their age, anyone's, are removed, so
  // the next person at a shared PC finds none.
  for (var j = localStorage.length - 1; j >= 0; j--) {
    var name = localStorage.key(j);
    if (!name || name.indexOf("netdekomon:draft:") !== 0) continue;
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(name)); } catch (e) {}
    var ended = session !== null && (!session || !saved || saved.session !== session);
    if (ended || !saved || Date.now() - (saved.at || 0) > MAX_AGE) localStorage.removeItem(name);
  }
  var owner = script && script.getAttribute("data-draft-owner");
  if (!owner || !session) return;
  var PREFIX = "netdekomon:draft:" + owner + ":";
  var SKIP = ["password", "hidden", "file", "submit", "button", "reset"];

  function forget(key) { try { localStorage.removeItem(PREFIX + key); } catch (e) {} }
  function forgetAll() {
    for (var i = localStorage.length - 1; i >= 0; i--) {
      var k = localStorage.key(i);
      if (k && k.indexOf(PREFIX) === 0) localStorage.removeItem(k);
    }
  }

  var sent = document.cookie.match(/(?:^|; )netdekomon_draft_sent=([^;]*)/);  // kit/drafts.py
  if (sent) {
    forget(decodeURIComponent(sent[1]));
    document.cookie = "netdekomon_draft_sent=; Max-Age=0; Path=/; SameSite=Lax";
  }
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute("data-logout")) forgetAll();
  }, true);

  function kept(el) {
    return el.name && !el.disabled && SKIP.indexOf(el.type) < 0 && !el.hasAttribute("data-no-draft")
      && el.getAttribute("autocomplete") !== "one-time-code";
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (form) {
    var key = PREFIX + form.getAttribute("data-draft");
    function save() {
      var values = {}, any = false;
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!kept(el)) return;
        if (el.type === "radio" || el.type === "checkbox") {
          if (el.checked) { (values[el.name] = values[el.name] || []).push(el.value); }
        } else { values[el.name] = el.value; if (el.value !== el.defaultValue) any = true; }
      });
      try {
        if (any) localStorage.setItem(key, JSON.stringify({ at: Date.now(), session: session, values: values }));
      } catch (e) { /* storage full or disabled: nothing kept */ }
    }
    function restore() {
      var saved;
      try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
      if (!saved || saved.session !== session || Date.now() - saved.at > MAX_AGE) {
        localStorage.removeItem(key); return;
      }
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!kept(el) || !(el.name in saved.values)) return;
        var value = saved.values[el.name];
        if (el.type === "radio" || el.type === "checkbox") el.checked = value.indexOf(el.value) >= 0;
        else el.value = value;
        el.dispatchEvent(new Event("change", { bubbles: true }));
      });
      var notice = form.parentNode.querySelector("[data-draft-notice]");
      if (notice) notice.hidden = false;
    }
    if (form.getAttribute("data-draft-restore") === "1") restore(); else save();
    form.addEventListener("input", save);
    form.addEventListener("change", save);
  });
})();
