/* eimza — a print button (the print view, /basvuru/ozet: src/web/pages/summary.c). The page
 * says how to print with the browser's own command; where script runs, its hidden button
 * (data-print) is shown and prints the page. */
(function () {
  'use strict';

  var buttons = document.querySelectorAll('[data-print]');
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener('click', function () {
      window.print();
    });
  }
})();
