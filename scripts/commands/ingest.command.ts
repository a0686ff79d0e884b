import fsp from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { HELD_FLAG, type HoldReason, holdOf, publicAccessOf } from '../../core/access.ts';
import type { Config } from '../../core/config.ts';
import type { StageEvent } from '../../core/job-events.ts';
import { createLogger } from '../../core/logger.ts';
import { flagMessage } from '../../core/messages.ts';
import { PAGE_EXTENSIONS } from '../../ingest/ignore-rules.ts';
import { messageOf } from '../../ingest/problems.ts';
import { createPindai } from '../pindai-context.ts';

export interface IngestLine {
  id: string | null;
  nomorInduk: string | null;
  title: string;
  pages: number;
  status: string;
  /** Whether the public can see the item now (available, and open or read-online). */
  public: boolean;
  /** Why the item is held for review (a reason code), when it is. */
  held?: HoldReason;
  batch: string;
  error?: string;
}

/** Batches under `dir`: its sub-folders, or `dir` itself when it holds page images directly. */
export async function findBatches(dir: string): Promise<string[]> {
  const root = path.resolve(dir);
  const entries = await fsp.readdir(root, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && PAGE_EXTENSIONS.has(path.extname(e.name).toLowerCase())))
    return [root];
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => path.join(root, e.name))
    .sort();
}

/** `pindai ingest <dir>`: accept every batch, run the pipeline to the end; exit 1 if any failed. */
export async function ingestCommand(config: Config, dir: string, opts: { json: boolean }): Promise<number> {
  const log = createLogger(process.env.PINDAI_LOG_LEVEL ?? 'warn');
  const app = await createPindai(config, { log });
  const lines: IngestLine[] = [];
  const heldTexts = new Map<IngestLine, string>();
  const itemIds: string[] = [];
  const showBar = !opts.json && process.stderr.isTTY;
  try {
    for (const batch of await findBatches(dir)) {
      const r = await app.accept(batch, { intake: 'ingest', disposition: { kind: 'keep' } });
      if (r.status === 'rejected' || r.status === 'duplicate') {
        lines.push({
          id: r.item?.id ?? null,
          nomorInduk: r.item?.nomorInduk ?? null,
          title: r.item?.title ?? path.basename(batch),
          pages: 0,
          status: r.status,
          public: false,
          batch,
          error: r.problems.map((p) => messageOf(config.lang, p)).join(' '),
        });
      } else {
        itemIds.push(r.item.id);
        lines.push({
          id: r.item.id,
          nomorInduk: null,
          title: r.item.title,
          pages: r.item.pageCount,
          status: '',
          public: false,
          batch,
        });
      }
    }
    const bar = showBar
      ? new cliProgress.SingleBar(
          { format: 'ingest |{bar}| {value}/{total} tahap | {item} {stage}', hideCursor: true },
          cliProgress.Presets.shades_classic,
        )
      : null;
    const stagesDone = async () => {
      let n = 0;
      for (const id of itemIds) {
        n += (await app.register.jobs.forItem(id)).filter((j) => j.status === 'done').length;
      }
      return n;
    };
    if (bar) {
      bar.start(itemIds.length * 5, await stagesDone(), { item: '', stage: '' });
      app.runner.events.on('stage', (e: StageEvent) => {
        // Only the bar depends on it: a count that cannot be read now is shown at the next stage.
        void stagesDone().then(
          (n) => bar.update(n, { item: e.itemId, stage: e.stage }),
          () => {},
        );
      });
    }
    await app.runner.start();
    await app.runner.drain(itemIds);
    // A one-shot run copies what it stored to the replica before ending; what the replica could
    // not take (it is down) stays pending in the register for `pindai serve` or `replica sync`.
    await app.replicator?.drain();
    bar?.stop();
    for (const line of lines) {
      const item = line.id ? await app.register.items.get(line.id) : null;
      if (!item) continue;
      line.nomorInduk = item.nomorInduk;
      line.pages = item.pageCount;
      if (line.status === '') line.status = item.status;
      if (item.status === 'failed') line.error = item.errorMessage ?? item.errorCode ?? 'failed';
      line.public = publicAccessOf(item) !== null;
      const held = holdOf(item);
      if (held) {
        line.held = held;
        const flag = item.flags.find((f) => f.code === HELD_FLAG) ?? {
          code: HELD_FLAG,
          params: { reason: held },
        };
        heldTexts.set(line, flagMessage(config.lang, flag));
      }
    }
  } finally {
    await app.close();
  }
  if (opts.json) {
    const items = lines.map(({ batch: _b, ...rest }) => rest);
    process.stdout.write(`${JSON.stringify({ items }, null, 2)}\n`);
  } else {
    for (const l of lines) {
      process.stdout.write(
        `${(l.nomorInduk ?? '-').padEnd(16)} ${l.status.padEnd(10)} ${String(l.pages).padStart(4)} hlm  ${l.title}${
          heldTexts.has(l) ? `\n    ${heldTexts.get(l)}` : ''
        }${l.error ? `\n    ${l.error}` : ''}\n`,
      );
    }
  }
  return lines.some((l) => l.status !== 'available') ? 1 : 0;
}
