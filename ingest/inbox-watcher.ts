import { EventEmitter } from 'node:events';
import fsp from 'node:fs/promises';
import path from 'node:path';
import chokidar, { type FSWatcher } from 'chokidar';
import type { AcceptResult } from './accept-batch.ts';
import { isIgnoredName, isMarkerName } from './ignore-rules.ts';

export interface InboxWatcherOptions {
  inboxDir: string;
  /** Folder names inside the inbox that are not batches (arsip/, gagal/). */
  reserved: string[];
  /** A batch without a marker is complete after this long without any change. */
  quietMs: number;
  /** With a marker file, still wait this long without changes (a marker written too early). */
  markerSettleMs?: number;
  poll: boolean;
  pollMs: number;
  /** `arrivedAt`: when the batch's last file arrived (its listing last changed), before the quiet wait. */
  accept(dir: string, info: { arrivedAt: Date }): Promise<AcceptResult>;
}

interface Tracked {
  signature: string;
  changedAt: number;
  marker: boolean;
  failures: number;
  retryAt: number;
}

/**
 * Watches the inbox: one sub-folder = one batch = one item. A batch is complete when a marker
 * file (SELESAI, READY, …) appears, or when nothing in it has changed for the quiet period —
 * scanners pause between pages, so one file's stability is not enough; the whole folder's
 * listing (names, sizes, mtimes) must stay unchanged. chokidar tells us quickly that something
 * changed; the listing snapshot is what decides, so a missed event cannot accept a batch early.
 */
export function createInboxWatcher(opts: InboxWatcherOptions) {
  const events = new EventEmitter();
  const tracked = new Map<string, Tracked>();
  const settleMs = Math.min(opts.markerSettleMs ?? 2000, opts.quietMs);
  let watcher: FSWatcher | null = null;
  let timer: NodeJS.Timeout | null = null;
  let busy = false;
  const reserved = new Set(opts.reserved.map((r) => r.toLowerCase()));

  const batchOf = (p: string): string | null => {
    const rel = path.relative(opts.inboxDir, p);
    if (!rel || rel.startsWith('..')) return null;
    const top = rel.split(path.sep)[0] as string;
    if (reserved.has(top.toLowerCase()) || isIgnoredName(top)) return null;
    return top;
  };

  const touch = (p: string) => {
    const name = batchOf(p);
    if (!name) return;
    const t = tracked.get(name);
    const now = Date.now();
    if (t) t.changedAt = now;
    else tracked.set(name, { signature: '', changedAt: now, marker: false, failures: 0, retryAt: 0 });
  };

  /**
   * chokidar can miss a folder (seen in polling mode on a loaded machine: a batch never tracked and
   * never accepted). The inbox's own listing is looked at every few seconds too, so a missed event
   * only delays a batch, never loses it.
   */
  let listedAt = 0;
  const rescanMs = Math.max(2000, opts.quietMs);
  async function listInbox(now: number) {
    if (now - listedAt < rescanMs) return;
    listedAt = now;
    const entries = await fsp.readdir(opts.inboxDir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (e.isDirectory() && !tracked.has(e.name)) touch(path.join(opts.inboxDir, e.name));
    }
  }

  async function tick() {
    if (busy) return;
    busy = true;
    try {
      await listInbox(Date.now());
      for (const [name, t] of tracked) {
        const dir = path.join(opts.inboxDir, name);
        const snap = await snapshot(dir);
        if (snap === null) {
          tracked.delete(name);
          continue;
        }
        const now = Date.now();
        if (snap.signature !== t.signature) {
          t.signature = snap.signature;
          t.changedAt = now;
          t.marker = snap.marker;
          continue;
        }
        // An empty folder is an operator about to start scanning, not an empty batch.
        if (snap.signature === '') continue;
        const quiet = now - t.changedAt;
        if (now < t.retryAt || !(quiet >= opts.quietMs || (t.marker && quiet >= settleMs))) continue;
        try {
          const result = await opts.accept(dir, { arrivedAt: new Date(t.changedAt) });
          tracked.delete(name);
          // Why it was taken as complete: its marker file, or the quiet period.
          const trigger = quiet >= opts.quietMs ? 'quiet' : 'marker';
          events.emit('batch', { name, result, trigger });
        } catch (err) {
          if ((err as { code?: string }).code === 'batch_incomplete') {
            // A page is still being copied (the writer paused longer than the quiet period): wait.
            t.retryAt = now + opts.quietMs;
            events.emit('waiting', { name, error: err as Error });
            continue;
          }
          // Store down, disk full…: the batch stays in the inbox and is tried again later.
          t.failures++;
          t.retryAt = now + Math.min(300_000, 5000 * 2 ** t.failures);
          events.emit('error', { name, error: err as Error });
        }
      }
    } finally {
      busy = false;
    }
  }

  return {
    events,
    async start() {
      await fsp.mkdir(opts.inboxDir, { recursive: true });
      watcher = chokidar.watch(opts.inboxDir, {
        depth: 1,
        ignoreInitial: false,
        followSymlinks: false,
        usePolling: opts.poll,
        interval: opts.pollMs,
        binaryInterval: opts.pollMs,
      });
      for (const ev of ['add', 'addDir', 'change', 'unlink', 'unlinkDir'] as const) watcher.on(ev, touch);
      watcher.on('error', (err) => events.emit('error', { name: null, error: err }));
      await new Promise<void>((resolve) => watcher?.once('ready', () => resolve()));
      timer = setInterval(() => void tick(), Math.max(100, Math.min(1000, opts.quietMs / 4)));
    },
    async stop() {
      if (timer) clearInterval(timer);
      await watcher?.close();
      while (busy) await new Promise((r) => setTimeout(r, 50));
    },
    /** Batches seen but not yet accepted, for the live queue. */
    pending: () => [...tracked.keys()],
  };
}

async function snapshot(dir: string): Promise<{ signature: string; marker: boolean } | null> {
  const st = await fsp.lstat(dir).catch(() => null);
  if (!st?.isDirectory()) return null;
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => null);
  if (!entries) return null;
  const parts: string[] = [];
  let marker = false;
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (isMarkerName(e.name)) marker = true;
    const s = await fsp.lstat(path.join(dir, e.name)).catch(() => null);
    parts.push(`${e.name}:${s?.size ?? -1}:${s?.mtimeMs ?? -1}`);
  }
  return { signature: parts.join('|'), marker };
}
