/* eimza — the SMS code's time, loaded by pages that show it (web_page_countdown in
 * src/web/html/page_form.c writes the countdown's markup; src/web/pages/code.c the form that
 * asks for a new code).
 *
 * The page already shows the time left when it was made; this script counts it down in
 * minutes and seconds ("4 dakika 12 saniye", the unit words from the page's data-unit-*
 * attributes, so both languages say it as the server does) in the visible timer (role="timer",
 * which screen readers do not read out on every change), and says it in a polite live region
 * at each full minute, at 30 and 10 seconds and at the end, so a screen reader user hears the
 * time without hearing nothing else. The time is measured from the page's own clock against a
 * deadline, so a tab left in the background, whose timers run late, still shows the right
 * time. At zero the timer's text becomes the page's "code expired" message.
 *
 * A part of the page that may only be used after a wait (the "send a new code" form while the
 * cool-down runs) comes hidden with data-reveal-after="SECONDS": it is shown by itself when
 * the wait is over, the words that said to wait (data-reveal-wait) go, and its
 * data-reveal-says is announced. Without this file the page still works: a reload shows it.
 */
(function () {
  'use strict';

  // "4 dakika 12 saniye" with the element's unit words ({0} in each)
  function duration(el, left) {
    function unit(name, n) {
      var t = el.getAttribute('data-unit-' + name) || '{0}';
      return t.replace('{0}', String(n));
    }
    var m = Math.floor(left / 60);
    var s = left % 60;
    var parts = [];
    if (m > 0) {
      parts.push(unit(m === 1 ? 'min' : 'mins', m));
    }
    if (s > 0 || m === 0) {
      parts.push(unit(s === 1 ? 'sec' : 'secs', s));
    }
    return parts.join(' ');
  }

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
      value.textContent = duration(box, left);
      if (!first && (left % 60 === 0 || left === 30 || left === 10)) {
        live.textContent = timerText.textContent;
      }
    }

    interval = setInterval(function () {
      tick(false);
    }, 1000);
    tick(true);
  }

  function reveal(el) {
    var wait = parseInt(el.getAttribute('data-reveal-after'), 10);
    if (!(wait >= 0)) {
      return;
    }
    var deadline = Date.now() + wait * 1000;
    var waiting = document.querySelector('[data-reveal-wait]');
    var live = document.querySelector('[data-countdown-live]');
    var timer = setInterval(function () {
      var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      if (left > 0) {
        var shown = waiting && waiting.querySelector('[data-reveal-left]');
        if (shown) {
          shown.textContent = duration(waiting, left);
        }
        return;
      }
      clearInterval(timer);
      el.hidden = false;
      if (waiting) {
        waiting.hidden = true;
      }
      var says = el.getAttribute('data-reveal-says');
      if (live && says) {
        live.textContent = says;
      }
    }, 250);
  }

  var boxes = document.querySelectorAll('[data-countdown-seconds]');
  for (var i = 0; i < boxes.length; i++) {
    start(boxes[i]);
  }
  var later = document.querySelectorAll('[data-reveal-after]');
  for (var k = 0; k < later.length; k++) {
    reveal(later[k]);
  }
})();
