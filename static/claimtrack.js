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
// Reference markers ([1], [2]) inside the text are not part of it and are not counted. A long text is
// shown a part at a time: data-offset says where the part starts in the whole text.
(function () {
  "use strict";
  var container = document.querySelector("[data-quote-source]") || document.querySelector(".source-text");
  var form = document.querySelector("[data-quote-form]");
  var link = document.querySelector("[data-attribute-link]");
  if (!container || (!form && !link)) return;
  var base = parseInt(container.getAttribute("data-offset") || "0", 10);

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
      startField.value = String(base + span.start);
      endField.value = String(base + span.end);
      lastQuote = span.quote;
      Array.prototype.forEach.call(form.querySelectorAll("input[name=occurrence]"), function (radio) {
        radio.required = false;
        radio.checked = false;
      });
      if (note) {
        note.hidden = false;
        note.textContent = "Selected characters " + (base + span.start) + "–" + (base + span.end) + " of the text.";
      }
    } else if (link) {
      var target = link.getAttribute("href").split("?")[0];
      link.setAttribute("href", target + "?start=" + (base + span.start) + "&end=" + (base + span.end));
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

// Progressive enhancement: on a long source shown in parts, a link to one of its statements
// (/sources/1#attribution-7, as every statement's source link is) may land on a part without it: ask
// the server for the part where that statement is. Without JavaScript the reader lands on the first
// part, and finds the statement through the part links.
(function () {
  "use strict";
  var text = document.querySelector(".source-text[data-parts]");
  var match = /^#(?:attribution|ref)-(\d+)$/.exec(window.location.hash);
  if (!text || !match || document.getElementById(window.location.hash.slice(1))) return;
  var params = new URLSearchParams(window.location.search);
  if (params.get("statement") === match[1]) return;
  params.delete("part");
  params.set("statement", match[1]);
  window.location.replace(window.location.pathname + "?" + params.toString() + "#attribution-" + match[1]);
})();

// Progressive enhancement: a field with data-suggest (the filters' actor and source, the statement form's
// actor, the editing forms' claims) becomes a combobox that suggests as one types, from a small JSON
// endpoint (`?q=`), in the ARIA 1.2 combobox pattern: the focus stays in the field, the arrow keys move
// through the suggestions (aria-activedescendant), Enter takes one, Escape closes the list. The list floats
// over the page, so nothing moves as it opens. Without JavaScript the field is plain text, which the server
// resolves (and explains when it cannot).
(function () {
  "use strict";
  var fields = document.querySelectorAll("input[data-suggest]");
  if (!fields.length || !window.fetch) return;

  Array.prototype.forEach.call(fields, function (input) {
    var endpoint = input.getAttribute("data-suggest");
    var label = document.querySelector("label[for='" + input.id + "']");
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", (label ? label.textContent.trim() : "Field") + ": suggestions");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var options = [];
    var active = -1;
    var timer = null;
    var asked = null;
    var pending = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function open() {
      if (!options.length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    // An actor is taken by name (the filter finds any name or alias); a source by title (the server
    // recognises its exact title); a claim by its label, "12: Two Ukrainian…" (the server reads its number).
    function describe(item) {
      if (item.label !== undefined) {
        return { value: item.label, text: item.label, detail: "" };
      }
      if (item.title !== undefined) {
        var facts = [item.outlet, item.published_on].filter(Boolean).join(", ");
        return { value: item.title, text: item.title, detail: facts };
      }
      return { value: item.name, text: item.name, detail: item.role || "" };
    }

    function show(items) {
      list.textContent = "";
      options = items.map(function (item, index) {
        var described = describe(item);
        var option = document.createElement("li");
        option.id = listId + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-value", described.value);
        option.appendChild(document.createTextNode(described.text));
        if (described.detail) {
          var detail = document.createElement("span");
          detail.className = "suggestion-detail";
          detail.textContent = described.detail;
          option.appendChild(detail);
        }
        // mousedown, not click: the field must not lose the focus (and close the list) first.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(index);
        });
        list.appendChild(option);
        return option;
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (options.length) {
        open();
        status.textContent = options.length + (options.length === 1 ? " suggestion" : " suggestions") +
          ": use the up and down arrows to choose.";
      } else {
        close();
        status.textContent = input.value.trim() ? "No suggestions." : "";
      }
    }

    function mark(index) {
      options.forEach(function (option, position) {
        option.setAttribute("aria-selected", position === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      input.value = options[index].getAttribute("data-value");
      asked = input.value.trim();
      close();
      status.textContent = "";
    }

    function suggest() {
      var typed = input.value.trim();
      if (typed === asked) {
        open();
        return;
      }
      asked = typed;
      if (!typed) {
        show([]);
        return;
      }
      if (pending) pending.abort();
      pending = window.AbortController ? new AbortController() : null;
      fetch(endpoint + "?q=" + encodeURIComponent(typed), {
        headers: { Accept: "application/json" },
        signal: pending ? pending.signal : undefined
      })
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (body) {
          if (input.value.trim() === typed && document.activeElement === input) show(body.items || []);
        })
        .catch(function () { /* a superseded or failed request: the field still works as text */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, 150);
    });

    input.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) {
          if (options.length) open();
          else suggest();
          return;
        }
        var step = event.key === "ArrowDown" ? 1 : -1;
        mark(active === -1 ? (step === 1 ? 0 : options.length - 1) : (active + step + options.length) % options.length);
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault(); // take the suggestion; the next Enter sends the form
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      }
    });

    input.addEventListener("blur", close);
  });
})();
