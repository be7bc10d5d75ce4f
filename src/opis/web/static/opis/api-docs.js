// /api/docs: Swagger UI puts a link (the operation's deep link) inside the button that opens the
// operation, two controls in one that keyboard and screen-reader users cannot tell apart (axe-core:
// nested-interactive). The button already opens the operation, so the inner link loses its href
// (a link without one is plain text); the operation's path stays readable inside the button.
"use strict";

(function () {
  function untab(root) {
    root.querySelectorAll(".opblock-summary-control a").forEach((link) => {
      if (link.hasAttribute("href")) link.removeAttribute("href");
    });
  }
  const ui = document.getElementById("swagger-ui");
  if (!ui) return;
  new MutationObserver(() => untab(ui)).observe(ui, { childList: true, subtree: true });
  untab(ui);
})();
