import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { callFixityWebhook, type FixityWebhookPayload } from './fixity-webhook.ts';

const payload: FixityWebhookPayload = {
  event: 'fixity_damage',
  library: 'Perpustakaan Kota Contoh',
  run: {
    id: 1,
    kind: 'schedule',
    share: '1/30',
    slot: 20_428,
    startedAt: '2026-12-06T02:00:00.000Z',
    finishedAt: '2026-12-06T02:10:00.000Z',
    checkedItems: 3,
    checkedObjects: 40,
    mismatches: 1,
    error: null,
  },
  damaged: [{ itemId: 'x', nomorInduk: '00001/AM/2026', key: 'items/x/p.jpg', expected: 'a', actual: 'b' }],
};

describe('the fixity webhook', () => {
  const servers: http.Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });
  const listen = async (handler: http.RequestListener) => {
    const s = http.createServer(handler);
    servers.push(s);
    s.listen(0, '127.0.0.1');
    await new Promise((r) => s.once('listening', r));
    return `http://127.0.0.1:${(s.address() as AddressInfo).port}/`;
  };

  it('gives up on a receiver that never answers, after the attempts given, without throwing', async () => {
    let seen = 0;
    const url = await listen(() => {
      seen++; // and never answer
    });
    const out = await callFixityWebhook(url, payload, { timeoutMs: 300, attempts: 2, backoffMs: [10] });
    expect(out).toMatchObject({ ok: false, attempts: 2 });
    expect(out.error).toMatch(/abort|time/i);
    expect(seen).toBe(2);
  });

  it('retries a refusal and stops at the first 2xx', async () => {
    const statuses = [503, 204, 500];
    const bodies: unknown[] = [];
    const url = await listen((req, res) => {
      let b = '';
      req.on('data', (c: Buffer) => {
        b += c.toString();
      });
      req.on('end', () => {
        bodies.push(JSON.parse(b));
        res.statusCode = statuses.shift() ?? 200;
        res.end();
      });
    });
    expect(await callFixityWebhook(url, payload, { backoffMs: [10] })).toEqual({
      ok: true,
      attempts: 2,
      status: 204,
    });
    expect(bodies).toEqual([payload, payload]);
  });
});
