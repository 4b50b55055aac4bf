// Glossary tooltips a keyboard can reach (book/_ext/accessibility.py). reader.py gives every link
// to a glossary term its definition as the link's title, which a browser shows on mouse hover
// only. Here the definition becomes a tooltip of its own: shown when the term is hovered or
// focused, kept while the pointer is over it, hidden by Escape, on blur and when the pointer
// leaves; and it is the link's description (aria-describedby) for a screen reader.
(function () {
  "use strict";

  function place(tip, link) {
    const box = link.getBoundingClientRect();
    const width = tip.offsetWidth;
    const left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - width - 8));
    tip.style.left = left + window.scrollX + "px";
    tip.style.top = box.bottom + window.scrollY + 4 + "px";
  }

  function setUp() {
    const links = document.querySelectorAll("a.reference.internal[title]");
    let count = 0;
    links.forEach(function (link) {
      if (!link.querySelector("span.std-term")) return;
      const tip = document.createElement("div");
      tip.id = "term-tooltip-" + count++;
      tip.className = "term-tooltip";
      tip.setAttribute("role", "tooltip");
      tip.textContent = link.getAttribute("title");
      tip.hidden = true;
      document.body.appendChild(tip);
      link.removeAttribute("title"); // the tooltip replaces the browser's (no double)
      link.setAttribute("aria-describedby", tip.id);
      let overTip = false;
      const show = function () {
        tip.hidden = false;
        place(tip, link);
      };
      const hide = function () {
        tip.hidden = true;
      };
      link.addEventListener("mouseenter", show);
      link.addEventListener("focus", show);
      link.addEventListener("blur", hide);
      link.addEventListener("mouseleave", function () {
        setTimeout(function () {
          if (!overTip && document.activeElement !== link) hide();
        }, 150);
      });
      tip.addEventListener("mouseenter", function () {
        overTip = true;
      });
      tip.addEventListener("mouseleave", function () {
        overTip = false;
        if (document.activeElement !== link) hide();
      });
      link.addEventListener("keydown", function (event) {
        if (event.key === "Escape") hide();
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      document.querySelectorAll(".term-tooltip").forEach(function (tip) {
        tip.hidden = true;
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();

// A table or figure wider than the screen scrolls sideways within its frame
// (static/reader.css); such a frame is made reachable from the keyboard (arrow keys scroll it)
// and named for a screen reader, by what it holds. Frames that fit stay out of the tab order.
(function () {
  "use strict";

  function label(frame) {
    const image = frame.querySelector("img[alt]");
    if (image && image.alt) return image.alt;
    const header = frame.querySelector("th");
    return header ? header.textContent.trim() : "";
  }

  function mark() {
    document.querySelectorAll("main div.cell_output").forEach(function (frame) {
      const scrolls = frame.scrollWidth > frame.clientWidth + 1;
      if (scrolls && !frame.hasAttribute("tabindex")) {
        frame.setAttribute("tabindex", "0");
        frame.setAttribute("role", "region");
        const name = label(frame);
        if (name) frame.setAttribute("aria-label", name.slice(0, 200));
      } else if (!scrolls && frame.getAttribute("role") === "region") {
        frame.removeAttribute("tabindex");
        frame.removeAttribute("role");
        frame.removeAttribute("aria-label");
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
  window.addEventListener("load", mark);
  window.addEventListener("resize", mark);
})();
