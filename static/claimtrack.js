// Progressive enhancement only: on a source page, pointing at a statement in the list lights up
// its spans in the text, and pointing at a span lights up its statements. Everything works without it.
(function () {
  "use strict";
  var text = document.querySelector(".source-text");
  if (!text) return;

  function marksOf(id) {
    return Array.prototype.filter.call(text.querySelectorAll("mark[data-attributions]"), function (mark) {
      return mark.getAttribute("data-attributions").split(" ").indexOf(id) !== -1;
    });
  }

  function toggle(elements, on) {
    elements.forEach(function (element) { element.classList.toggle("is-active", on); });
  }

  document.querySelectorAll(".source-attributions .attribution").forEach(function (item) {
    var id = item.getAttribute("data-attribution-id");
    ["mouseenter", "focusin"].forEach(function (type) {
      item.addEventListener(type, function () { toggle(marksOf(id), true); });
    });
    ["mouseleave", "focusout"].forEach(function (type) {
      item.addEventListener(type, function () { toggle(marksOf(id), false); });
    });
  });

  text.querySelectorAll("mark[data-attributions]").forEach(function (mark) {
    var items = mark.getAttribute("data-attributions").split(" ").map(function (id) {
      return document.getElementById("attribution-" + id);
    }).filter(Boolean);
    mark.addEventListener("mouseenter", function () { toggle(items, true); });
    mark.addEventListener("mouseleave", function () { toggle(items, false); });
  });
})();
