// Passkeys (WebAuthn) on the portal pages: sign in, second step, add a passkey.
// Progressive enhancement: each [data-passkey] block stays hidden unless the browser
// supports passkeys. No inline script (CSP), no bundler: base64url conversions by hand.
(function () {
  'use strict';
  if (!window.PublicKeyCredential || !navigator.credentials) return;

  function toBuffer(b64url) {
    var s = b64url.replace(/-/g, '+').replace(/_/g, '/');
    while (s.length % 4) s += '=';
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }

  function toB64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var bin = '';
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function withIds(list) {
    return (list || []).map(function (c) {
      return Object.assign({}, c, { id: toBuffer(c.id) });
    });
  }

  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body || {}),
    }).then(function (res) {
      return res.json().then(
        function (json) {
          if (!res.ok) throw new Error(json.title || String(res.status));
          return json;
        },
        function () {
          throw new Error(String(res.status));
        },
      );
    });
  }

  function created(cred) {
    var r = cred.response;
    return {
      id: cred.id,
      rawId: toB64url(cred.rawId),
      type: cred.type,
      response: {
        clientDataJSON: toB64url(r.clientDataJSON),
        attestationObject: toB64url(r.attestationObject),
        transports: r.getTransports ? r.getTransports() : [],
      },
      clientExtensionResults: cred.getClientExtensionResults(),
      authenticatorAttachment: cred.authenticatorAttachment || undefined,
    };
  }

  function asserted(cred) {
    var r = cred.response;
    return {
      id: cred.id,
      rawId: toB64url(cred.rawId),
      type: cred.type,
      response: {
        clientDataJSON: toB64url(r.clientDataJSON),
        authenticatorData: toB64url(r.authenticatorData),
        signature: toB64url(r.signature),
        userHandle: r.userHandle ? toB64url(r.userHandle) : undefined,
      },
      clientExtensionResults: cred.getClientExtensionResults(),
      authenticatorAttachment: cred.authenticatorAttachment || undefined,
    };
  }

  function get(optionsUrl) {
    return post(optionsUrl).then(function (r) {
      var o = r.options;
      o.challenge = toBuffer(o.challenge);
      o.allowCredentials = withIds(o.allowCredentials);
      return navigator.credentials.get({ publicKey: o });
    });
  }

  var flows = {
    'sign-in': function () {
      return get('/api/identity/passkey/options').then(function (cred) {
        return post('/api/identity/login/passkey', { credential: asserted(cred) });
      });
    },
    'second-step': function () {
      return get('/api/identity/second-step/passkey/options').then(function (cred) {
        return post('/api/identity/second-step/passkey', { credential: asserted(cred) });
      });
    },
    register: function (block) {
      return post('/api/me/passkeys/options').then(function (r) {
        var o = r.options;
        o.challenge = toBuffer(o.challenge);
        o.user.id = toBuffer(o.user.id);
        o.excludeCredentials = withIds(o.excludeCredentials);
        return navigator.credentials.create({ publicKey: o }).then(function (cred) {
          var label = block.querySelector('input[name="label"]');
          return post('/api/me/passkeys', {
            credential: created(cred),
            label: (label && label.value) || 'Passkey',
          });
        });
      });
    },
  };

  function show(el, text) {
    el.textContent = text;
    el.hidden = false;
  }

  // WebAuthn refuses a numeric host (127.0.0.1, [::1]) as a relying party: the browser's own
  // words ("This is an invalid domain.") would appear in English on any page. Say why in the
  // page's language and link to the same page on localhost, which the browser accepts.
  var numericHost = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i.test(window.location.hostname);
  // `el`: the block's alert after a failed attempt, or a plain note shown from the start
  // (an alert on every visit to the sign-in page would be noise, not news).
  function explainHost(el, text) {
    show(el, text);
    var loopback = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/.test(window.location.hostname);
    if (!loopback) return;
    var there = new URL(window.location.href);
    there.hostname = 'localhost';
    var link = document.createElement('a');
    link.href = there.href;
    link.textContent = there.href;
    el.appendChild(document.createTextNode(' '));
    el.appendChild(link);
  }

  document.querySelectorAll('[data-passkey]').forEach(function (block) {
    var flow = flows[block.getAttribute('data-passkey')];
    var button = block.querySelector('button');
    var error = block.querySelector('[data-error]');
    if (!flow || !button) return;
    block.hidden = false;
    var needsName = error && error.getAttribute('data-needs-name');
    if (numericHost && needsName) {
      Array.prototype.forEach.call(block.querySelectorAll('button, input, label'), function (el) {
        el.hidden = true;
      });
      var note = document.createElement('p');
      note.className = 'muted';
      note.setAttribute('data-host-note', '');
      block.appendChild(note);
      explainHost(note, needsName);
      return;
    }
    button.addEventListener('click', function () {
      button.disabled = true;
      if (error) error.hidden = true;
      flow(block).then(
        function (result) {
          var codes = block.querySelector('[data-codes]');
          if (codes && result && result.recoveryCodes) {
            // Shown once, here: the server keeps only their hashes.
            var list = codes.querySelector('ol');
            result.recoveryCodes.forEach(function (c) {
              var li = document.createElement('li');
              li.textContent = c;
              list.appendChild(li);
            });
            codes.hidden = false;
            button.hidden = true;
            return;
          }
          window.location.assign(block.getAttribute('data-next') || '/me/access');
        },
        function (err) {
          button.disabled = false;
          var aborted = err && (err.name === 'NotAllowedError' || err.name === 'AbortError');
          if (error && needsName && err && err.name === 'SecurityError') return explainHost(error, needsName);
          if (error)
            show(
              error,
              aborted ? error.getAttribute('data-fail') : err.message || error.getAttribute('data-fail'),
            );
        },
      );
    });
  });
})();
