// 打刻修正: the time's label follows the punch chosen (退勤 → 退勤時刻); the server labels it the same.
document.addEventListener("DOMContentLoaded", function () {
  var time = document.querySelector("input[data-time-labels]");
  if (!time) return;
  var labels = JSON.parse(time.getAttribute("data-time-labels"));
  var label = document.querySelector('label[for="' + time.id + '"]');
  document.querySelectorAll('input[name="punch_kind"]').forEach(function (radio) {
    radio.addEventListener("change", function () {
      if (label && radio.checked) label.textContent = labels[radio.value] || labels[""];
    });
  });
});
