// Progressive enhancement of the review queue on a source's page: single keys move between the
// proposals and act on the current one. Everything works without it, with real buttons and links.
// j / k: next / previous proposal; a: accept; e: correct; r: reject; x: tick for "accept the ticked".
// The keys act only while the focus is in the queue (WCAG 2.1.4): elsewhere a letter is a letter.
(function () {
  "use strict";
  var queue = document.querySelector("[data-review-queue]");
  if (!queue) return;
  var items = Array.prototype.slice.call(queue.querySelectorAll(".proposal"));
  if (!items.length) return;
  var current = -1;

  function select(index) {
    if (index < 0 || index >= items.length) return;
    if (current >= 0) items[current].classList.remove("is-current");
    current = index;
    var item = items[current];
    item.classList.add("is-current");
    var accept = item.querySelector("[data-review-action='accept']");
    if (accept) accept.focus();
    item.scrollIntoView({ block: "nearest" });
  }

  function typing(target) {
    var name = target && target.tagName;
    return name === "INPUT" && target.type !== "checkbox" || name === "TEXTAREA" || name === "SELECT" ||
      (target && target.isContentEditable);
  }

  items.forEach(function (item, index) {
    item.addEventListener("focusin", function () {
      if (current >= 0 && current !== index) items[current].classList.remove("is-current");
      current = index;
      item.classList.add("is-current");
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    if (!queue.contains(event.target)) return;
    var item = current >= 0 ? items[current] : null;
    switch (event.key) {
      case "j": select(current + 1); break;
      case "k": select(current < 0 ? 0 : current - 1); break;
      case "a": if (item) item.querySelector("[data-review-action='accept']").click(); else return; break;
      case "r": if (item) item.querySelector("[data-review-action='reject']").click(); else return; break;
      case "e": if (item) item.querySelector("[data-review-action='edit']").click(); else return; break;
      case "x":
        if (!item) return;
        var tick = item.querySelector(".proposal-tick");
        tick.checked = !tick.checked;
        break;
      default: return;
    }
    event.preventDefault();
  });

  // Arriving at the queue after a decision (or from the source list): start at its first proposal.
  // After the load, so that the browser's own move to the fragment comes first.
  if (window.location.hash === "#review-queue") {
    if (document.readyState === "complete") select(0);
    else window.addEventListener("load", function () { select(0); });
  }
})();
