/* eimza — the signing page's script (the page: src/web/pages/signing.c, /imza), in Turkish or
 * English as the page's <html lang> says. It gets the application signed by the person's own
 * signing agent (`eimza agent`) in one of two ways:
 *
 *  - the loopback path: the page talks to the agent's listener on this computer
 *    (http://127.0.0.1:8089; API at the top of src/sign/agent.c). From a portal that the
 *    browser counts as public (or intranet), that request needs the Local Network Access
 *    permission ("loopback-network" from Chrome 145, "local-network" / "local-network-access"
 *    before): the page asks for it only when the person presses "İmzala", never on load,
 *    declares the request's target address space where the browser supports it, and when the
 *    permission is denied or dismissed says how to allow it again — and offers the relay path;
 *  - the relay path (when the page names a ticket URL): no request from the page to this
 *    computer at all. The page asks its portal for a one-time ticket, opens
 *    eimza://sign?ticket=…&portal=https://… (the desktop starts `eimza agent --handle-url`,
 *    which talks to the portal over HTTPS, shows what is signed and asks the PIN itself), and
 *    polls the ticket's state until the portal has the signature. docs/INTERFACES.md has the
 *    contract ("Signing through the relay").
 *
 * DOM contract (the page writes it; nothing here is inline, the CSP is default-src 'self' with
 * the agent's origin added to connect-src; src/web/pages/signing.c writes it):
 *   <html lang="tr|en">
 *   <form id="sign-form" hidden data-agent="http://127.0.0.1:8089"
 *         data-content-url="/api/v1/application/content"
 *         data-submit-url="/api/v1/application/signature"
 *         data-done-url="/durum" data-csrf="TOKEN"
 *         data-ticket-url="/api/v1/application/sign-ticket"   optional: the relay path is
 *                                                              offered only when present
 *         data-agent-min-version="0.2.0"                       optional: an older agent is
 *                                                              asked to be updated
 *         data-agent-download-url="/indir/eimza-agent.deb"     optional: where to get it
 *         data-say-card-locked="Kart kilitli: …">   optional: what a locked card's holder does,
 *                                  in the page's language from the catalogue, as it depends
 *                                  on the deployment and the page (who made the card); this
 *                                  script's own words below when it is missing
 *     <select id="sign-token" disabled>  filled with the agent's cards
 *     <button id="sign-button" disabled>
 *   <p id="sign-status" role="status" aria-live="polite">   every step is said here
 *   <section id="sign-fallback" hidden>   shown while no agent answers: the agent's packages
 *     and how to install them, or     (two steps; the links come from agent_download_url)
 *     <input type="file" id="sign-file"> + <button id="sign-upload">  to send a .p7s made
 *                                           with `eimza sign`
 * The script adds after #sign-status, when they are needed: #sign-lna (how to allow the
 * browser's permission again), #sign-relay (the relay path's button and, once a ticket is
 * out, the eimza: link to open by hand) and #sign-update (an agent too old, with the download
 * link).
 *
 * Nothing is retried on its own: a wrong PIN costs one of the card's tries, so only the person
 * tries again.
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
  var ticketUrl = form.getAttribute('data-ticket-url') || '';
  var minVersion = form.getAttribute('data-agent-min-version') || '';
  var downloadUrl = form.getAttribute('data-agent-download-url') || '';

  var AGENT_TIMEOUT_MS = 4000; // for the token list; signing waits for the person
  var POLL_MS = 5000;
  var RELAY_POLL_MS = 1500;
  var RELAY_SLOW_MS = 20000; // no agent has taken the ticket by then: say what to check
  var MAX_UPLOAD = 1024 * 1024;

  // ---- words ------------------------------------------------------------------------------

  var lang = /^en\b/i.test(document.documentElement.getAttribute('lang') || '') ? 'en' : 'tr';
  var WORDS = {
    tr: {
      searching: 'Bilgisayarınızdaki e-imza aracı aranıyor…',
      card: 'kart',
      until: 'son geçerlilik',
      noCertificate: 'imza sertifikası yok',
      locked: 'kilitli',
      noCard: 'Kart bulunamadı',
      cardLocked: "Kart kilitli: PUK ile ya da Kamu SM'nin kilit açma hizmetiyle açınız.",
      noUsableCard:
        'İmza aracı çalışıyor ama imzalamaya uygun bir kart bulunamadı: e-imza kartınızı ' +
        'okuyucuya takınız; liste kendiliğinden yenilenir.',
      oneCard: 'Kartınız bulundu.',
      chooseCard: 'Lütfen işlem yapılacak kart tipini seçiniz.',
      careful: ' Dikkat: ',
      pinWhere: ' "İmzala" düğmesine basınca kart PIN\'iniz imza aracının penceresinde sorulacak.',
      chooseThenSign: 'Lütfen işlem yapılacak kart tipini seçiniz ve "İmzala" düğmesine yeniden basınız.',
      lost: 'İmza aracıyla bağlantı kesildi: aracın çalıştığını denetleyiniz. Yeniden bağlanılıyor…',
      missing:
        'Bilgisayarınızda çalışan e-imza aracı bulunamadı. Aşağıdaki iki adımla kurunuz; ' +
        'çalışınca bu sayfa onu kendiliğinden bulur.',
      missingAfterClick:
        'Bilgisayarınızda çalışan e-imza aracı bulunamadı. Aşağıdaki iki adımla kurup ' +
        '"İmzala" düğmesine yeniden basınız.',
      listFailed: 'İmza aracı kartları listeleyemedi.',
      askFirst:
        '"İmzala" düğmesine bastığınızda tarayıcınız, bu sayfanın bilgisayarınızdaki e-imza ' +
        'aracına bağlanması için izin isteyebilir: "İzin ver"i seçiniz.',
      cardsAfterClick: '"İmzala"ya basınca kartlar okunur',
      connecting: 'Bilgisayarınızdaki e-imza aracına bağlanılıyor…',
      lnaTitle: 'Tarayıcınız imza aracına bağlanmaya izin vermiyor',
      lnaDenied:
        'Tarayıcınız, bu sayfanın bilgisayarınızdaki e-imza aracına bağlanmasını engelliyor ' +
        '(yerel ağ erişimi izni verilmedi).',
      lnaHow:
        'İzin vermek için adres çubuğunun solundaki site bilgileri simgesine tıklayınız, site ' +
        'ayarlarında yerel ağ (bu cihazdaki uygulamalar) erişimi iznini "İzin ver" yapın ve ' +
        'sayfayı yenileyiniz. Kurumunuzun yönettiği bilgisayarlarda bu izni bilgi işlem biriminiz ' +
        'de verebilir.',
      lnaDismissed:
        'Tarayıcınızın sorduğu izni vermediniz. "İmzala" düğmesine yeniden basıp tarayıcının ' +
        'sorusunda "İzin ver"i seçiniz.',
      lnaInsecure:
        'Bu sayfa güvenli (https) bağlantıyla açılmadığı için tarayıcınız bilgisayarınızdaki ' +
        'e-imza aracına bağlanmaya izin vermiyor.',
      lnaOrRelay: 'İzin vermeden imzalamak için aşağıdaki "İmza aracını aç" düğmesini kullanınız.',
      relayTitle: 'Tarayıcı izni gerekmeden imzalayınız',
      relayLead:
        'Bu düğme bilgisayarınızdaki e-imza aracını açar; araç imzalanacak içeriği portaldan ' +
        'kendisi alır, size gösterir ve kart PIN\'inizi kendi penceresinde sorar.',
      relayButton: 'İmza aracını aç',
      relayAsking: 'İmza isteği hazırlanıyor…',
      relayOpened:
        'İmza aracı açılıyor: tarayıcınız izin isterse "Aç"ı seçiniz. PIN\'inizi aracın ' +
        'penceresine giriniz, bu sayfaya değil. Üç yanlış PIN kartı kilitler.',
      relayLink: 'İmza aracı açılmadıysa buraya tıklayınız',
      relaySlow:
        'İmza aracı henüz açılmadı. Kurulu olduğundan emin olunuz; açılmadıysa yukarıdaki ' +
        'bağlantıya tıklayınız.',
      relayClaimed:
        'İmza aracı içeriği aldı: imzalanacak içeriği aracın penceresinde görüp kart PIN\'inizi ' +
        'oraya giriniz.',
      relayExpired: 'İmza isteğinin süresi doldu: "İmza aracını aç" düğmesine yeniden basınız.',
      relaySuperseded: 'Bu imza isteğinin yerine yenisi açıldı (başka bir sekmede olabilir).',
      relayFailed: 'İmzalama tamamlanamadı: "İmza aracını aç" düğmesine yeniden basınız.',
      updateNeeded: function (have, want) {
        return (
          'Bilgisayarınızdaki e-imza aracı eski (sürüm ' + have + '; en az ' + want +
          ' gerekiyor): yeni sürümü kurup bu sayfayı yenileyiniz.'
        );
      },
      download: 'E-imza aracını indir',
      getContent: 'İmzalanacak içerik alınıyor…',
      pinAsked:
        "Kart PIN'iniz imza aracının penceresinde soruluyor: PIN'i oraya giriniz, bu sayfaya " +
        'değil. Üç yanlış PIN kartı kilitler.',
      sending: 'İmza başvuru sistemine gönderiliyor…',
      done: 'İmzanız kabul edildi. Sonraki sayfa açılıyor…',
      notAccepted: function (s) {
        return 'İmza başvuru sistemince kabul edilmedi (durum ' + s + ').';
      },
      contentFailed: function (s) {
        return 'İmzalanacak içerik alınamadı (durum ' + s + ').';
      },
      agentFailed: function (s) {
        return 'İmza aracı imzalayamadı (durum ' + s + ').';
      },
      agentAnswer: 'İmza aracının yanıtı anlaşılamadı.',
      network:
        'Bağlantı kurulamadı: internet bağlantınızı ve imza aracının çalıştığını denetleyip ' +
        'yeniden deneyiniz.',
      chooseFile: 'Önce `eimza sign` ile oluşturduğunuz .p7s imza dosyasını seçiniz.',
      badFile: 'Seçtiğiniz dosya bir .p7s imza dosyası olamaz (boyutu uygun değil).',
      readingFile: 'İmza dosyası okunuyor…',
      codes: {
        cancelled: 'PIN girişi iptal edildi; içerik imzalanmadı.',
        pin_incorrect: 'PIN yanlış; içerik imzalanmadı. Dikkat: üç yanlış PIN kartı kilitler.',
        pin_locked: "Kart kilitli: PUK ile ya da Kamu SM'nin kilit açma hizmetiyle açınız.",
        pin_invalid: 'PIN kartın kabul ettiği biçimde değil (AKİS kartlarında genellikle 6 rakam).',
        pin_unavailable:
          'İmza aracı PIN soramadı: masaüstü oturumunda çalıştığından emin olunuz.',
        token_not_found: 'Kart bulunamadı: kartınızı okuyucuya takıp yeniden deneyiniz.',
        token_ambiguous: 'Birden çok kart takılı: yalnızca imzalayacağınız kartı takınız.',
        no_certificate: 'Kartta imzalamaya uygun bir sertifika bulunamadı.',
        no_private_key: 'Karttaki sertifikanın özel anahtarı bulunamadı.',
        module_error: 'Kart sürücüsü yüklenemedi: AKİS kart sürücüsünü yeniden kurunuz.',
        module_not_configured: 'İmza aracı kart sürücüsünü bulamadı: AKİS kart sürücüsünü kurunuz.',
        token_error: 'Kartla iletişim kurulamadı: kartı çıkarıp yeniden takınız.',
        sign_failed: 'İmza oluşturulamadı: kartı çıkarıp yeniden takınız.',
        content_not_text: 'İmza aracı içeriği gösteremediği için imzalamadı.',
        agent_outdated: 'İmza aracınız bu portal için eski: yeni sürümü kurunuz.'
      }
    },
    en: {
      searching: 'Looking for the e-signature agent on your computer…',
      card: 'card',
      until: 'valid until',
      noCertificate: 'no signing certificate',
      locked: 'locked',
      noCard: 'No card found',
      cardLocked: "The card is locked: unlock it with the PUK or Kamu SM's unlocking service.",
      noUsableCard:
        'The signing agent is running but found no card fit for signing: insert your ' +
        'e-signature card; the list refreshes by itself.',
      oneCard: 'Your card was found.',
      chooseCard: 'Please choose the card to use.',
      careful: ' Careful: ',
      pinWhere: ' When you press "Sign", the signing agent asks for your card PIN in its own window.',
      chooseThenSign: 'Please choose the card to use and press "Sign" again.',
      lost: 'The connection to the signing agent was lost: check that it is running. Reconnecting…',
      missing:
        'No e-signature agent is running on your computer. Install it in the two steps below; ' +
        'this page finds it by itself once it runs.',
      missingAfterClick:
        'No e-signature agent is running on your computer. Install it in the two steps below ' +
        'and press "Sign" again.',
      listFailed: 'The signing agent could not list the cards.',
      askFirst:
        'When you press "Sign", your browser may ask whether this page may connect to the ' +
        'e-signature agent on your computer: choose "Allow".',
      cardsAfterClick: 'The cards are read when you press "Sign"',
      connecting: 'Connecting to the e-signature agent on your computer…',
      lnaTitle: 'Your browser does not let the page reach the signing agent',
      lnaDenied:
        'Your browser blocks this page from connecting to the e-signature agent on your ' +
        'computer (local network access was not allowed).',
      lnaHow:
        "To allow it, click the site information icon left of the address bar, set the site's " +
        'local network (apps on this device) access to "Allow" and reload the page. On ' +
        "computers your institution manages, its IT unit can allow it too.",
      lnaDismissed:
        'You did not allow what the browser asked. Press "Sign" again and choose "Allow" when ' +
        'the browser asks.',
      lnaInsecure:
        'This page was not opened over a secure (https) connection, so your browser does not ' +
        'let it connect to the e-signature agent on your computer.',
      lnaOrRelay: 'To sign without that permission, use the "Open the signing agent" button below.',
      relayTitle: 'Sign without the browser permission',
      relayLead:
        'This button opens the e-signature agent on your computer; the agent fetches what is ' +
        'to be signed from the portal itself, shows it to you and asks for your card PIN in its ' +
        'own window.',
      relayButton: 'Open the signing agent',
      relayAsking: 'Preparing the signing request…',
      relayOpened:
        'Opening the signing agent: if your browser asks, choose "Open". Type your PIN into ' +
        "the agent's window, not into this page. Three wrong PINs lock the card.",
      relayLink: 'Click here if the signing agent did not open',
      relaySlow:
        'The signing agent has not opened yet. Make sure it is installed; if it did not open, ' +
        'click the link above.',
      relayClaimed:
        "The signing agent has the content: check it in the agent's window and type your card " +
        'PIN there.',
      relayExpired: 'The signing request expired: press "Open the signing agent" again.',
      relaySuperseded: 'A newer signing request replaced this one (perhaps in another tab).',
      relayFailed: 'Signing could not be completed: press "Open the signing agent" again.',
      updateNeeded: function (have, want) {
        return (
          'The e-signature agent on your computer is too old (version ' + have + '; ' + want +
          ' or later is needed): install the new version and reload this page.'
        );
      },
      download: 'Download the e-signature agent',
      getContent: 'Fetching the content to sign…',
      pinAsked:
        "The signing agent asks for your card PIN in its own window: type it there, not into " +
        'this page. Three wrong PINs lock the card.',
      sending: 'Sending the signature to the application system…',
      done: 'Your signature was accepted. Opening the next page…',
      notAccepted: function (s) {
        return 'The application system did not accept the signature (status ' + s + ').';
      },
      contentFailed: function (s) {
        return 'The content to sign could not be fetched (status ' + s + ').';
      },
      agentFailed: function (s) {
        return 'The signing agent could not sign (status ' + s + ').';
      },
      agentAnswer: "The signing agent's answer could not be understood.",
      network:
        'No connection could be made: check your internet connection and that the signing ' +
        'agent runs, then try again.',
      chooseFile: 'First choose the .p7s signature file you made with `eimza sign`.',
      badFile: 'The file you chose cannot be a .p7s signature file (its size is wrong).',
      readingFile: 'Reading the signature file…',
      codes: {
        cancelled: 'PIN entry was cancelled; nothing was signed.',
        pin_incorrect: 'Wrong PIN; nothing was signed. Careful: three wrong PINs lock the card.',
        pin_locked: "The card is locked: unlock it with the PUK or Kamu SM's unlocking service.",
        pin_invalid: 'The PIN is not in the form the card takes (usually 6 digits on AKİS cards).',
        pin_unavailable: 'The signing agent could not ask for the PIN: make sure it runs in your desktop session.',
        token_not_found: 'No card was found: insert your card and try again.',
        token_ambiguous: 'Several cards are inserted: leave only the one to sign with.',
        no_certificate: 'The card holds no certificate fit for signing.',
        no_private_key: "The private key of the card's certificate was not found.",
        module_error: 'The card driver could not be loaded: reinstall the AKİS card driver.',
        module_not_configured: 'The signing agent did not find the card driver: install the AKİS card driver.',
        token_error: 'The card did not answer: take it out and insert it again.',
        sign_failed: 'The signature could not be made: take the card out and insert it again.',
        content_not_text: 'The signing agent did not sign, as it could not show the content.',
        agent_outdated: 'Your signing agent is too old for this portal: install the new version.'
      }
    }
  }[lang];

  // The words that depend on who made the card (Kamu SM, or the institution itself where it
  // makes its own cards: then /imza may see either card, /kart-dene only its own) come from the
  // page, and are said for a locked card whatever the agent's own message says (the agent does
  // not know the deployment).
  var pageCodes = Object.create(null);
  var lockedWords = form.getAttribute('data-say-card-locked');
  if (lockedWords) {
    WORDS.cardLocked = lockedWords;
    WORDS.codes.pin_locked = lockedWords;
    pageCodes.pin_locked = true;
  }

  // Says text on the status line; failed: it says why something did not work (and what to do
  // next), set apart from the steps' ordinary words (.sign-failed: a bar and bold text, not
  // colour alone).
  function say(text, failed) {
    statusEl.textContent = text;
    statusEl.classList.toggle('sign-failed', !!failed && text !== '');
  }

  // ---- state --------------------------------------------------------------------------------

  var busy = false;
  var pollTimer = null;
  var agentSeen = false;
  var connected = false; // the loopback path may be used without a click (no permission asked)
  var agentVersion = '';
  var relayTimer = null;

  // ---- helpers ------------------------------------------------------------------------------

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

  // The agent listens on loopback: say so where the browser understands it (Local Network
  // Access), so the request is checked against the loopback permission and not refused as
  // mixed content from an https page.
  var declaresAddressSpace =
    typeof Request !== 'undefined' && 'targetAddressSpace' in Request.prototype;
  function agentOptions(options) {
    options.mode = 'cors';
    options.credentials = 'omit';
    options.cache = 'no-store';
    if (declaresAddressSpace) {
      options.targetAddressSpace = 'loopback';
    }
    return options;
  }

  // The message of an {"error":{"code","message"}} answer: this page's own words for an
  // agent's code when the page is not Turkish (the agent speaks Turkish) or when the page gave
  // them (pageCodes), else its message.
  function errorMessage(response, fallbackText) {
    return response.json().then(
      function (j) {
        var e = j && j.error;
        if (
          e &&
          (lang !== 'tr' || pageCodes[e.code]) &&
          e.code &&
          WORDS.codes[e.code] &&
          response.url.indexOf(agent) === 0
        ) {
          return WORDS.codes[e.code];
        }
        return (e && e.message) || fallbackText;
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

  // The day a moment (the agent's ISO 8601 UTC time) falls on in Turkey, UTC+3 all year since
  // 2016, as the portal shows every date (core/date.h): a certificate ending 23:59 UTC ends on
  // the next day.
  function dateShown(iso) {
    var t = /^\d{4}-\d{2}-\d{2}/.test(iso || '') ? Date.parse(iso) : NaN;
    if (isNaN(t)) {
      return '';
    }
    var d = new Date(t + 3 * 3600 * 1000);
    var y = String(d.getUTCFullYear());
    var mo = ('0' + (d.getUTCMonth() + 1)).slice(-2);
    var da = ('0' + d.getUTCDate()).slice(-2);
    return lang === 'en' ? y + '-' + mo + '-' + da : da + '.' + mo + '.' + y;
  }

  // dotted versions: -1, 0 or 1; null when either is not one
  function versionCmp(a, b) {
    var re = /^\d{1,6}(\.\d{1,6}){0,3}$/;
    if (!re.test(a || '') || !re.test(b || '')) {
      return null;
    }
    var pa = a.split('.');
    var pb = b.split('.');
    for (var i = 0; i < 4; i++) {
      var x = Number(pa[i] || 0);
      var y = Number(pb[i] || 0);
      if (x !== y) {
        return x < y ? -1 : 1;
      }
    }
    return 0;
  }

  function isLoopbackHost(host) {
    return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  }

  // The Local Network Access permission's state for loopback: 'granted', 'denied', 'prompt',
  // or 'unknown' when the browser knows none of its names. The status object (to watch
  // changes) comes with it.
  function lnaState() {
    var names = ['loopback-network', 'local-network', 'local-network-access'];
    if (!navigator.permissions || typeof navigator.permissions.query !== 'function') {
      return Promise.resolve({ state: 'unknown', status: null });
    }
    function next(i) {
      if (i >= names.length) {
        return Promise.resolve({ state: 'unknown', status: null });
      }
      return navigator.permissions.query({ name: names[i] }).then(
        function (st) {
          return { state: st.state, status: st };
        },
        function () {
          return next(i + 1);
        }
      );
    }
    return next(0);
  }

  // The boxes this script adds after the status line, always in this order: how to allow the
  // permission, an agent too old, the relay path (the guidance says "below" of the last).
  var RANKS = ['sign-lna', 'sign-update', 'sign-relay'];
  function place(el) {
    var after = statusEl;
    var rank = RANKS.indexOf(el.id);
    for (var i = 0; i < rank; i++) {
      var before = document.getElementById(RANKS[i]);
      if (before) {
        after = before;
      }
    }
    after.parentNode.insertBefore(el, after.nextSibling);
  }

  function element(tag, attrs, text) {
    var el = document.createElement(tag);
    for (var k in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, k)) {
        el.setAttribute(k, attrs[k]);
      }
    }
    if (text) {
      el.textContent = text;
    }
    return el;
  }

  // ---- the permission's guidance -------------------------------------------------------------

  var lnaBox = null;
  // why: 'denied', 'dismissed' or 'insecure' (the status line has said which)
  function showLna(why) {
    if (!lnaBox) {
      lnaBox = element('div', { id: 'sign-lna', class: 'notice notice-warning' });
      place(lnaBox);
    }
    while (lnaBox.firstChild) {
      lnaBox.removeChild(lnaBox.firstChild);
    }
    // the status line says why; the box says what to do
    lnaBox.appendChild(element('h2', {}, WORDS.lnaTitle));
    if (why === 'denied') {
      lnaBox.appendChild(element('p', {}, WORDS.lnaHow));
    }
    if (ticketUrl) {
      lnaBox.appendChild(element('p', {}, WORDS.lnaOrRelay));
    }
    lnaBox.hidden = false;
    showRelay();
  }

  function hideLna() {
    if (lnaBox) {
      lnaBox.hidden = true;
    }
  }

  // ---- an agent too old ------------------------------------------------------------------------

  var updateBox = null;
  function showUpdate(have) {
    if (!updateBox) {
      updateBox = element('div', { id: 'sign-update', class: 'notice notice-warning' });
      place(updateBox);
    }
    while (updateBox.firstChild) {
      updateBox.removeChild(updateBox.firstChild);
    }
    updateBox.appendChild(element('p', {}, WORDS.updateNeeded(have, minVersion)));
    if (downloadUrl) {
      var p = element('p');
      p.appendChild(element('a', { href: downloadUrl, download: '' }, WORDS.download));
      updateBox.appendChild(p);
    }
    updateBox.hidden = false;
  }

  function tooOld(version) {
    return !!minVersion && versionCmp(version, minVersion) === -1;
  }

  // ---- the card list (the loopback path) -------------------------------------------------------

  function optionText(t) {
    var text = t.label + ' — ' + (t.model || WORDS.card) + (t.manufacturer ? ' (' + t.manufacturer + ')' : '');
    if (t.certificate) {
      text += ': ' + t.certificate.subject_cn;
      var until = dateShown(t.certificate.not_after);
      if (until) {
        text += ', ' + WORDS.until + ' ' + until;
      }
    } else {
      text += ': ' + WORDS.noCertificate;
    }
    if (t.pin && t.pin.locked) {
      text += ' — ' + WORDS.locked;
    }
    return text;
  }

  function usable(t) {
    return !!t.certificate && !(t.pin && t.pin.locked);
  }

  // keepStatus: leave the live region as it is (it holds an error the person must read).
  // Returns the number of usable cards.
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
      none.textContent = WORDS.noCard;
      none.selected = true;
      select.insertBefore(none, select.firstChild);
      select.disabled = true;
      button.disabled = true;
      if (!keepStatus) {
        say(locked ? WORDS.cardLocked : WORDS.noUsableCard, true);
      }
      return 0;
    }
    select.disabled = busy;
    button.disabled = busy;
    if (!busy && !keepStatus) {
      // the card's warning is the agent's Turkish; an English page leaves it out
      say(
        (usableCount === 1 ? WORDS.oneCard : WORDS.chooseCard) +
          (warning && lang === 'tr' ? WORDS.careful + warning + '.' : '') +
          WORDS.pinWhere
      );
    }
    return usableCount;
  }

  function schedulePoll() {
    if (pollTimer === null && connected) {
      pollTimer = setTimeout(function () {
        pollTimer = null;
        loadTokens(false);
      }, POLL_MS);
    }
  }

  function agentMissing(afterClick) {
    form.hidden = !afterClick; // after a click, "İmzala" stays to be pressed again
    if (fallback) {
      fallback.hidden = false;
    }
    say(agentSeen ? WORDS.lost : afterClick ? WORDS.missingAfterClick : WORDS.missing);
    if (downloadUrl) {
      showDownload();
    }
    showRelay();
    schedulePoll();
  }

  var downloadShown = false;
  function showDownload() {
    if (downloadShown || !fallback) {
      return;
    }
    downloadShown = true;
    var p = element('p', { id: 'sign-download' });
    p.appendChild(element('a', { href: downloadUrl, download: '' }, WORDS.download));
    fallback.insertBefore(p, fallback.firstChild.nextSibling);
  }

  // Asks the agent for its cards. Resolves to the number of usable cards, or rejects when the
  // agent could not be reached (the caller decides what that means).
  function fetchTokens(keepStatus) {
    return fetchLimited(agent + '/v1/tokens', agentOptions({ method: 'GET' }), AGENT_TIMEOUT_MS)
      .then(function (r) {
        if (!r.ok) {
          return errorMessage(r, WORDS.listFailed).then(function (m) {
            var e = new Error(m);
            e.fromAgent = true;
            throw e;
          });
        }
        return r.json();
      })
      .then(function (j) {
        agentSeen = true;
        agentVersion = (j && j.version) || '';
        form.hidden = false;
        if (fallback) {
          fallback.hidden = true;
        }
        hideLna();
        if (tooOld(agentVersion)) {
          showUpdate(agentVersion);
          select.disabled = true;
          button.disabled = true;
          return 0;
        }
        return showTokens((j && j.tokens) || [], keepStatus);
      });
  }

  function loadTokens(keepStatus) {
    if (busy) {
      return;
    }
    fetchTokens(keepStatus).then(
      function (n) {
        if (n === 0) {
          schedulePoll();
        }
      },
      function (e) {
        if (busy) {
          return;
        }
        if (e && e.fromAgent) {
          say(e.message, true);
          schedulePoll();
          return;
        }
        agentMissing(false);
      }
    );
  }

  // ---- signing and sending (the loopback path) ------------------------------------------------

  function setBusy(on) {
    busy = on;
    select.disabled = on || !select.value;
    button.disabled = on;
    if (uploadButton) {
      uploadButton.disabled = on;
    }
    if (relayButton) {
      relayButton.disabled = on;
    }
  }

  // POSTs the DER signature to the portal; goes to the status page on 200.
  function submitSignature(der) {
    say(WORDS.sending);
    return fetch(submitUrl, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'Content-Type': 'application/pkcs7-signature', 'X-CSRF-Token': csrf },
      body: der
    }).then(function (r) {
      if (r.status === 200) {
        say(WORDS.done);
        // the answer is read to its end before leaving, so the request is not cut short
        return r.text().then(function () {
          window.location.assign(doneUrl);
        });
      }
      return errorMessage(r, WORDS.notAccepted(r.status)).then(function (m) {
        throw new Error(m);
      });
    });
  }

  function failed(e) {
    setBusy(false);
    var m = e && e.message;
    // a network failure has no message of ours: say what to check
    if (!m || e.name === 'TypeError') {
      m = WORDS.network;
    }
    say(m, true);
    if (connected) {
      loadTokens(true); // the card's PIN flags may have changed; the message stays
    }
  }

  function signWithAgent() {
    if (busy || !select.value) {
      return;
    }
    setBusy(true);
    say(WORDS.getContent);
    fetch(contentUrl, { method: 'GET', credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        if (!r.ok) {
          return errorMessage(r, WORDS.contentFailed(r.status)).then(function (m) {
            throw new Error(m);
          });
        }
        return r.arrayBuffer();
      })
      .then(function (content) {
        say(WORDS.pinAsked);
        return fetch(
          agent + '/v1/sign',
          agentOptions({
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ token: select.value, content_b64: toBase64(content) })
          })
        );
      })
      .then(function (r) {
        if (!r.ok) {
          return errorMessage(r, WORDS.agentFailed(r.status)).then(function (m) {
            throw new Error(m);
          });
        }
        return r.json();
      })
      .then(function (j) {
        if (!j || typeof j.cms_b64 !== 'string') {
          throw new Error(WORDS.agentAnswer);
        }
        return submitSignature(fromBase64(j.cms_b64));
      })
      .catch(failed);
  }

  // "İmzala" before the page has talked to the agent: this is where the browser may ask for
  // the Local Network Access permission, after the person's own click.
  function connectThenSign() {
    if (busy) {
      return;
    }
    setBusy(true);
    say(WORDS.connecting);
    fetchTokens(false).then(
      function (n) {
        connected = true;
        setBusy(false);
        if (tooOld(agentVersion)) {
          select.disabled = true;
          button.disabled = true;
          return;
        }
        if (n === 1) {
          signWithAgent(); // the person already pressed "İmzala"
        } else if (n > 1) {
          say(WORDS.chooseThenSign);
        } else {
          schedulePoll();
        }
      },
      function (e) {
        setBusy(false);
        if (e && e.fromAgent) {
          say(e.message, true);
          return;
        }
        lnaState().then(function (p) {
          if (p.state === 'denied') {
            denied();
          } else if (p.state === 'prompt') {
            say(WORDS.lnaDismissed);
            showLna('dismissed');
          } else {
            agentMissing(true);
          }
        });
      }
    );
  }

  function onSignButton() {
    if (connected) {
      signWithAgent();
    } else {
      connectThenSign();
    }
  }

  function uploadFile() {
    if (busy) {
      return;
    }
    var file = fileInput && fileInput.files && fileInput.files[0];
    if (!file) {
      say(WORDS.chooseFile);
      return;
    }
    if (file.size === 0 || file.size > MAX_UPLOAD) {
      say(WORDS.badFile, true);
      return;
    }
    setBusy(true);
    say(WORDS.readingFile);
    file
      .arrayBuffer()
      .then(function (buf) {
        return submitSignature(new Uint8Array(buf));
      })
      .catch(failed);
  }

  // ---- the relay path --------------------------------------------------------------------------

  var relayBox = null;
  var relayButton = null;
  var relayLink = null;

  function showRelay() {
    if (!ticketUrl || relayBox) {
      if (relayBox) {
        relayBox.hidden = false;
      }
      return;
    }
    relayBox = element('section', { id: 'sign-relay', class: 'notice', 'aria-labelledby': 'sign-relay-title' });
    relayBox.appendChild(element('h2', { id: 'sign-relay-title' }, WORDS.relayTitle));
    relayBox.appendChild(element('p', {}, WORDS.relayLead));
    var buttons = element('div', { class: 'buttons' });
    relayButton = element('button', { type: 'button', id: 'sign-relay-button', class: 'secondary' }, WORDS.relayButton);
    relayButton.disabled = busy;
    relayButton.addEventListener('click', relayStart);
    buttons.appendChild(relayButton);
    relayBox.appendChild(buttons);
    var p = element('p');
    relayLink = element('a', { id: 'sign-relay-link', href: '#' }, WORDS.relayLink);
    p.appendChild(relayLink);
    p.hidden = true;
    relayBox.appendChild(p);
    place(relayBox);
  }

  function relayStop() {
    if (relayTimer !== null) {
      clearTimeout(relayTimer);
      relayTimer = null;
    }
  }

  // The words for a ticket that ended without a signature: the portal's (in the page's
  // language) when it gave any, else this page's for the agent's code.
  function relayErrorText(err) {
    if (err && err.message) {
      return err.message;
    }
    if (err && err.code && WORDS.codes[err.code]) {
      return WORDS.codes[err.code];
    }
    return WORDS.relayFailed;
  }

  function relayPoll(started, ms) {
    relayTimer = setTimeout(function () {
      relayTimer = null;
      fetch(ticketUrl, { method: 'GET', credentials: 'same-origin', cache: 'no-store' })
        .then(function (r) {
          if (!r.ok) {
            return errorMessage(r, WORDS.relayFailed).then(function (m) {
              throw new Error(m);
            });
          }
          return r.json();
        })
        .then(function (j) {
          var state = j && j.state;
          if (state === 'submitted') {
            say(WORDS.done);
            window.location.assign(doneUrl);
            return;
          }
          if (state === 'issued' || state === 'claimed') {
            if (state === 'claimed') {
              say(WORDS.relayClaimed);
            } else if (Date.now() - started > RELAY_SLOW_MS) {
              say(WORDS.relaySlow);
            }
            relayPoll(started, ms);
            return;
          }
          setBusy(false);
          if (state === 'expired') {
            say(WORDS.relayExpired, true);
          } else if (state === 'superseded') {
            say(WORDS.relaySuperseded, true);
          } else {
            say(relayErrorText(j && j.error), true);
          }
        })
        .catch(function (e) {
          // a lost answer is asked again: the ticket's state lives at the portal
          if (e && e.name === 'TypeError') {
            relayPoll(started, ms);
            return;
          }
          failed(e);
        });
    }, ms);
  }

  function relayStart() {
    if (busy || !ticketUrl) {
      return;
    }
    relayStop();
    setBusy(true);
    say(WORDS.relayAsking);
    fetch(ticketUrl, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: '{}'
    })
      .then(function (r) {
        if (r.status !== 200 && r.status !== 201) {
          return errorMessage(r, WORDS.relayFailed).then(function (m) {
            throw new Error(m);
          });
        }
        return r.json();
      })
      .then(function (j) {
        if (!j || typeof j.url !== 'string' || j.url.indexOf('eimza://sign?') !== 0) {
          throw new Error(WORDS.relayFailed);
        }
        relayLink.setAttribute('href', j.url);
        relayLink.parentNode.hidden = false;
        say(WORDS.relayOpened);
        var ms = Number(j.poll_ms) > 0 ? Math.max(500, Number(j.poll_ms)) : RELAY_POLL_MS;
        relayPoll(Date.now(), ms);
        // hands the URL to the desktop's handler (the browser may ask first)
        window.location.href = j.url;
      })
      .catch(failed);
  }

  // ---- how the page starts -----------------------------------------------------------------------

  // The loopback path without a click: the page is itself on this computer (no permission is
  // involved), or the person has already allowed it.
  function direct() {
    connected = true;
    say(WORDS.searching);
    loadTokens(false);
  }

  // The loopback path waits for "İmzala": the browser would ask for the permission.
  function askOnClick() {
    form.hidden = false;
    while (select.firstChild) {
      select.removeChild(select.firstChild);
    }
    var o = element('option', { value: '' }, WORDS.cardsAfterClick);
    select.appendChild(o);
    select.disabled = true;
    button.disabled = false;
    say(WORDS.askFirst);
    showRelay();
  }

  function denied() {
    connected = false;
    form.hidden = true;
    if (fallback) {
      fallback.hidden = true;
    }
    say(window.isSecureContext === false ? WORDS.lnaInsecure : WORDS.lnaDenied);
    showLna(window.isSecureContext === false ? 'insecure' : 'denied');
  }

  button.addEventListener('click', onSignButton);
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    onSignButton();
  });
  select.addEventListener('change', function () {
    say('');
  });
  if (uploadButton) {
    uploadButton.addEventListener('click', uploadFile);
  }

  if (isLoopbackHost(window.location.hostname)) {
    direct();
    return;
  }
  say(WORDS.searching);
  lnaState().then(function (p) {
    if (p.status && typeof p.status.addEventListener === 'function') {
      // the person may change it in the site settings while the page is open
      p.status.addEventListener('change', function () {
        if (busy) {
          return;
        }
        if (p.status.state === 'granted' && !connected) {
          hideLna();
          direct();
        } else if (p.status.state === 'denied') {
          denied();
        }
      });
    }
    if (p.state === 'granted') {
      direct();
    } else if (p.state === 'denied' || (p.state === 'prompt' && window.isSecureContext === false)) {
      denied();
    } else {
      askOnClick();
    }
  });
})();
