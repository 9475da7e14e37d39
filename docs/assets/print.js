/* « Imprimer » on the print views (overrides/cap/print-page.html): the button
 * is hidden until this script shows it, so it never appears without JavaScript;
 * no inline event attribute (macros/safe_html.py would strip it anyway). */
document.querySelectorAll("[data-cap-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
