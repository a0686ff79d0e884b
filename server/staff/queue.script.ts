/**
 * Live queue: listens to /staf/antrean/aliran (server-sent events). Page progress updates the
 * row's bar in place; a finished or failed stage reloads the queue sections from the server.
 * Without JavaScript the page still shows the state as of loading (and a refresh link).
 */
export const QUEUE_SCRIPT = `(() => {
  const root = document.getElementById('antrean');
  if (!root || !window.EventSource) return;
  const src = new EventSource(root.dataset.stream);
  const status = document.getElementById('langsung');
  let pending = null;
  const reload = () => {
    if (pending) return;
    pending = setTimeout(async () => {
      pending = null;
      const r = await fetch(root.dataset.sections, { headers: { Accept: 'text/html' } });
      if (r.ok) {
        const doc = new DOMParser().parseFromString(await r.text(), 'text/html');
        const fresh = doc.getElementById('antrean');
        if (fresh) root.replaceChildren(...fresh.childNodes);
      }
    }, 300);
  };
  src.addEventListener('open', () => { if (status) status.dataset.live = '1'; });
  src.addEventListener('progress', (ev) => {
    const e = JSON.parse(ev.data);
    const row = root.querySelector('[data-item="' + CSS.escape(e.itemId) + '"]');
    if (!row) return reload();
    const bar = row.querySelector('.bar i');
    const text = row.querySelector('.progress-text');
    if (bar) bar.style.width = Math.round((e.done / Math.max(1, e.total)) * 100) + '%';
    if (text) text.textContent = root.dataset.msgPage.replace('{done}', e.done).replace('{total}', e.total);
  });
  src.addEventListener('stage', reload);
  src.addEventListener('accepted', reload);
})();
`;
