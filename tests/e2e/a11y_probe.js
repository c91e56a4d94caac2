// Measurements for tests/e2e/test_accessibility.py, evaluated in the page: ({...}).width() and so on.
({
  // The page's width against the viewport's, with the first elements that stick out (outside any scroller),
  // and the tables that scroll sideways inside their own region.
  width() {
    const view = document.documentElement.clientWidth;
    const scroll = document.documentElement.scrollWidth;
    const wide = [];
    // Tables in a scrolling region: each must fit (a data table stacks its rows on a narrow screen).
    const tables = [];
    for (const wrap of document.querySelectorAll(".table-wrap, [data-scroll-region]")) {
      if (wrap.getClientRects().length && wrap.scrollWidth > wrap.clientWidth + 1) {
        const label = wrap.getAttribute("aria-label") || (wrap.querySelector("table") || wrap).className || "table";
        tables.push(`${label} ${wrap.scrollWidth} in ${wrap.clientWidth}`);
      }
    }
    if (scroll <= view) return { scroll: scroll, view: view, wide: wide, tables: tables };
    const clipped = (el) => {
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== "visible") return true;
      }
      return false;
    };
    for (const el of document.body.querySelectorAll("*")) {
      if (wide.length >= 4) break;
      const box = el.getBoundingClientRect();
      if (box.width && box.right > view + 1 && !clipped(el)) {
        const classes = typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "";
        wide.push(`${el.tagName.toLowerCase()}${classes} ${Math.round(box.right)}`);
      }
    }
    return { scroll: scroll, view: view, wide: wide, tables: tables };
  },

  // Text at `scale` times its size (as a reader's browser setting would), and WCAG's text-spacing overrides.
  setText(scale, spacing) {
    const root = document.documentElement;
    root.style.fontSize = "";
    if (scale !== 1) root.style.fontSize = parseFloat(getComputedStyle(root).fontSize) * scale + "px";
    if (spacing) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(spacing);
      document.adoptedStyleSheets = [sheet];
    } else {
      document.adoptedStyleSheets = [];
    }
  },

  // Controls smaller than `minimum` px either way; a link inside a sentence is exempt, a label counts with its input.
  smallTargets(minimum) {
    const small = [];
    const shown = (el) => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
    };
    const inSentence = (el) => {
      const block = el.closest("p, li, dd, td, th, figcaption, caption");
      return block && block.textContent.trim().length > el.textContent.trim().length + 2;
    };
    for (const el of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary")) {
      const labelled = el.labels && el.labels.length;
      if (!shown(el) && !(el.matches("input") && labelled)) continue;
      if (el.closest(".skip-link, .visually-hidden, [hidden]")) continue;
      if (el.matches("a") && inSentence(el)) continue;
      const boxes = [el.getBoundingClientRect(), ...Array.from(el.labels || [], (label) => label.getBoundingClientRect())];
      const real = boxes.filter((box) => box.width > 1 && box.height > 1);
      const left = Math.min(...real.map((b) => b.left)), right = Math.max(...real.map((b) => b.right));
      const top = Math.min(...real.map((b) => b.top)), bottom = Math.max(...real.map((b) => b.bottom));
      if (right - left < minimum - 0.5 || bottom - top < minimum - 0.5) {
        const name = (el.textContent.trim() || el.name || el.id || el.tagName).slice(0, 40);
        small.push(`${name} ${Math.round(right - left)}x${Math.round(bottom - top)}`);
      }
    }
    return small;
  },

  // What has the keyboard focus, and whether it shows: an outline of 2 px or more (on the control, or on the
  // tile a hidden radio button draws), or a ring drawn with box-shadow.
  focus() {
    const el = document.activeElement;
    if (!el || el === document.body) return { name: "body", shown: false };
    const drawn = el.matches(".choice input") ? el.nextElementSibling : el;
    const style = getComputedStyle(drawn);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    const ring = style.boxShadow && style.boxShadow !== "none";
    const name = (el.getAttribute("aria-label") || el.textContent || el.value || el.name || el.id || "").trim().replace(/\s+/g, " ");
    return { name: `${el.tagName.toLowerCase()} ${name.slice(0, 50)}`, shown: outline || ring };
  },
})
