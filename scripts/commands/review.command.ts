import { HELD_FLAG, holdOf } from '../../core/access.ts';
import type { Config } from '../../core/config.ts';
import type { Item } from '../../core/item.types.ts';
import { flagMessage } from '../../core/messages.ts';
import type { AccessLevel } from '../../core/metadata.schema.ts';
import { setItemAccess } from '../../search/item-access.ts';
import { REVIEW_CHOICES } from '../cli-choices.ts';
import { openCatalog } from '../open-catalog.ts';

// Declared with the CLI's other choices (the CLI offers them without loading this module).
export { REVIEW_CHOICES };

/** `pindai review list`: items held for review, oldest first, with why. */
export async function reviewListCommand(config: Config, opts: { json: boolean }): Promise<number> {
  const cat = await openCatalog(config);
  try {
    const held = await cat.register.review.list();
    const rows = held.map((it) => ({
      id: it.id,
      nomorInduk: it.nomorInduk,
      title: it.title,
      status: it.status,
      batch: it.sourceName,
      operator: it.operator,
      receivedAt: it.createdAt,
      held: holdOf(it),
      reason: heldText(config, it),
    }));
    if (opts.json) process.stdout.write(`${JSON.stringify({ items: rows }, null, 2)}\n`);
    else if (rows.length === 0) process.stdout.write('Tidak ada item yang menunggu tinjauan.\n');
    else {
      for (const r of rows) {
        process.stdout.write(
          `${(r.nomorInduk ?? r.id).padEnd(16)} ${r.status.padEnd(10)} ${r.title}\n    ${r.reason}\n`,
        );
      }
      process.stdout.write(
        `${rows.length} item ditahan. Terbitkan: pindai review publish <item> --reason "…"\n`,
      );
    }
    return 0;
  } finally {
    await cat.close();
  }
}

/**
 * `pindai review publish <item> --access open --reason "…"`: set a held item's access level (the
 * item by id or nomor induk). The reason goes to the audit log with the change, as from /staf.
 */
export async function reviewPublishCommand(
  config: Config,
  ref: string,
  opts: { access: string; reason: string; by: string },
): Promise<number> {
  if (!(REVIEW_CHOICES as readonly string[]).includes(opts.access)) {
    process.stderr.write(`Hak akses tidak dikenal: ${opts.access} (pilih ${REVIEW_CHOICES.join(', ')}).\n`);
    return 2;
  }
  const reason = opts.reason.trim().slice(0, 500);
  if (!reason) {
    process.stderr.write('Tulis alasan keputusan dengan --reason "…": alasan dicatat di log audit.\n');
    return 2;
  }
  const cat = await openCatalog(config);
  try {
    const item = (await cat.register.items.get(ref)) ?? (await cat.register.items.byNomorInduk(ref));
    if (!item) {
      process.stderr.write(`Item ${ref} tidak ditemukan.\n`);
      return 1;
    }
    const r = await setItemAccess(cat, item.id, opts.access as AccessLevel, reason, {
      userId: null,
      username: `cli:${opts.by}`.slice(0, 60),
    });
    if (!r.ok) {
      process.stderr.write(
        r.why === 'same'
          ? `Item ${ref} sudah berhak akses ${opts.access}.\n`
          : `Item ${ref} tidak ditemukan atau sudah ditarik.\n`,
      );
      return 1;
    }
    process.stdout.write(
      `${item.nomorInduk ?? item.id} "${item.title}": ${r.before ?? '-'} → ${opts.access}` +
        `${r.reindexed ? ' (indeks diperbarui)' : ''}.\n`,
    );
    return 0;
  } finally {
    await cat.close();
  }
}

function heldText(config: Config, it: Item): string {
  const flag = it.flags.find((f) => f.code === HELD_FLAG) ?? {
    code: HELD_FLAG,
    params: { reason: holdOf(it) ?? 'rights_review' },
  };
  return flagMessage(config.lang, flag);
}
