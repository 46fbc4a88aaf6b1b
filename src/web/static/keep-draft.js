// Keeps what a person typed when their session ended in the middle of a form (issue 12).
// The post is refused and the person signs in again (web/http/citizen-auth.ts); the page
// they come back to fills the same form's fields from this tab's window.sessionStorage.
//
// Rules:
// - Never kept: passwords, one-time codes, card numbers, hidden fields, files, choices.
// - Kept in this tab only (sessionStorage), for 15 minutes, and restored once: only after
//   a sign-in page was passed through, only for the same signed-in person (the header's
//   name or masked phone), only into empty fields of a form posting to the same address.
// - Any other page load forgets the draft (the post went through, or was abandoned).
(() => {
  const KEY = 'civitas-draft';
  const MAX_AGE_MS = 15 * 60 * 1000;
  const SKIPPED_TYPES = ['password', 'hidden', 'file', 'submit', 'button', 'checkbox', 'radio', 'reset'];
  const who = () => document.querySelector('.signed-in strong')?.textContent ?? '';
  const pathOf = (action) => new URL(action, window.location.href).pathname;
  const keep = (el) =>
    Boolean(el.name) &&
    'value' in el &&
    !SKIPPED_TYPES.includes(el.type) &&
    !/one-time-code|password|cc-/.test(el.getAttribute('autocomplete') ?? '') &&
    !el.hasAttribute('data-no-keep');

  let draft = null;
  try {
    draft = JSON.parse(window.sessionStorage.getItem(KEY) ?? 'null');
  } catch {
    window.sessionStorage.removeItem(KEY);
  }
  const signingIn = /^\/login(\/|$)/.test(window.location.pathname);
  if (draft) {
    if (Date.now() - draft.at > MAX_AGE_MS) {
      window.sessionStorage.removeItem(KEY);
    } else if (signingIn) {
      window.sessionStorage.setItem(KEY, JSON.stringify({ ...draft, interrupted: true }));
    } else {
      window.sessionStorage.removeItem(KEY);
      const form = [...document.forms].find((f) => pathOf(f.action) === draft.action);
      if (draft.interrupted && draft.who && draft.who === who() && form) {
        for (const [name, value] of draft.fields) {
          const el = form.elements.namedItem(name);
          if (el && keep(el) && !el.value) el.value = value;
        }
      }
    }
  }
  if (signingIn) return;
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof window.HTMLFormElement) || form.method !== 'post' || !who()) return;
    const fields = [...form.elements].filter((el) => keep(el) && el.value).map((el) => [el.name, el.value]);
    if (fields.length === 0) return;
    window.sessionStorage.setItem(
      KEY,
      JSON.stringify({ at: Date.now(), who: who(), action: pathOf(form.action), fields }),
    );
  });
})();
