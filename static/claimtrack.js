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

// Progressive enhancement for editors: selecting a passage of a source's text starts a statement
// with that quote and its exact place. Offsets are counted in code points (Array.from), as the
// server counts them (Python string indices), so characters outside the BMP (emoji) count as one.
// Reference markers ([1], [2]) inside the text are not part of it and are not counted.
(function () {
  "use strict";
  var container = document.querySelector("[data-quote-source]") || document.querySelector(".source-text");
  var form = document.querySelector("[data-quote-form]");
  var link = document.querySelector("[data-attribute-link]");
  if (!container || (!form && !link)) return;

  function plainText(fragmentOrNode) {
    var copy = fragmentOrNode.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".ref-mark"), function (mark) {
      mark.parentNode.removeChild(mark);
    });
    return copy.textContent;
  }

  function offsetOf(node, offset) {
    var range = document.createRange();
    range.setStart(container, 0);
    range.setEnd(node, offset);
    return Array.from(plainText(range.cloneContents())).length;
  }

  function selectedSpan() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
    var start = offsetOf(range.startContainer, range.startOffset);
    var end = offsetOf(range.endContainer, range.endOffset);
    if (end <= start) return null;
    var quote = Array.from(plainText(container)).slice(start, end).join("");
    return { start: start, end: end, quote: quote };
  }

  var quoteField = form && form.querySelector("[data-quote]");
  var startField = form && form.querySelector("[data-quote-start]");
  var endField = form && form.querySelector("[data-quote-end]");
  var note = form && form.querySelector("[data-selection-note]");
  var lastQuote = quoteField ? quoteField.value : null;

  function onSelection() {
    var span = selectedSpan();
    if (!span) return;
    if (form) {
      quoteField.value = span.quote;
      startField.value = String(span.start);
      endField.value = String(span.end);
      lastQuote = span.quote;
      Array.prototype.forEach.call(form.querySelectorAll("input[name=occurrence]"), function (radio) {
        radio.required = false;
        radio.checked = false;
      });
      if (note) {
        note.hidden = false;
        note.textContent = "Selected characters " + span.start + "–" + span.end + " of the text.";
      }
    } else if (link) {
      var base = link.getAttribute("href").split("?")[0];
      link.setAttribute("href", base + "?start=" + span.start + "&end=" + span.end);
      link.textContent = "Attribute the selected passage";
    }
  }

  container.addEventListener("mouseup", onSelection);
  container.addEventListener("keyup", onSelection);

  if (quoteField) {
    // A quote typed or edited by hand no longer sits at the selected place: let the server find it.
    quoteField.addEventListener("input", function () {
      if (quoteField.value !== lastQuote) {
        startField.value = "";
        endField.value = "";
        if (note) note.hidden = true;
      }
    });
  }
})();

// Progressive enhancement: the tooltip of a highlighted passage (CSS, from data-tip) can be dismissed with
// Escape without moving the focus or the pointer, and comes back the next time the passage is reached.
(function () {
  "use strict";
  var links = document.querySelectorAll(".source-text .span-link[data-tip]");
  if (!links.length) return;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    Array.prototype.forEach.call(links, function (link) {
      if (link === document.activeElement || link.matches(":hover")) link.classList.add("tip-dismissed");
    });
  });
  Array.prototype.forEach.call(links, function (link) {
    ["blur", "mouseleave"].forEach(function (type) {
      link.addEventListener(type, function () { link.classList.remove("tip-dismissed"); });
    });
  });
})();
