// Passkeys: 「パスキーを使う」 at the code step and 「パスキーを作成」 on the registration page.
// The page carries the server's options (json_script #passkey-options); the browser's
// answer goes into the form's hidden field and the form is posted as usual, so the
// server checks it where it checks a code. Without WebAuthn the buttons stay hidden.
(function () {
  "use strict";
  var box = document.querySelector("[data-passkey]");
  var source = document.getElementById("passkey-options");
  var mode = box && box.getAttribute("data-passkey");  // "get", "create", or "login" (options asked on press)
  if (!box || (!source && mode !== "login") || !window.PublicKeyCredential || !navigator.credentials) { return; }
  var form = document.getElementById(box.getAttribute("data-form"));
  var field = form && form.querySelector("input[name$='passkey']");
  var button = box.querySelector("[data-passkey-button]");
  var status = box.querySelector("[data-passkey-status]");
  if (!form || !field || !button) { return; }
  box.hidden = false;
  Array.prototype.forEach.call(document.querySelectorAll("[data-passkey-unsupported]"), function (note) {
    note.hidden = true;
  });

  function bytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) { base64 += "="; }
    var raw = atob(base64), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out.buffer;
  }
  function text(buffer) {
    if (!buffer) { return null; }
    var view = new Uint8Array(buffer), raw = "";
    for (var i = 0; i < view.length; i++) { raw += String.fromCharCode(view[i]); }
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function described(list) {
    return (list || []).map(function (item) {
      var copy = Object.assign({}, item);
      copy.id = bytes(item.id);
      return copy;
    });
  }
  function asked() {  // 「パスキーでログイン」: a fresh challenge for this press
    if (mode !== "login") { return Promise.resolve(JSON.parse(source.textContent)); }
    var body = new FormData();
    body.append("begin", "1");
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    return fetch(form.action, {method: "POST", body: body, credentials: "same-origin",
                               headers: {"Accept": "application/json"}})
      .then(function (response) { if (!response.ok) { throw new Error("options"); } return response.json(); });
  }
  function options(json) {
    var key = Object.assign({}, json, {challenge: bytes(json.challenge)});
    if (mode === "create") {
      key.user = Object.assign({}, json.user, {id: bytes(json.user.id)});
      key.excludeCredentials = described(json.excludeCredentials);
    } else {
      key.allowCredentials = described(json.allowCredentials);
    }
    return {publicKey: key};
  }
  function answer(credential) {
    var response = credential.response, out = {
      id: credential.id, rawId: text(credential.rawId), type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
      response: {clientDataJSON: text(response.clientDataJSON)}
    };
    if (mode === "create") {
      out.response.attestationObject = text(response.attestationObject);
      out.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      out.response.authenticatorData = text(response.authenticatorData);
      out.response.signature = text(response.signature);
      out.response.userHandle = text(response.userHandle);
    }
    return JSON.stringify(out);
  }
  function say(message) { if (status) { status.textContent = message; } }

  button.addEventListener("click", function () {
    button.disabled = true;
    say(box.getAttribute("data-waiting"));
    asked().then(function (json) {
      return mode === "create" ? navigator.credentials.create(options(json)) : navigator.credentials.get(options(json));
    }).then(function (credential) {
      field.value = answer(credential);
      say(box.getAttribute("data-sending"));
      form.submit();
    }).catch(function (error) {
      button.disabled = false;
      say(error && error.name === "InvalidStateError" && mode === "create"
        ? box.getAttribute("data-exists") : box.getAttribute("data-cancelled"));
    });
  });
})();
