// Material's search panel has role="dialog" but no accessible name; screen readers announce it
// as an unnamed dialog (axe-core: aria-dialog-name). Name it after its input's label.
document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach((dialog) => {
  const input = dialog.querySelector(".md-search__input");
  dialog.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || "Search");
});
