// Page viewer enhancement: zoom (buttons, +/-, ctrl+wheel), pan (drag or scroll) and a sharper
// image once zoomed, fetched through the IIIF Image API at the width the screen needs: one page
// at a time, never the whole book. Without this script the page image and marks still show.
(() => {
  const viewport = document.getElementById('viewport');
  const figure = document.getElementById('halaman');
  if (!viewport || !figure) return;
  const img = figure.querySelector('img');
  if (!img) return;
  document.documentElement.classList.add('js');
  const maxWidth = Number(figure.dataset.maxWidth) || img.naturalWidth;
  const base = figure.dataset.iiif;
  const steps = [1, 1.5, 2, 3, 4];
  let step = 0;
  let loadedWidth = 0;

  let timer = 0;
  const fetchSharper = () => {
    const want = Math.min(maxWidth, Math.ceil(figure.clientWidth * (window.devicePixelRatio || 1)));
    // Only fetch when the shown (or already requested) image is clearly too small.
    if (!base || want <= Math.max(loadedWidth, img.naturalWidth) * 1.15) return;
    const bucket = Math.min(maxWidth, Math.ceil(want / 250) * 250);
    loadedWidth = bucket;
    const hi = new Image();
    hi.onload = () => {
      img.removeAttribute('srcset');
      img.src = hi.src;
    };
    hi.src = `${base}/full/${bucket},/0/default.jpg`;
  };
  // Wait until the reader stops pressing zoom, so quick presses cost one image, not one each.
  const sharpen = () => {
    clearTimeout(timer);
    timer = setTimeout(fetchSharper, 300);
  };

  const apply = (keepCentre) => {
    const zoom = steps[step];
    const cx = (viewport.scrollLeft + viewport.clientWidth / 2) / viewport.scrollWidth;
    const cy = (viewport.scrollTop + viewport.clientHeight / 2) / viewport.scrollHeight;
    figure.style.maxWidth = zoom === 1 ? '' : 'none';
    figure.style.width = zoom === 1 ? '' : `${zoom * 100}%`;
    viewport.classList.toggle('zoomed', zoom > 1);
    if (keepCentre) {
      viewport.scrollLeft = cx * viewport.scrollWidth - viewport.clientWidth / 2;
      viewport.scrollTop = cy * viewport.scrollHeight - viewport.clientHeight / 2;
    }
    if (zoom > 1) sharpen();
  };

  const zoomBy = (d) => {
    const next = Math.max(0, Math.min(steps.length - 1, step + d));
    if (next === step) return;
    step = next;
    apply(true);
  };

  for (const b of document.querySelectorAll('[data-zoom]')) {
    b.addEventListener('click', () => {
      const what = b.getAttribute('data-zoom');
      if (what === 'in') zoomBy(1);
      else if (what === 'out') zoomBy(-1);
      else {
        step = 0;
        apply(false);
      }
    });
  }

  viewport.addEventListener('keydown', (e) => {
    if (e.key === '+' || e.key === '=') zoomBy(1);
    else if (e.key === '-') zoomBy(-1);
    else return;
    e.preventDefault();
  });
  viewport.addEventListener(
    'wheel',
    (e) => {
      if (!e.ctrlKey) return;
      e.preventDefault();
      zoomBy(e.deltaY < 0 ? 1 : -1);
    },
    { passive: false },
  );

  // Drag to pan with a mouse; touch screens scroll natively.
  let drag = null;
  viewport.addEventListener('pointerdown', (e) => {
    if (step === 0 || e.pointerType !== 'mouse') return;
    drag = { x: e.clientX, y: e.clientY, left: viewport.scrollLeft, top: viewport.scrollTop };
    viewport.setPointerCapture(e.pointerId);
  });
  viewport.addEventListener('pointermove', (e) => {
    if (!drag) return;
    viewport.scrollLeft = drag.left - (e.clientX - drag.x);
    viewport.scrollTop = drag.top - (e.clientY - drag.y);
  });
  viewport.addEventListener('pointerup', () => {
    drag = null;
  });

  // Arrow keys turn pages when nothing is zoomed and no field has focus.
  document.addEventListener('keydown', (e) => {
    if (step > 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target;
    if (
      t instanceof HTMLElement &&
      (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')
    )
      return;
    const link = document.querySelector(
      e.key === 'ArrowLeft' ? '[data-key=prev]' : e.key === 'ArrowRight' ? '[data-key=next]' : 'x-none',
    );
    if (link instanceof HTMLAnchorElement) window.location.href = link.href;
  });

  // Scroll the first mark into view when arriving from a search hit.
  const mark = figure.querySelector('.mark');
  if (mark) {
    const show = () => mark.scrollIntoView({ block: 'center', inline: 'nearest' });
    if (img.complete) show();
    else img.addEventListener('load', show, { once: true });
  }
})();
