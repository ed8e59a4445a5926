/* eimza — the signing page's script (the pages: src/web/pages/signing.c, /imza, and the new
 * card's test, src/web/pages/flow_holder.c, /kart-dene). It talks to
 * the local signing agent (`eimza agent`, API at the top of src/sign/agent.c) that runs on the
 * applicant's own computer beside the smart card.
 *
 * DOM contract (the page writes it; nothing here is inline, the CSP is default-src 'self' with
 * the agent's origin added to connect-src):
 *   <form id="sign-form" hidden data-agent="http://127.0.0.1:8089"
 *         data-content-url="/api/v1/application/content"
 *         data-submit-url="/api/v1/application/signature"
 *         data-done-url="/basvuru/tamam" data-csrf="TOKEN"
 *         data-say-NAME="..." ...>   every sentence the script says, in the page's language
 *                                      (web_pg_sign_words; {0} is filled in)
 *     <select id="sign-token" disabled>  filled with the agent's cards
 *     <button id="sign-button" disabled>
 *   <p id="sign-status" role="status" aria-live="polite">   every step is said here
 *   <section id="sign-fallback" hidden>   shown while no agent answers: how to start it, or
 *     <input type="file" id="sign-file"> + <button id="sign-upload">  to send a .p7s made
 *                                           with `eimza sign`
 *
 * Flow: ask the agent for its cards (GET /v1/tokens); when it answers, show the form and hide
 * the fallback; when it does not, show the fallback and ask again every few seconds, so that
 * starting the agent is enough. On "İmzala": fetch the exact bytes to sign from the portal
 * (same origin, with the session cookie), have the agent sign them (POST /v1/sign; the agent
 * asks the PIN in its own window — the PIN is never typed into this page), send the DER
 * signature to the portal (application/pkcs7-signature, X-CSRF-Token), and go to the status
 * page on 200, or show the portal's or the agent's Turkish message. Nothing is retried on its
 * own: a wrong PIN costs one of the card's tries, so only the person tries again.
 */
