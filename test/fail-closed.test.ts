import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../core/item.types.ts';
import { makePage, SAMPLE_TEXT } from './fixtures/make-page.ts';
import { pindai } from './support/run-cli.ts';
import { StaffClient, type StaffServer, startStaffServer } from './support/staff-server.ts';
import { watchInbox } from './support/watch-inbox.ts';

// A generous bound: it only ends a test that would otherwise hang, on a loaded machine too.
const waitFor = async (
  cond: () => Promise<boolean>,
  ms = 240_000,
  why: () => Promise<string> = async () => '',
) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out ${await why()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/**
 * The metadata.json files a security review saw published as open items, and a batch with no
 * metadata at all. `held`: the review queue's reason; `staff-only`: read correctly now (key
 * case and a BOM are tolerated), so the item is staff-only and not in the queue.
 */
const CASES: Array<{ name: string; sidecar: string | Buffer | null; expect: string }> = [
  { name: 'closed', sidecar: '{"title":"Uji closed","rights":"closed"}', expect: 'rights_unrecognised' },
  {
    name: 'restricted',
    sidecar: '{"title":"Uji restricted","rights":"restricted"}',
    expect: 'rights_unrecognised',
  },
  {
    name: 'tertutup',
    sidecar: '{"title":"Uji tertutup","rights":"tertutup"}',
    expect: 'rights_unrecognised',
  },
  { name: 'private', sidecar: '{"title":"Uji private","rights":"private"}', expect: 'rights_unrecognised' },
  { name: 'array', sidecar: '{"title":"Uji array","rights":["staff-only"]}', expect: 'rights_unrecognised' },
  { name: 'capital', sidecar: '{"title":"Uji capital","Rights":"staff-only"}', expect: 'staff-only' },
  { name: 'bom', sidecar: '\uFEFF{"title":"Uji bom","rights":"staff-only"}', expect: 'staff-only' },
  {
    name: 'malformed',
    sidecar: '{"title":"Uji malformed","rights":"staff-only",}',
    expect: 'metadata_malformed',
  },
  {
    name: 'oversize',
    sidecar: `{"title":"Uji oversize","rights":"staff-only","description":"${'x'.repeat(1_100_000)}"}`,
    expect: 'metadata_too_large',
  },
  { name: 'none', sidecar: null, expect: 'metadata_missing' },
];

describe('nothing goes public by mistake: fail-closed access through the watched folder', () => {
  let s: StaffServer;
  let watcher: ReturnType<typeof watchInbox>;
  const items = new Map<string, Item>();
  const staff = () => new StaffClient(s.base);
  let client: StaffClient;
  const notes: string[] = [];

  beforeAll(async () => {
    s = await startStaffServer({ env: { PINDAI_QUIET_SECONDS: '1' }, runner: true });
    const { config } = s.pindai;
    watcher = watchInbox(s.pindai);
    watcher.events.on('error', ({ name, error }) => notes.push(`${name}: ${error.message}`));
    watcher.events.on('waiting', ({ name, error }) => notes.push(`${name} waiting: ${error.message}`));
    await watcher.start();
    // One small real page per batch (each different, so none is a duplicate), plus an open control.
    const all = [
      ...CASES,
      { name: 'control', sidecar: '{"title":"Uji control","rights":"open"}', expect: 'open' },
    ];
    for (const [i, c] of all.entries()) {
      const dir = path.join(config.inboxDir, `uji-${c.name}`);
      fs.mkdirSync(dir);
      const page = await makePage({
        title: `Uji ${c.name} ${i + 1}`,
        columns: [SAMPLE_TEXT.id1],
        width: 900,
        height: 500,
      });
      fs.writeFileSync(path.join(dir, 'p1.png'), page);
      if (c.sidecar !== null) fs.writeFileSync(path.join(dir, 'metadata.json'), c.sidecar);
      fs.writeFileSync(path.join(dir, 'SELESAI'), '');
    }
    const find = async (name: string) =>
      (await s.pindai.register.items.list()).find((it) => it.sourceName === `uji-${name}`);
    const statuses = async () => {
      const items = await s.pindai.register.items.list();
      return all.map((c) => [c.name, items.find((it) => it.sourceName === `uji-${c.name}`)?.status] as const);
    };
    await waitFor(
      async () => (await statuses()).every(([, status]) => status === 'available'),
      240_000,
      async () =>
        `${(await statuses()).map(([name, status]) => `${name}:${status ?? '-'}`).join(' ')} (${notes.join('; ')}) refused: ${JSON.stringify((await s.pindai.register.rejections.list()).map((r) => [r.batchName, r.problems]))}`,
    );
    for (const c of all) items.set(c.name, (await find(c.name)) as Item);
    await s.addUser('kasi', 'staf');
    await s.addUser('op', 'operator');
    client = staff();
    await client.login('kasi', 'kasi-sandi-rahasia');
  }, 300_000);

  afterAll(async () => {
    await watcher?.stop();
    await s?.close();
  });

  /** Every public URL of an item, and whether it answered (anything but 404 is a leak). */
  async function publicAnswers(it: Item): Promise<Record<string, number>> {
    const paths = [
      `/item/${it.id}`,
      `/item/${it.id}/halaman/1`,
      `/item/${it.id}/teks`,
      `/item/${it.id}/pdf`,
      `/iiif/${it.id}/manifest`,
      `/iiif/${it.id}/p1/info.json`,
      `/iiif/${it.id}/p1/full/240,/0/default.jpg`,
      `/iiif/${it.id}/search?q=uji`,
      `/api/items/${it.id}`,
      `/api/items/${it.id}/pdf`,
    ];
    if (it.nomorInduk) paths.push(`/api/items/${encodeURIComponent(it.nomorInduk)}`);
    const out: Record<string, number> = {};
    for (const p of paths) out[p] = (await fetch(s.base + p)).status;
    return out;
  }

  const searchIds = async (q: string) =>
    (
      (await (await fetch(`${s.base}/api/search?q=${encodeURIComponent(q)}&limit=100`)).json()) as {
        hits: { itemId: string }[];
      }
    ).hits.map((h) => h.itemId);

  it('processes every batch fully, but publishes none whose access is not known', async () => {
    const sitemap = await (await fetch(`${s.base}/sitemap.xml`)).text();
    const browse = await (await fetch(`${s.base}/cari?q=uji`)).text();
    const found = await searchIds('uji');
    for (const c of CASES) {
      const it = items.get(c.name) as Item;
      expect(it.pdfKey, c.name).not.toBeNull();
      const answers = await publicAnswers(it);
      expect(
        Object.values(answers).every((st) => st === 404),
        `${c.name}: ${JSON.stringify(answers)}`,
      ).toBe(true);
      expect(sitemap, c.name).not.toContain(it.id);
      expect(browse, c.name).not.toContain(it.id);
      expect(found, c.name).not.toContain(it.id);
      if (c.expect === 'staff-only') expect(it.metadata.rights, c.name).toBe('staff-only');
      else {
        expect(it.metadata.rights, c.name).toBe('review');
        expect(it.flags.find((f) => f.code === 'held_for_review')?.params?.reason, c.name).toBe(c.expect);
      }
    }
    // The control batch shows the checks can see a public item.
    const control = items.get('control') as Item;
    expect(Object.values(await publicAnswers(control))).toContain(200);
    expect((await fetch(`${s.base}/item/${control.id}`)).status).toBe(200);
    expect(sitemap).toContain(control.id);
    expect(found).toContain(control.id);
  });

  it('lists each held item in the review queue with why; operators cannot open it', async () => {
    const page = await client.get('/staf/tinjau');
    expect(page.status).toBe(200);
    const text = page.text.replace(/&quot;/g, '"');
    for (const c of CASES) {
      const it = items.get(c.name) as Item;
      if (c.expect === 'staff-only') expect(text, c.name).not.toContain(`data-item="${it.id}"`);
      else expect(text, c.name).toContain(`data-item="${it.id}"`);
    }
    expect(text).toContain('nilai "rights" "closed" tidak dikenal');
    expect(text).toContain('tidak ada metadata.json');
    expect(text).toContain('metadata.json bukan JSON yang sah');
    expect(text).toContain('metadata.json terlalu besar');
    const op = staff();
    await op.login('op', 'op-sandi-rahasia');
    expect((await op.get('/staf/tinjau')).status).toBe(403);
    expect(
      (await op.post(`/staf/tinjau/${items.get('none')?.id}`, { access: 'open', reason: 'x' })).status,
    ).toBe(403);
  });

  it('publishes a held item when staff decide, with the reason in the audit log', async () => {
    const it = items.get('closed') as Item;
    await client.get('/staf/tinjau');
    const noReason = await client.post(`/staf/tinjau/${it.id}`, { access: 'open', reason: '' });
    expect(noReason.status).toBe(400);
    expect((await fetch(`${s.base}/item/${it.id}`)).status).toBe(404);
    const r = await client.post(`/staf/tinjau/${it.id}`, {
      access: 'read-online',
      reason: 'izin penerbit ada',
    });
    expect(r.status).toBe(303);
    expect((await fetch(`${s.base}/item/${it.id}`)).status).toBe(200);
    // read-online: readable, not downloadable.
    expect((await fetch(`${s.base}/api/items/${it.id}/pdf`)).status).toBe(403);
    expect(await searchIds('uji')).toContain(it.id);
    expect(await (await fetch(`${s.base}/sitemap.xml`)).text()).toContain(it.id);
    expect((await client.get('/staf/tinjau')).text).not.toContain(`data-item="${it.id}"`);
    const audit = (await s.pindai.register.audit.list({ action: 'item_publish' })).reverse();
    expect(audit).toContainEqual(expect.objectContaining({ username: 'kasi', target: `item:${it.id}` }));
    expect(audit[0]?.detail ?? {}).toMatchObject({
      from: 'review',
      to: 'read-online',
      reason: 'izin penerbit ada',
    });
    // The SOP report's steps: processed and held (not published), then reviewed and published by kasi.
    const steps = await s.pindai.register.steps.ofItem(it.id);
    expect(steps.map((x) => [x.step, x.username])).toEqual([
      ['arrived', null],
      ['accepted', null],
      ['reviewed', 'kasi'],
      ['published', 'kasi'],
    ]);
    const control = await s.pindai.register.steps.ofItem((items.get('control') as Item).id);
    expect(control.map((x) => x.step)).toEqual(['arrived', 'accepted', 'published']);
  });

  it('does the same from the command line: pindai review list | publish', async () => {
    const env = { PINDAI_DATA_DIR: s.pindai.config.dataDir };
    const list = await pindai(['review', 'list', '--json'], env);
    expect(list.code).toBe(0);
    const held = (JSON.parse(list.stdout) as { items: { id: string; held: string }[] }).items;
    const none = items.get('none') as Item;
    expect(held).toContainEqual(expect.objectContaining({ id: none.id, held: 'metadata_missing' }));
    expect(held.map((h) => h.id)).not.toContain(items.get('closed')?.id);
    expect((await pindai(['review', 'publish', none.id, '--access', 'open'], env)).code).not.toBe(0);
    const pub = await pindai(
      ['review', 'publish', none.nomorInduk ?? none.id, '--access', 'open', '--reason', 'koleksi umum'],
      env,
    );
    expect(pub.code, pub.stderr).toBe(0);
    expect((await fetch(`${s.base}/item/${none.id}`)).status).toBe(200);
    expect((await fetch(`${s.base}/api/items/${none.id}/pdf`)).status).toBe(200);
    expect(await searchIds('uji')).toContain(none.id);
  });
});
