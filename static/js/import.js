/* eimza — the personnel import's upload on the admins' page (/yonetim/aktarim), with a progress
 * bar. Loaded only by that page (web/pages/import.c).
 *
 * Without this file the page works: the file's content is pasted into the text area and posted
 * as a form. With it, the file field is shown, and a chosen file is sent as it is (POST
 * text/csv; the session's CSRF token, from the form, in X-CSRF-Token; the file's name in
 * X-File-Name) through XMLHttpRequest, whose upload events drive the <progress>; once the last
 * byte is sent the bar turns indeterminate ("the server is importing"). The answer (the result
 * page) then replaces this one, and the focus goes to its heading. An error of the network
 * says so and leaves the form as it was.
 */
(function () {
  'use strict';

  var form = document.querySelector('[data-import-form]');
  if (!form || !window.XMLHttpRequest || !window.DOMParser) {
    return;
  }
  var fileBox = form.querySelector('[data-import-file]');
  var file = form.querySelector('input[type="file"]');
  var box = form.querySelector('[data-import-progress]');
  var bar = box.querySelector('progress');
  var status = box.querySelector('[data-import-status]');
  fileBox.hidden = false;

  function say(text) {
    status.textContent = text;
  }

  form.addEventListener('submit', function (event) {
    if (!file.files || file.files.length === 0) {
      return; /* nothing chosen: the pasted content goes as a form */
    }
    event.preventDefault();
    var chosen = file.files[0];
    var xhr = new XMLHttpRequest();
    var button = form.querySelector('button[type="submit"]');
    xhr.open('POST', form.getAttribute('action'));
    xhr.setRequestHeader('Content-Type', 'text/csv; charset=utf-8');
    xhr.setRequestHeader('X-CSRF-Token', form.querySelector('input[name="csrf_token"]').value);
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(chosen.name).slice(0, 200));
    box.hidden = false;
    bar.value = 0;
    bar.max = 100;
    say(status.getAttribute('data-uploading').replace('{0}', '0'));
    button.disabled = true;
    var lastSaid = -1;
    xhr.upload.addEventListener('progress', function (e) {
      if (!e.lengthComputable) {
        return;
      }
      var pct = Math.floor((e.loaded * 100) / e.total);
      bar.value = pct;
      /* a screen reader is told every tenth, not every byte */
      if (Math.floor(pct / 10) !== lastSaid) {
        lastSaid = Math.floor(pct / 10);
        say(status.getAttribute('data-uploading').replace('{0}', String(pct)));
      }
    });
    xhr.upload.addEventListener('load', function () {
      bar.removeAttribute('value'); /* indeterminate: the server reads the file now */
      say(status.getAttribute('data-processing'));
    });
    xhr.addEventListener('load', function () {
      var doc = new DOMParser().parseFromString(xhr.responseText, 'text/html');
      document.title = doc.title;
      document.body.replaceWith(document.adoptNode(doc.body));
      var h1 = document.querySelector('main h1');
      if (h1) {
        h1.setAttribute('tabindex', '-1');
        h1.focus();
      }
    });
    xhr.addEventListener('error', function () {
      button.disabled = false;
      bar.value = 0;
      say(status.getAttribute('data-failed'));
    });
    xhr.send(chosen);
  });
})();
