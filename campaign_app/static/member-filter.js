// Filters the editor's long member list as the organizer types (the list works without it).
(function () {
  var input = document.getElementById("member-filter");
  var list = document.querySelector("select.member-list");
  if (!input || !list) { return; }
  input.hidden = false;
  input.addEventListener("input", function () {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    Array.prototype.forEach.call(list.options, function (option) {
      var text = option.text.toLowerCase();
      option.hidden = !option.selected && !words.every(function (w) { return text.indexOf(w) !== -1; });
    });
  });
})();
