/*
 * The push page (src/web/portal/push): turns push on or off in this browser. No inline
 * script (CSP): the page carries the VAPID key and the API addresses as data- attributes.
 * On: register the worker (scope /static/push/: it controls no page), ask permission,
 * subscribe with the VAPID key, POST the subscription. Off: POST the removal, unsubscribe.
 */
(() => {
  const root = document.getElementById('push');
  if (!root) return;
  const on = root.querySelector('#push-on');
  const off = root.querySelector('#push-off');
  // One button at a time: the one that changes what the status line says.
  const buttons = (subscribed) => {
    on.hidden = subscribed;
    off.hidden = !subscribed;
  };
  const show = (name) => {
    for (const el of root.querySelectorAll('[data-state]')) el.hidden = el.dataset.state !== name;
    if (name === 'on' || name === 'off') buttons(name === 'on');
  };
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) {
    on.hidden = true;
    off.hidden = true;
    return show('unsupported');
  }
  const key = Uint8Array.from(atob(root.dataset.key.replace(/-/g, '+').replace(/_/g, '/')), (c) =>
    c.charCodeAt(0),
  );
  const post = (url, body) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const registration = () => navigator.serviceWorker.register('/static/sw.js', { scope: '/static/push/' });
  buttons(root.dataset.subscribed === 'true');
  // A browser still subscribed after signing in again: bind it to this session.
  void registration()
    .then((r) => r.pushManager.getSubscription())
    .then((s) => (s && root.dataset.subscribed === 'true' ? post(root.dataset.subscribe, s.toJSON()) : null))
    .catch(() => undefined);
  on.addEventListener('click', async () => {
    try {
      if ((await window.Notification.requestPermission()) !== 'granted') return show('denied');
      const r = await registration();
      const s =
        (await r.pushManager.getSubscription()) ??
        (await r.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }));
      const res = await post(root.dataset.subscribe, s.toJSON());
      show(res.ok ? 'on' : 'failed');
    } catch {
      show('failed');
    }
  });
  off.addEventListener('click', async () => {
    try {
      await post(root.dataset.unsubscribe, {});
      const s = await (await registration()).pushManager.getSubscription();
      if (s) await s.unsubscribe();
      show('off');
    } catch {
      show('failed');
    }
  });
})();
