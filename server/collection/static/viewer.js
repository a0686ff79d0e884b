// Page reader enhancement (plain browser script, no build step). Without it the page image,
// its marks, the text and every link still work; with it the reader gets:
// - fit whole page / fit width, zoom (buttons, +/-, ctrl+wheel), pan by dragging, and a sharper
//   image once zoomed, fetched through the IIIF Image API at the width the screen needs;
// - two pages side by side on wide screens (the facing page waits in a <template>: no phone
//   fetches it), full screen on the page area (button or f; Escape leaves);
// - page turns by ← → / PageUp PageDown and by a horizontal swipe; in full screen the next page
//   is swapped in place, since loading a new document would end full screen.
(() => {
  const viewport = document.getElementById('viewport');
  const reader = document.getElementById('reader');
  if (!viewport || !reader) return;
  document.documentElement.classList.add('js');

  const wide = window.matchMedia('(min-width: 62rem)');
  const saved = (k) => {
    try {
      return window.localStorage.getItem(k);
    } catch {
      return null;
    }
  };
  const save = (k, v) => {
    try {
      window.localStorage.setItem(k, v);
    } catch {
      // Private mode without storage: the choice lasts for this page only.
    }
  };

  const steps = [1, 1.5, 2, 3, 4];
  let step = 0;
  // Whole page on a laptop (read at a glance), full width on a phone (legible without zooming).
  let fit = saved('pindai-fit') || (wide.matches ? 'page' : 'width');
  let two = saved('pindai-two') === '1';

  const figures = () => [...viewport.querySelectorAll('.pageimg')];
  const pageNo = () => Number(viewport.dataset.page) || 1;
  const lastNo = () => Number(viewport.dataset.last) || pageNo();
  const fullscreen = () => document.fullscreenElement === viewport;

  // The height there is for the image: from the reader's top to the window's bottom, so the
  // whole page shows below the header and toolbar without scrolling.
  const measure = () => {
    if (fullscreen()) {
      viewport.style.setProperty('--avail', `${window.innerHeight - 16}px`);
      return;
    }
    viewport.style.removeProperty('--avail');
    const top = reader.getBoundingClientRect().top + window.scrollY;
    let avail = window.innerHeight - top - 16 - 8;
    // A short window under a tall header: fill the window and let the page scroll to it.
    if (avail < window.innerHeight * 0.55) avail = window.innerHeight - 24;
    reader.style.setProperty('--avail', `${Math.max(160, Math.floor(avail))}px`);
  };

  // Sharper image once a figure is shown wider than the image it has (one fetch per page).
  const loaded = new WeakMap();
  let timer = 0;
  const fetchSharper = () => {
    for (const fig of figures()) {
      const img = fig.querySelector('img');
      const base = fig.dataset.iiif;
      if (!img || !base) continue;
      const maxWidth = Number(fig.dataset.maxWidth) || img.naturalWidth;
      const want = Math.min(maxWidth, Math.ceil(fig.clientWidth * (window.devicePixelRatio || 1)));
      if (want <= Math.max(loaded.get(img) || 0, img.naturalWidth) * 1.15) continue;
      const bucket = Math.min(maxWidth, Math.ceil(want / 250) * 250);
      loaded.set(img, bucket);
      const hi = new Image();
      hi.onload = () => {
        img.removeAttribute('srcset');
        img.src = hi.src;
      };
      hi.src = `${base}/full/${bucket},/0/default.jpg`;
    }
  };
  // Wait until the reader stops pressing zoom, so quick presses cost one image, not one each.
  const sharpen = () => {
    clearTimeout(timer);
    timer = setTimeout(fetchSharper, 300);
  };

  const showTwo = () => two && wide.matches && document.getElementById('facing') !== null;
  const placeFacing = () => {
    const shown = viewport.querySelector('.facing');
    const want = showTwo();
    if (shown && !want) shown.remove();
    if (!want || shown) return;
    const t = document.getElementById('facing');
    const main = document.getElementById('halaman');
    const node = t.content.firstElementChild?.cloneNode(true);
    if (!node || !main) return;
    if (t.dataset.side === 'left') main.before(node);
    else main.after(node);
  };

  const pressed = (sel, on) => {
    for (const b of document.querySelectorAll(sel)) b.setAttribute('aria-pressed', String(on));
  };

  const apply = (keepCentre) => {
    const zoom = steps[step];
    const cx = (viewport.scrollLeft + viewport.clientWidth / 2) / viewport.scrollWidth;
    const cy = (viewport.scrollTop + viewport.clientHeight / 2) / viewport.scrollHeight;
    placeFacing();
    viewport.classList.toggle('two', showTwo());
    viewport.classList.toggle('fit-page', fit === 'page');
    viewport.classList.toggle('fit-width', fit === 'width');
    viewport.classList.remove('zoomed');
    const figs = figures();
    for (const f of figs) f.style.width = '';
    if (zoom > 1) {
      // Zoom from the fitted size, so "+" enlarges what is on screen whichever fit is chosen.
      const base = figs[0]?.getBoundingClientRect().width || viewport.clientWidth;
      viewport.classList.add('zoomed');
      for (const f of figs) f.style.width = `${Math.round(base * zoom)}px`;
    }
    if (keepCentre) {
      viewport.scrollLeft = cx * viewport.scrollWidth - viewport.clientWidth / 2;
      viewport.scrollTop = cy * viewport.scrollHeight - viewport.clientHeight / 2;
    }
    pressed('[data-fit=page]', fit === 'page' && zoom === 1);
    pressed('[data-fit=width]', fit === 'width' && zoom === 1);
    pressed('[data-two]', showTwo());
    pressed('[data-fullscreen]', fullscreen());
    if (zoom > 1 || showTwo()) sharpen();
  };

  const zoomBy = (d) => {
    const next = Math.max(0, Math.min(steps.length - 1, step + d));
    if (next === step) return;
    step = next;
    apply(true);
  };

  const toggleFullscreen = () => {
    if (fullscreen()) document.exitFullscreen().catch(() => {});
    else if (document.fullscreenEnabled) viewport.requestFullscreen().catch(() => {});
  };

  // --- page turns -------------------------------------------------------------------------
  const pageUrl = (n) => {
    const u = new URL(window.location.href);
    u.pathname = u.pathname.replace(/\/halaman\/\d+$/, `/halaman/${n}`);
    u.hash = '';
    return u.href;
  };
  const facingNo = () => {
    const f = viewport.querySelector('.facing .pageimg');
    return f ? Number(f.dataset.page) : null;
  };

  // In full screen only the page area shows; swap the new page's parts into this document so
  // full screen (bound to this very element) stays on.
  const swapIn = async (url, push) => {
    let html;
    try {
      const res = await fetch(url, { credentials: 'same-origin' });
      if (!res.ok) throw new Error(String(res.status));
      html = await res.text();
    } catch {
      window.location.href = url;
      return;
    }
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const main = document.getElementById('isi');
    const newMain = doc.getElementById('isi');
    const newReader = doc.getElementById('reader');
    const newViewport = doc.getElementById('viewport');
    if (!main || !newMain || !newReader || !newViewport || reader.parentElement !== main) {
      window.location.href = url;
      return;
    }
    const around = (parent, keep, newParent, newKeep) => {
      const nodes = [...newParent.childNodes].map((n) => document.adoptNode(n));
      const at = nodes.indexOf(newKeep);
      for (const c of [...parent.childNodes]) if (c !== keep) c.remove();
      keep.before(...nodes.slice(0, at));
      keep.after(...nodes.slice(at + 1));
    };
    around(main, reader, newMain, newReader);
    around(reader, viewport, newReader, newViewport);
    viewport.replaceChildren(...[...newViewport.childNodes].map((n) => document.adoptNode(n)));
    for (const a of ['aria-label', 'data-page', 'data-last'])
      viewport.setAttribute(a, newViewport.getAttribute(a) || '');
    document.title = doc.title;
    const lang = document.querySelector('a.lang');
    const newLang = doc.querySelector('a.lang');
    if (lang && newLang) lang.setAttribute('href', newLang.getAttribute('href') || '');
    if (push) window.history.pushState({ reader: true }, '', url);
    step = 0;
    viewport.scrollTop = 0;
    viewport.scrollLeft = 0;
    setUp();
    // The button that was pressed is gone with the old toolbar: keep the keys on the page.
    viewport.focus({ preventScroll: true });
  };

  const goTo = (n) => {
    if (n < 1 || n > lastNo() || n === pageNo()) return;
    const url = pageUrl(n);
    if (fullscreen()) void swapIn(url, true);
    else window.location.href = url;
  };
  const turn = (dir) => {
    const n = pageNo();
    const other = showTwo() ? facingNo() : null;
    const lo = other ? Math.min(n, other) : n;
    const hi = other ? Math.max(n, other) : n;
    goTo(dir > 0 ? hi + 1 : lo - 1);
  };
  window.addEventListener('popstate', () => window.location.reload());

  // --- controls (delegated: full screen swaps the toolbar's buttons) ----------------------
  document.addEventListener('click', (e) => {
    const el = e.target instanceof Element ? e.target : null;
    const b = el?.closest('button');
    if (b?.dataset.zoom) {
      const what = b.dataset.zoom;
      if (what === 'in') zoomBy(1);
      else if (what === 'out') zoomBy(-1);
      else {
        step = 0;
        apply(false);
      }
    } else if (b?.dataset.fit) {
      fit = b.dataset.fit;
      save('pindai-fit', fit);
      step = 0;
      apply(false);
    } else if (b?.hasAttribute('data-two')) {
      two = !showTwo();
      save('pindai-two', two ? '1' : '0');
      step = 0;
      apply(false);
    } else if (b?.hasAttribute('data-fullscreen')) {
      toggleFullscreen();
    } else if (fullscreen()) {
      // The facing page is a link: in full screen, open it in place.
      const a = el?.closest('a[href]');
      const m = a && /\/halaman\/(\d+)/.exec(a.getAttribute('href') || '');
      if (m && viewport.contains(a)) {
        e.preventDefault();
        goTo(Number(m[1]));
      }
    }
  });

  const inField = (t) =>
    t instanceof HTMLElement &&
    (t.isContentEditable ||
      t.tagName === 'SELECT' ||
      t.tagName === 'TEXTAREA' ||
      (t.tagName === 'INPUT' && !/^(button|submit|reset|checkbox|radio)$/.test(t.type)));

  document.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey || inField(e.target)) return;
    const k = e.key;
    if (k === '+' || k === '=') zoomBy(1);
    else if (k === '-' || k === '_') zoomBy(-1);
    else if (k === 'f' || k === 'F') toggleFullscreen();
    else if (k === 'Escape' && fullscreen()) document.exitFullscreen().catch(() => {});
    else if (k === 'PageDown' || (k === 'ArrowRight' && step === 0)) turn(1);
    else if (k === 'PageUp' || (k === 'ArrowLeft' && step === 0)) turn(-1);
    // Zoomed, the arrows pan the page as the browser does by itself.
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

  // A horizontal swipe turns the page, unless the page is zoomed (then a swipe pans it).
  let touch = null;
  viewport.addEventListener(
    'touchstart',
    (e) => {
      const t = e.touches[0];
      const pinched = (window.visualViewport?.scale || 1) > 1.01;
      touch = e.touches.length === 1 && step === 0 && !pinched && t ? { x: t.clientX, y: t.clientY } : null;
    },
    { passive: true },
  );
  viewport.addEventListener(
    'touchend',
    (e) => {
      const t = e.changedTouches[0];
      if (!touch || !t) return;
      const dx = t.clientX - touch.x;
      const dy = t.clientY - touch.y;
      touch = null;
      if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) turn(dx < 0 ? 1 : -1);
    },
    { passive: true },
  );

  document.addEventListener('fullscreenchange', () => {
    measure();
    apply(false);
  });
  wide.addEventListener('change', () => {
    setUp();
  });
  window.addEventListener('resize', () => {
    measure();
  });

  // Per page (again after a page was swapped in while in full screen).
  const setUp = () => {
    if (!document.fullscreenEnabled)
      for (const b of document.querySelectorAll('[data-fullscreen]')) b.hidden = true;
    // The page's text sits beside the image on a wide screen; on a phone it waits, folded.
    const text = document.querySelector('.side details.textpage');
    if (text && !wide.matches) text.open = false;
    measure();
    apply(false);
    // Arriving from a search hit: bring the first mark into sight if it is not already.
    const mark = viewport.querySelector('.mark');
    const img = document.querySelector('#halaman img');
    if (!mark || !img) return;
    const show = () => {
      const r = mark.getBoundingClientRect();
      const v = viewport.getBoundingClientRect();
      const seen =
        r.top >= Math.max(0, v.top) &&
        r.bottom <= Math.min(window.innerHeight, v.bottom) &&
        r.left >= v.left &&
        r.right <= v.right;
      if (!seen) mark.scrollIntoView({ block: 'center', inline: 'nearest' });
    };
    if (img.complete) show();
    else img.addEventListener('load', show, { once: true });
  };
  setUp();
})();
