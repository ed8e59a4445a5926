/* eimza — the applicant's session on a page (web_page_end in src/web/html/page.c writes the two
 * dialogs this script opens; the form page marks its form data-draft).
 *
 * A session ends after session_idle seconds without a request. The page says how many it had
 * left when it was made (data-session-left) and this script counts them down from the page's
 * own clock. Two minutes before the end (data-session-warn) the warning dialog opens, with the
 * time left, and its button "Oturumu uzat" tells the server the person is still there
 * (POST data-extend-url with the session's CSRF token in X-CSRF-Token), which answers the new
 * time left. When the time is up, the second dialog says the session ended and links to the
 * login.
 *
 * On the form page what is typed is kept as a draft on the server, never lost to a timeout:
 * a few seconds after the person stops typing the form is posted with action=draft (the same
 * request as the page's "Taslak olarak kaydet" button, answered in JSON), and once more when
 * the warning opens. The security word's two fields are never sent with it. Each such request
 * is activity: the session's time left starts again from the answer.
 *
 * Without this file nothing breaks: the page still has its "Taslak olarak kaydet" button, and a
 * timed-out session leads to the login, after which the form shows the last saved draft.
 */
(function () {
  'use strict';

  var warning = document.getElementById('session-warning');
  var ended = document.getElementById('session-ended');
  if (!warning || !ended || typeof warning.showModal !== 'function') {
    return;
  }
  var left = parseInt(warning.getAttribute('data-session-left'), 10);
  var warnAt = parseInt(warning.getAttribute('data-session-warn'), 10) || 120;
  var extendUrl = warning.getAttribute('data-extend-url');
  var csrf = warning.getAttribute('data-csrf') || '';
  var timeText = warning.querySelector('[data-session-time]');
  var extendButton = warning.querySelector('[data-session-extend]');
  var form = document.querySelector('form[data-draft]');
  if (!(left > 0)) {
    return;
  }
  var deadline = Date.now() + left * 1000;
  var over = false;

  function unit(name, n) {
    return (warning.getAttribute('data-unit-' + name) || '{0}').replace('{0}', String(n));
  }
  function duration(s) {
    var m = Math.floor(s / 60);
    var r = s % 60;
    var parts = [];
    if (m > 0) {
      parts.push(unit(m === 1 ? 'min' : 'mins', m));
    }
    if (r > 0 || m === 0) {
      parts.push(unit(r === 1 ? 'sec' : 'secs', r));
    }
    return parts.join(' ');
  }

  // the server's answer of the time left: the count starts again from it
  function renew(seconds) {
    if (seconds > 0) {
      deadline = Date.now() + seconds * 1000;
    }
  }

  // ---- the form's draft ----
  var draftTimer = null;
  var dirty = false;
  function saveDraft() {
    if (!form || over) {
      return Promise.resolve();
    }
    dirty = false;
    var body = new URLSearchParams();
    var data = new FormData(form);
    data.forEach(function (value, name) {
      if (name !== 'security_word' && name !== 'security_word_repeat' && name !== 'action') {
        body.append(name, value);
      }
    });
    body.append('action', 'draft');
    return fetch(form.getAttribute('action') || window.location.pathname, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
      body: body,
    })
      .then(function (res) {
        return res.ok ? res.json() : null;
      })
      .then(function (answer) {
        if (answer && answer.expires_in) {
          renew(answer.expires_in);
        }
      })
      .catch(function () {
        dirty = true; // tried again with the next change or at the warning
      });
  }
  if (form) {
    var changed = function (event) {
      if (event.target && /^security_word/.test(event.target.name || '')) {
        return;
      }
      dirty = true;
      if (draftTimer !== null) {
        clearTimeout(draftTimer);
      }
      draftTimer = setTimeout(saveDraft, 3000);
    };
    form.addEventListener('input', changed);
    form.addEventListener('change', changed);
  }

  // ---- the warning and the end ----
  function extend() {
    extendButton.disabled = true;
    return fetch(extendUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': csrf, Accept: 'application/json' },
    })
      .then(function (res) {
        if (!res.ok) {
          throw new Error('session');
        }
        return res.json();
      })
      .then(function (answer) {
        renew(answer.expires_in);
        warning.close();
      })
      .catch(function () {
        end();
      })
      .then(function () {
        extendButton.disabled = false;
      });
  }

  function end() {
    if (over) {
      return;
    }
    over = true;
    if (warning.open) {
      warning.close();
    }
    ended.showModal();
  }

  extendButton.addEventListener('click', extend);
  // Escape closes a modal dialog: closing the warning is not "stay logged in", so it only
  // hides until the next tick shows it again
  warning.addEventListener('cancel', function (event) {
    event.preventDefault();
  });
  ended.addEventListener('cancel', function (event) {
    event.preventDefault();
  });

  setInterval(function () {
    if (over) {
      return;
    }
    var s = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    if (s === 0) {
      end();
      return;
    }
    if (s <= warnAt) {
      if (timeText) {
        timeText.textContent = duration(s);
      }
      if (!warning.open) {
        if (form && dirty) {
          saveDraft();
        }
        warning.showModal();
        extendButton.focus();
      }
    }
  }, 1000);
})();
