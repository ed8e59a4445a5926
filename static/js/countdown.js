/* eimza — the SMS code countdown, loaded by pages with one (web_page_countdown in
 * src/web/page_form.c writes the markup).
 *
 * The page already shows the seconds left when it was made; this script counts them down
 * once a second in the visible timer (role="timer", which screen readers do not read out on
 * every change) and says the time left in a polite live region at each full minute, at 30
 * and 10 seconds and at the end, so a screen reader user hears the time without hearing
 * nothing else. The time is measured from the page's own clock against a deadline, so a tab
 * left in the background, whose timers run late, still shows the right number. At zero the
 * timer's text becomes the page's "code expired" message.
 */
(function () {
  'use strict';

  function start(box) {
    var total = parseInt(box.getAttribute('data-countdown-seconds'), 10);
    var value = box.querySelector('[data-countdown-value]');
    var timerText = box.querySelector('[role="timer"]');
    var live = box.querySelector('[data-countdown-live]');
    if (!(total >= 0) || !value || !timerText || !live) {
      return;
    }
    var deadline = Date.now() + total * 1000;
    var interval = null;

    // first: the call at load, when the page already shows the time (nothing to announce)
    function tick(first) {
      var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      if (left === 0) {
        if (interval !== null) {
          clearInterval(interval);
        }
        var expired = box.getAttribute('data-countdown-expired') || '';
        box.classList.add('countdown-expired');
        timerText.textContent = expired;
        live.textContent = expired;
        return;
      }
      value.textContent = String(left);
      if (!first && (left % 60 === 0 || left === 30 || left === 10)) {
        live.textContent = timerText.textContent;
      }
    }

    interval = setInterval(function () {
      tick(false);
    }, 1000);
    tick(true);
  }

  var boxes = document.querySelectorAll('[data-countdown-seconds]');
  for (var i = 0; i < boxes.length; i++) {
    start(boxes[i]);
  }
})();
