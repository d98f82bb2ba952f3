// 住所変更: the address of the postal code as it is typed (reception/postal.py, Japan Post's
// data on this server: nothing leaves it). 都道府県 and 市区町村 follow the code; a field is
// filled only while it is empty or still holds what the last lookup put there, so nothing the
// employee typed is lost. Without JavaScript the 「郵便番号から住所を入力」 button asks the server.
(function () {
  var form = document.querySelector("form[data-postal-lookup]");
  if (!form || !window.fetch) return;
  var url = form.getAttribute("data-postal-lookup");
  var code = form.elements["postal_code"];
  var button = document.getElementById("postal-lookup");
  var status = document.getElementById("postal-status");
  var filled = {};  // field name → the value the last lookup put in
  var asked = "";

  function digits(value) {
    return value.replace(/[０-９]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); })
      .replace(/[^0-9]/g, "");
  }

  function put(name, value) {
    var field = form.elements[name];
    if (!field || value === undefined) return true;
    if (field.value && field.value !== filled[name]) return field.value.indexOf(value) === 0;
    field.value = value;
    filled[name] = value;
    field.dispatchEvent(new Event("input", { bubbles: true }));  // the draft keeps it
    return true;
  }

  function say(text) { if (status) status.textContent = text; }

  function lookUp(force) {
    var number = digits(code.value);
    if (number.length !== 7 || (number === asked && !force)) return;
    asked = number;
    fetch(url + "?code=" + number, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { found: false }; })
      .then(function (found) {
        if (!found.found) {
          say(status.getAttribute("data-not-found"));
          return;
        }
        filled.prefecture = filled.prefecture || form.elements.prefecture.value;
        filled.city = filled.city || form.elements.city.value;
        var kept = [];
        [["prefecture", found.prefecture], ["city", found.city], ["address", found.town],
         ["address_kana", found.kana]].forEach(function (pair) {
          if (!put(pair[0], pair[1])) kept.push(form.querySelector("label[for=" + form.elements[pair[0]].id + "]").textContent);
        });
        var text = status.getAttribute("data-found").replace("{address}", found.prefecture + found.city + found.town);
        if (kept.length) text += " " + status.getAttribute("data-kept").replace("{fields}", kept.join("、"));
        say(text);
      })
      .catch(function () { say(status.getAttribute("data-failed")); });
  }

  function ask() {
    if (digits(code.value).length === 7) lookUp(true);
    else say(status.getAttribute("data-invalid"));
  }

  code.addEventListener("input", function () { lookUp(false); });
  code.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); ask(); }
  });
  if (button) {
    // No longer a submit button: Enter in the other fields goes on to 「確認画面へ進む」 as before.
    button.type = "button";
    button.addEventListener("click", ask);
  }
})();
