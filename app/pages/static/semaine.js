// Optional keyboard shortcuts: every page works without this file.
// j or ArrowRight: next week (month); k or ArrowLeft: previous; t: today.
"use strict";
const KEYS = { j: "a[rel=next]", ArrowRight: "a[rel=next]", k: "a[rel=prev]", ArrowLeft: "a[rel=prev]", t: "a[data-key=today]" };
document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const target = event.target;
  if (target instanceof HTMLElement && (target.isContentEditable || target.closest("input, textarea, select, button"))) return;
  const selector = KEYS[event.key];
  const link = selector && document.querySelector(selector);
  if (link) {
    event.preventDefault();
    link.click();
  }
});
