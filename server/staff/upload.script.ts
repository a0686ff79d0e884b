/**
 * Progressive enhancement of the upload form: send it with XHR to show upload progress, then
 * show the server's answer in place. Without JavaScript the form posts as usual. All text comes
 * from data- attributes (the message catalogue) and is inserted as text, never as HTML.
 */
export const UPLOAD_SCRIPT = `(() => {
  const form = document.getElementById('unggah');
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  const bar = document.getElementById('kemajuan');
  const label = document.getElementById('kemajuan-teks');
  const out = document.getElementById('hasil');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    out.replaceChildren();
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) return;
      const pct = Math.floor((e.loaded / e.total) * 100);
      bar.value = pct;
      label.textContent = form.dataset.msgProgress.replace('{pct}', String(pct));
      if (pct >= 100) label.textContent = form.dataset.msgProcessing;
    };
    const finish = (kind, lines, link) => {
      button.disabled = false;
      bar.hidden = true;
      label.textContent = '';
      const box = document.createElement('div');
      box.className = 'notice ' + kind;
      box.setAttribute('role', kind === 'err' ? 'alert' : 'status');
      box.dataset.result = kind;
      for (const [i, line] of lines.entries()) {
        const p = document.createElement(i === 0 ? 'strong' : 'div');
        p.textContent = line;
        box.append(p);
      }
      if (link) {
        const a = document.createElement('a');
        a.href = link.href;
        a.textContent = link.text;
        box.append(' ', a);
      }
      out.replaceChildren(box);
      if (kind === 'ok') form.reset();
    };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch {}
      if (!body) return finish('err', [form.dataset.msgFailed.replace('{detail}', String(xhr.status))]);
      if (body.error) return finish('err', [body.error]);
      const kind = body.status === 'accepted' ? 'ok' : body.status === 'duplicate' ? 'warn' : 'err';
      finish(kind, [body.message, ...(body.problems || [])], body.url ? { href: body.url, text: form.dataset.msgView } : null);
    };
    xhr.onerror = () => finish('err', [form.dataset.msgFailed.replace('{detail}', 'network')]);
    xhr.send(new FormData(form));
  });
})();
`;
