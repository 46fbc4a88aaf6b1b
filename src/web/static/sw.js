/*
 * The push service worker (issue 13 §2, ADR 0029). Registered by push.js with the scope
 * /static/push/: it controls no page and intercepts no request; it only shows what a push
 * brings ({ title, body, url, tag }: the payload of modules/notify/notify.push.ts) and opens
 * the inbox when the notification is clicked.
 */
globalThis.addEventListener('push', (event) => {
  let m = {};
  try {
    m = event.data ? event.data.json() : {};
  } catch {
    m = {};
  }
  const title = typeof m.title === 'string' ? m.title : 'Civitas';
  event.waitUntil(
    globalThis.registration.showNotification(title, {
      body: typeof m.body === 'string' ? m.body : '',
      tag: typeof m.tag === 'string' ? m.tag : undefined,
      icon: '/static/favicon.svg',
      data: { url: typeof m.url === 'string' && m.url.startsWith('/') ? m.url : '/' },
    }),
  );
});

globalThis.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url ?? '/', globalThis.location.origin).href;
  event.waitUntil(globalThis.clients.openWindow(url));
});
