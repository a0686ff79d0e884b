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
  // The answer where the operator is looking: in view and focused (it appears below the form).
  const show = (kind, lines, link) => {
    const box = document.createElement('div');
    box.className = 'notice ' + kind;
    box.setAttribute('role', kind === 'err' ? 'alert' : 'status');
    box.dataset.result = kind;
    box.tabIndex = -1;
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
    box.scrollIntoView({ block: 'center' });
    box.focus({ preventScroll: true });
  };
  const input = form.querySelector('input[type=file]');
  const accepted = (form.dataset.accept || '').split(',');
  // The same rule as the server (extension), checked before a byte is sent.
  const badFiles = () =>
    [...(input && input.files ? input.files : [])].filter((f) => {
      const dot = f.name.lastIndexOf('.');
      return dot <= 0 || !accepted.includes(f.name.slice(dot).toLowerCase());
    });
  // A page's first bytes as the server reads them (workers/engines: sniffFormat, isPdf): JPEG, PNG,
  // TIFF, or "%PDF-" in the first kilobyte. The name is not trusted, only the content; a file cut
  // short passes here and the server names it.
  const SIGNS = [[0xff, 0xd8, 0xff], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    [0x49, 0x49, 0x2a, 0x00], [0x49, 0x49, 0x2b, 0x00], [0x4d, 0x4d, 0x00, 0x2a], [0x4d, 0x4d, 0x00, 0x2b]];
  const isPage = async (f) => {
    const head = new Uint8Array(await f.slice(0, 1024).arrayBuffer());
    if (SIGNS.some((sig) => sig.every((b, i) => head[i] === b))) return true;
    return String.fromCharCode(...head).includes('%PDF-');
  };
  /** Files whose type is refused, and files whose content is not a page whatever their name. */
  const check = async () => {
    const wrongType = badFiles();
    const rest = [...(input && input.files ? input.files : [])].filter((f) => !wrongType.includes(f));
    const notPages = [];
    for (const f of rest) if (f.size > 0 && !(await isPage(f).catch(() => true))) notPages.push(f);
    return { wrongType, notPages };
  };
  const extOf = (f) => {
    const dot = f.name.lastIndexOf('.');
    return dot > 0 ? f.name.slice(dot) : '—';
  };
  const refuse = ({ wrongType, notPages }) => {
    if (wrongType.length + notPages.length === 0) return false;
    const lines = [form.dataset.msgBadFiles]
      .concat(wrongType.map((f) => form.dataset.msgBadType.replace('{name}', f.name).replace('{ext}', extOf(f))))
      .concat(notPages.map((f) => form.dataset.msgNotPage.replace('{name}', f.name).replace('{ext}', extOf(f))));
    show('err', lines, null);
    return true;
  };
  if (input) input.addEventListener('change', async () => {
    if (!refuse(await check())) out.replaceChildren();
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (refuse(await check())) return;
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
      show(kind, lines, link);
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