(function () {
  'use strict';

  var form = document.getElementById('sign-form');
  var select = document.getElementById('sign-token');
  var button = document.getElementById('sign-button');
  var statusEl = document.getElementById('sign-status');
  var fallback = document.getElementById('sign-fallback');
  var fileInput = document.getElementById('sign-file');
  var uploadButton = document.getElementById('sign-upload');
  if (!form || !select || !button || !statusEl) {
    return;
  }

  var agent = (form.getAttribute('data-agent') || 'http://127.0.0.1:8089').replace(/\/+$/, '');
  var contentUrl = form.getAttribute('data-content-url') || '/api/v1/application/content';
  var submitUrl = form.getAttribute('data-submit-url') || '/api/v1/application/signature';
  var doneUrl = form.getAttribute('data-done-url') || '/durum';
  var csrf = form.getAttribute('data-csrf') || '';

  var AGENT_TIMEOUT_MS = 4000; // for the token list; signing waits for the person
  var POLL_MS = 5000;
  var MAX_UPLOAD = 1024 * 1024;

  var busy = false;
  var pollTimer = null;
  var agentSeen = false;

  function say(text) {
    statusEl.textContent = text;
  }

  // The page's words for NAME (data-say-NAME, from the catalogue), {0} replaced by arg. A word
  // the page did not give reads as its name, so a missing one shows in the tests.
  function w(name, arg) {
    var t = form.getAttribute('data-say-' + name);
    if (t === null) {
      return '[' + name + ']';
    }
    return arg === undefined ? t : t.replace('{0}', String(arg));
  }

  // fetch with a time limit (AbortController where there is one)
  function fetchLimited(url, options, ms) {
    if (typeof AbortController === 'undefined') {
      return fetch(url, options);
    }
    var ctl = new AbortController();
    var timer = setTimeout(function () {
      ctl.abort();
    }, ms);
    options.signal = ctl.signal;
    return fetch(url, options).then(
      function (r) {
        clearTimeout(timer);
        return r;
      },
      function (e) {
        clearTimeout(timer);
        throw e;
      }
    );
  }

  // The Turkish message of an {"error":{"code","message"}} answer, or the fallback text.
  function errorMessage(response, fallbackText) {
    return response.json().then(
      function (j) {
        return (j && j.error && j.error.message) || fallbackText;
      },
      function () {
        return fallbackText;
      }
    );
  }

  function toBase64(buffer) {
    var bytes = new Uint8Array(buffer);
    var parts = [];
    for (var i = 0; i < bytes.length; i += 0x8000) {
      parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000)));
    }
    return btoa(parts.join(''));
  }

  function fromBase64(text) {
    var bin = atob(text);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) {
      bytes[i] = bin.charCodeAt(i);
    }
    return bytes;
  }

  function dateTr(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
    return m ? m[3] + '.' + m[2] + '.' + m[1] : '';
  }

  // ---- the card list ---------------------------------------------------------------------

  function optionText(t) {
    var text = t.label + ' — ' + (t.model || w('card')) + (t.manufacturer ? ' (' + t.manufacturer + ')' : '');
    if (t.certificate) {
      text += ': ' + t.certificate.subject_cn;
      var until = dateTr(t.certificate.not_after);
      if (until) {
        text += ', ' + w('until', until);
      }
    } else {
      text += ': ' + w('no-cert');
    }
    if (t.pin && t.pin.locked) {
      text += ' — ' + w('locked');
    }
    return text;
  }

  function usable(t) {
    return !!t.certificate && !(t.pin && t.pin.locked);
  }

  // keepStatus: leave the live region as it is (it holds an error the person must read)
  function showTokens(tokens, keepStatus) {
    var previous = select.value;
    while (select.firstChild) {
      select.removeChild(select.firstChild);
    }
    var usableCount = 0;
    var warning = '';
    for (var i = 0; i < tokens.length; i++) {
      var t = tokens[i];
      var o = document.createElement('option');
      o.value = t.label;
      o.textContent = optionText(t);
      o.disabled = !usable(t);
      if (usable(t)) {
        usableCount++;
        if (t.label === previous || usableCount === 1) {
          o.selected = true;
          warning = t.warning || '';
        }
      }
      select.appendChild(o);
    }
    var locked = tokens.some(function (t) {
      return t.certificate && t.pin && t.pin.locked;
    });
    if (usableCount === 0) {
      var none = document.createElement('option');
      none.value = '';
      none.textContent = w('none');
      none.selected = true;
      select.insertBefore(none, select.firstChild);
      select.disabled = true;
      button.disabled = true;
      if (keepStatus) {
        return false;
      }
      say(locked ? w('card-locked') : w('no-usable'));
      return false;
    }
    select.disabled = busy;
    button.disabled = busy;
    if (!busy && !keepStatus) {
      say(
        (usableCount === 1 ? w('found') : w('choose')) +
          (warning ? ' ' + w('warning', warning) : '') +
          ' ' +
          w('pin-where')
      );
    }
    return true;
  }

  function schedulePoll() {
    if (pollTimer === null) {
      pollTimer = setTimeout(function () {
        pollTimer = null;
        loadTokens(false);
      }, POLL_MS);
    }
  }

  function agentMissing() {
    form.hidden = true;
    if (fallback) {
      fallback.hidden = false;
    }
    say(agentSeen ? w('lost') : w('missing'));
    schedulePoll();
  }

  function loadTokens(keepStatus) {
    if (busy) {
      return;
    }
    fetchLimited(
      agent + '/v1/tokens',
      { method: 'GET', mode: 'cors', credentials: 'omit', cache: 'no-store' },
      AGENT_TIMEOUT_MS
    )
      .then(function (r) {
        if (!r.ok) {
          return errorMessage(r, w('list-failed')).then(function (m) {
            throw new Error(m);
          });
        }
        return r.json();
      })
      .then(
        function (j) {
          agentSeen = true;
          form.hidden = false;
          if (fallback) {
            fallback.hidden = true;
          }
          if (!showTokens((j && j.tokens) || [], keepStatus)) {
            schedulePoll();
          }
        },
        function () {
          if (!busy) {
            agentMissing();
          }
        }
      );
  }

  // ---- signing and sending -----------------------------------------------------------------

  function setBusy(on) {
    busy = on;
    select.disabled = on;
    button.disabled = on;
    if (uploadButton) {
      uploadButton.disabled = on;
    }
  }

  // POSTs the DER signature to the portal; goes to the next page on 200.
  function submitSignature(der) {
    say(w('sending'));
    return fetch(submitUrl, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'Content-Type': 'application/pkcs7-signature', 'X-CSRF-Token': csrf },
      body: der
    }).then(function (r) {
      if (r.status === 200) {
        say(w('sent'));
        // the answer is read to its end before leaving, so the request is not cut short
        return r.text().then(function () {
          window.location.assign(doneUrl);
        });
      }
      return errorMessage(r, w('refused', r.status)).then(
        function (m) {
          throw new Error(m);
        }
      );
    });
  }

  function failed(e) {
    setBusy(false);
    var m = e && e.message;
    // a network failure has no message of ours: say what to check
    if (!m || e.name === 'TypeError') {
      m = w('network');
    }
    say(m);
    loadTokens(true); // the card's PIN flags may have changed; the message stays
  }

  function signWithAgent() {
    if (busy || !select.value) {
      return;
    }
    setBusy(true);
    say(w('fetching'));
    fetch(contentUrl, { method: 'GET', credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        if (!r.ok) {
          return errorMessage(r, w('content-failed', r.status)).then(
            function (m) {
              throw new Error(m);
            }
          );
        }
        return r.arrayBuffer();
      })
      .then(function (content) {
        say(w('pin-asked'));
        return fetch(agent + '/v1/sign', {
          method: 'POST',
          mode: 'cors',
          credentials: 'omit',
          cache: 'no-store',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ token: select.value, content_b64: toBase64(content) })
        });
      })
      .then(function (r) {
        if (!r.ok) {
          return errorMessage(r, w('sign-failed', r.status)).then(
            function (m) {
              throw new Error(m);
            }
          );
        }
        return r.json();
      })
      .then(function (j) {
        if (!j || typeof j.cms_b64 !== 'string') {
          throw new Error(w('bad-answer'));
        }
        return submitSignature(fromBase64(j.cms_b64));
      })
      .catch(failed);
  }

  function uploadFile() {
    if (busy) {
      return;
    }
    var file = fileInput && fileInput.files && fileInput.files[0];
    if (!file) {
      say(w('choose-file'));
      return;
    }
    if (file.size === 0 || file.size > MAX_UPLOAD) {
      say(w('bad-file'));
      return;
    }
    setBusy(true);
    say(w('reading-file'));
    file
      .arrayBuffer()
      .then(function (buf) {
        return submitSignature(new Uint8Array(buf));
      })
      .catch(failed);
  }

  button.addEventListener('click', signWithAgent);
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    signWithAgent();
  });
  select.addEventListener('change', function () {
    say('');
  });
  if (uploadButton) {
    uploadButton.addEventListener('click', uploadFile);
  }

  say(w('looking'));
  loadTokens(false);
})();
