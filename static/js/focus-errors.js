/* eimza — the error summary's behaviour (the GOV.UK pattern), loaded by pages that show one.
 *
 * On load the focus moves to the summary, so a screen reader reads out "Bir sorun var" and
 * the list, and a keyboard user's next Tab reaches the first link. Following a link moves
 * the focus to the field itself and scrolls its whole block (label, hint, message) into
 * view, where a plain jump to the fragment would leave the label above the screen's edge.
 * Without this file the page still works: the summary is at the top and its links lead to
 * the fields' ids.
 */
(function () {
  'use strict';

  var summary = document.querySelector('[data-error-summary]');
  if (!summary) {
    return;
  }
  // a page reached through a link to one of its parts keeps that place
  if (!window.location.hash) {
    summary.focus();
  }

  summary.addEventListener('click', function (event) {
    var link = event.target.closest('a[href^="#"]');
    if (!link) {
      return;
    }
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) {
      return;
    }
    event.preventDefault();
    var block = field.closest('.field') || field;
    block.scrollIntoView({ block: 'start' });
    field.focus({ preventScroll: true });
  });
})();
