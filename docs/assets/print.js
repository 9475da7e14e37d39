/* « Imprimer » on the print views (overrides/cap/print-page.html): the button
 * is hidden until this script shows it, so it never appears without JavaScript;
 * no inline event attribute (macros/safe_html.py would strip it anyway).
 *
 * « Imprimer cette pièce seulement » (issue #17; print-parts.html ``piece``):
 * marks the view and the piece's section, then prints; docs/assets/print.css
 * then prints that section's sheets and nothing else. The marks go when the
 * print dialog closes. Without JavaScript the buttons stay hidden and the
 * whole view prints. */
document.querySelectorAll("[data-cap-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});

(function () {
  "use strict";
  var view = document.querySelector(".cap-print-view");
  if (!view) return;

  function clear() {
    view.classList.remove("cap-print-one");
    view.querySelectorAll(".cap-print-this").forEach(function (section) {
      section.classList.remove("cap-print-this");
    });
  }

  view.querySelectorAll("[data-cap-print-piece]").forEach(function (button) {
    var section = button.closest("[data-cap-piece]");
    if (!section || section.parentElement !== view) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      clear();
      section.classList.add("cap-print-this");
      view.classList.add("cap-print-one");
      window.print();
    });
  });
  window.addEventListener("afterprint", clear);
})();
