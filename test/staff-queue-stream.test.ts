import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Register } from '../core/register/register.ts';
import { staffDepsOf } from '../scripts/staff-deps.ts';
import { createApp } from '../server/app.ts';
import { StaffClient, type StaffServer, startStaffServer } from './support/staff-server.ts';

/**
 * The live queue (/staf/antrean/aliran, server-sent events) of an operator: only their own items'
 * events, in the order the runner sent them, and an item the register cannot look up now is left
 * out without taking the web process down. The register is the real one, wrapped so that one
 * item's lookup fails (as a PostgreSQL register that is briefly unreachable would).
 */
describe('staff live queue stream', () => {
  let s: StaffServer;
  let server: Server;
  let base = '';
  const UNREADABLE = 'tak-terbaca';

  beforeAll(async () => {
    s = await startStaffServer();
    const real = s.pindai.register;
    const register: Register = {
      ...real,
      items: {
        ...real.items,
        get: async (id) => {
          if (id === UNREADABLE) throw new Error('register unreachable (simulated)');
          return real.items.get(id);
        },
      },
    };
    const app = createApp({
      register,
      store: s.pindai.store,
      index: s.pindai.index,
      health: () => ({}),
      staff: staffDepsOf({ ...s.pindai, register }, { loginMax: 1000 }),
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const [id, operator] of [
      ['milik-op', 'op'],
      ['milik-lain', 'lain'],
    ] as const) {
      await real.items.insert({
        id,
        title: id,
        metadata: {},
        flags: [],
        fingerprint: `fp-${id}`,
        sourcePath: `/in/${id}`,
        sourceName: id,
        intake: 'upload',
        operator,
      });
    }
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await s?.close();
  });

  it("sends an operator only their own items' events, in order, and skips an item it cannot look up", async () => {
    const { password } = await s.addUser('op', 'operator');
    const client = new StaffClient(base);
    expect((await client.login('op', password)).status).toBe(303);
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const abort = new AbortController();
    const r = await fetch(`${base}/staf/antrean/aliran`, { headers: { cookie }, signal: abort.signal });
    expect(r.headers.get('content-type')).toContain('text/event-stream');
    const reader = (r.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}: ${text}`);
        text += decoder.decode(value);
      }
    };
    await readUntil('retry:');

    const events = s.pindai.runner.events;
    events.emit('progress', { itemId: UNREADABLE, stage: 'ocr', done: 1, total: 2 });
    events.emit('progress', { itemId: 'milik-lain', stage: 'ocr', done: 1, total: 2 });
    events.emit('progress', { itemId: 'milik-op', stage: 'ocr', done: 1, total: 2 });
    events.emit('progress', { itemId: 'milik-op', stage: 'ocr', done: 2, total: 2 });
    events.emit('stage', { itemId: 'milik-op', stage: 'ocr', outcome: 'done', durationMs: 5 });
    await readUntil('event: stage');
    abort.abort();

    const sent = [...text.matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m) => {
      const e = JSON.parse(m[2] as string) as { itemId: string; done?: number };
      return `${m[1]} ${e.itemId} ${e.done ?? ''}`.trim();
    });
    expect(sent).toEqual(['progress milik-op 1', 'progress milik-op 2', 'stage milik-op']);
  });
});
