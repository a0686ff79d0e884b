/**
 * Live queue: listens to /staf/antrean/aliran (server-sent events). Page progress updates the
 * row's progress bar (and its aria values) in place; a finished or failed stage reloads the queue sections from the server.
 * Without JavaScript the page still shows the state as of loading (and a refresh link).
 */
export const QUEUE_SCRIPT = `(() => {
  const root = document.getElementById('antrean');
  if (!root || !window.EventSource) return;
  const src = new EventSource(root.dataset.stream);
  const status = document.getElementById('langsung');
  const stages = JSON.parse(root.dataset.stages || '{}');
  // The page's locale, given by the server: numbers read as the server writes them (core/format.ts).
  const nf = new Intl.NumberFormat(root.dataset.locale);
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
    const bar = row.querySelector('[role=progressbar]');
    const fill = row.querySelector('.bar i');
    const text = row.querySelector('.progress-text');
    const words = root.dataset.msgPage
      .replace('{stage}', stages[e.stage] || e.stage)
      .replace('{done}', nf.format(e.done))
      .replace('{total}', nf.format(e.total));
    if (fill) fill.style.width = Math.round((e.done / Math.max(1, e.total)) * 100) + '%';
    if (bar) {
      bar.setAttribute('aria-valuemax', String(e.total));
      bar.setAttribute('aria-valuenow', String(e.done));
      bar.setAttribute('aria-valuetext', words);
    }
    if (text) text.textContent = words;
  });
  src.addEventListener('stage', reload);
  src.addEventListener('accepted', reload);
})();
`;
