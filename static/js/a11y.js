// Keyboard and screen-reader help shared by every page (issue 17):
// - a form that did not go through: focus moves to its error summary, on a full page and after an htmx swap;
// - after any other htmx update, focus stays where it was, or, if that element was replaced, lands on the
//   updated part (its [data-focus-target], else its first heading, else the part itself);
// - every htmx update is announced in the polite live region #announcer (base.html);
// - data tables: each cell carries its column's name for the stacked layout on a narrow screen, and a table that
//   still scrolls sideways (a browser without container queries) becomes a labelled region reachable by keyboard.
(function () {
  "use strict";

  var announcer = null;
  var announceTimer = null;

  function text(element) {
    return element ? (element.textContent || "").replace(/\s+/g, " ").trim() : "";
  }

  function announce(message) {
    announcer = announcer || document.getElementById("announcer");
    if (!announcer || !message) return;
    // Emptied first, then filled a moment later, so the same words twice are still read out.
    announcer.textContent = "";
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(function () {
      announcer.textContent = message;
    }, 150);
  }

  function focusOn(element) {
    if (!element) return;
    if (!element.matches("a[href], button, input, select, textarea, summary, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus({ preventScroll: true });
    var box = element.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) {
      var reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      element.scrollIntoView({ block: "start", behavior: reduce ? "auto" : "smooth" });
    }
  }

  function focusErrorSummary(scope) {
    var summary = (scope || document).querySelector("[data-error-summary]");
    if (summary) focusOn(summary);
    return summary;
  }

  // Scrolling tables: reachable by keyboard only while they scroll.
  function labelFor(wrap) {
    var caption = wrap.querySelector("caption");
    var heading = wrap.closest("section") && wrap.closest("section").querySelector("h2, h3");
    return text(caption) || text(heading) || "Table";
  }

  function markScrollRegions(scope) {
    var wraps = (scope || document).querySelectorAll(".table-wrap, [data-scroll-region]");
    Array.prototype.forEach.call(wraps, function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        if (!wrap.hasAttribute("tabindex")) wrap.setAttribute("tabindex", "0");
        if (!wrap.hasAttribute("role")) wrap.setAttribute("role", "region");
        if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
          wrap.setAttribute("aria-label", labelFor(wrap));
        }
      }
      if (window.ResizeObserver && !wrap.dataset.watched) {
        wrap.dataset.watched = "1";
        new ResizeObserver(function () {
          markScrollRegions(wrap.parentNode);
        }).observe(wrap.firstElementChild || wrap);
      }
    });
  }

  // Data tables stack as cards on a narrow screen (a11y.css): each cell gets its column's name as data-label,
  // shown before it, and the table explicit roles, which a display change cannot take away from it.
  function visibleText(cell) {
    var copy = cell.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".visually-hidden"), function (hidden) {
      if (hidden.previousElementSibling || hidden.nextElementSibling) hidden.remove(); // "Mon" beside "Monday"
    });
    return text(copy);
  }

  function labelTables(scope) {
    var root = scope || document;
    var tables = Array.prototype.slice.call(root.querySelectorAll(".table-wrap table"));
    var around = root.closest && root.closest(".table-wrap table");
    if (around) tables.push(around);
    tables.forEach(function (table) {
      var headRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      var names = [];
      if (headRow) {
        Array.prototype.forEach.call(headRow.cells, function (cell) {
          for (var span = 0; span < (cell.colSpan || 1); span++) names.push(visibleText(cell));
        });
      }
      table.setAttribute("role", "table");
      Array.prototype.forEach.call(table.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot"), function (group) {
        group.setAttribute("role", "rowgroup");
      });
      Array.prototype.forEach.call(table.rows, function (row) {
        row.setAttribute("role", "row");
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (cell.tagName === "TD") {
            cell.setAttribute("role", "cell");
            if (names[column]) cell.setAttribute("data-label", names[column]);
          } else {
            cell.setAttribute("role", cell.getAttribute("scope") === "row" || row.parentElement !== table.tHead ? "rowheader" : "columnheader");
          }
          column += cell.colSpan || 1;
        });
      });
    });
  }

  function updatedRegion(detail) {
    var target = detail && detail.target;
    if (target && target.isConnected) return target;
    var id = target && target.id;
    return (id && document.getElementById(id)) || (detail && detail.elt && detail.elt.isConnected && detail.elt) || null;
  }

  function whatChanged(region) {
    var marked = region.querySelector("[data-announce]") || (region.matches("[data-announce]") ? region : null);
    if (marked) return text(marked);
    var status = region.querySelector(".message, [role='status']") || (region.matches("[role='status']") ? region : null);
    if (status && text(status)) return text(status);
    var heading = region.querySelector("h1, h2, h3, h4");
    return heading ? text(heading) + ": updated." : "Updated.";
  }

  // The part of the page the reader was in (a program row, an alert) before an update replaced it.
  var placeId = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    var place = active && active.parentElement && active.parentElement.closest("li[id], article[id], section[id], div[id]");
    placeId = place ? place.id : null;
  });

  function landingPlace(region) {
    var place = placeId && document.getElementById(placeId);
    var within = place && place !== region && region.contains(place) ? place : region;
    return within.querySelector("[data-focus-target]") || within.querySelector("h1, h2, h3, h4") || within;
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var region = updatedRegion(event.detail);
    if (!region) return;
    labelTables(region);
    markScrollRegions(region);
    if (focusErrorSummary(region)) return; // the summary is itself an alert: read out as it appears
    var active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) focusOn(landingPlace(region));
    announce(whatChanged(region));
  });

  // A link in the error summary takes the keyboard to the field itself, and shows the field with its label.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) return;
    event.preventDefault();
    var group = field.closest("fieldset, .field") || field;
    group.scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });

  document.addEventListener("htmx:responseError", function () {
    announce("Sorry, that did not work. Please try again.");
  });
  document.addEventListener("htmx:sendError", function () {
    announce("Could not reach the server. Check your connection and try again.");
  });

  function start() {
    labelTables(document);
    markScrollRegions(document);
    // A form that went through and came back as a new page (a check-in, an approval, an invitation): its
    // confirmation is read out, like the result of an htmx update, unless an error summary takes the focus.
    if (!focusErrorSummary(document)) {
      var flash = document.querySelector(".messages");
      if (text(flash)) announce(text(flash));
    }
    var resizeTimer = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(resizeTimer);
      resizeTimer = window.setTimeout(function () {
        markScrollRegions(document);
      }, 100);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
