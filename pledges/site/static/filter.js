"use strict";
(function () {
  var form = document.getElementById("filters");
  var table = document.getElementById("pledge-list");
  if (!form || !table) { return; }
  form.hidden = false;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var shown = document.getElementById("shown");
  function apply() {
    var kind = form.elements.kind.value;
    var topic = form.elements.topic.value;
    var actor = form.elements.actor.value;
    var words = form.elements.words.value.toLowerCase();
    var count = 0;
    rows.forEach(function (row) {
      var ok = (!kind || row.dataset.kind === kind) &&
        (!topic || row.dataset.topics.split("|").indexOf(topic) >= 0) &&
        (!actor || row.dataset.actors.split("|").indexOf(actor) >= 0) &&
        (!words || row.textContent.toLowerCase().indexOf(words) >= 0);
      row.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = count + " of " + rows.length + " pledges shown";
  }
  form.addEventListener("input", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  apply();
}());
