import { formatBytes, formatNumber } from '../../core/format.ts';
import { languageLabel } from '../../core/languages.ts';
import { staffMessages } from '../../core/messages/staff.messages.ts';
import type { Lang, MessageKey, Translator } from '../../core/messages.ts';
import { fixityAuditLines } from './fixity-audit.ts';

/**
 * An audit entry in words: each action's detail as "field: old → new" lines, never raw JSON.
 * The register keeps the detail exactly as recorded; only its reading is done here (older entries
 * of the same action read the same way).
 */

/** Labels of the keys audit details and revisions hold (metadata fields and action details). */
const LABELS: Record<string, MessageKey> = {
  title: 'st_meta_title',
  creator: 'st_inv_creator',
  publisher: 'st_meta_publisher',
  place: 'st_meta_place',
  year: 'st_inv_year',
  sourceNomorInduk: 'st_inv_source_nomor',
  collection: 'st_meta_collection',
  type: 'st_meta_type',
  callNumber: 'st_meta_call',
  subjects: 'st_aud_subjects',
  description: 'st_meta_description',
  rights: 'st_meta_rights',
  isbn: 'st_meta_isbn',
  edition: 'st_meta_edition',
  language: 'st_meta_language',
  reason: 'st_rej_reason',
  status: 'st_aud_status',
  files: 'st_rej_files',
  bytes: 'st_inv_size',
  page: 'st_aud_page',
  stage: 'st_inv_stage',
  ocrLangs: 'st_item_ocr_langs',
  rows: 'st_aud_rows',
  rule: 'st_aud_rule',
  role: 'st_users_role',
  sessionsEnded: 'st_aud_sessions_ended',
  cleared: 'st_aud_cleared',
  reindexed: 'st_aud_reindexed',
  path: 'st_aud_path',
  problems: 'st_rej_reason',
  from: 'st_inv_from',
  to: 'st_inv_to',
  q: 'st_inv_search',
  operator: 'st_inv_operator',
  sort: 'st_sort_by',
  batch: 'st_rej_batch',
  intake: 'st_rej_intake',
  movedTo: 'st_rej_moved',
  rotate: 'st_item_clean_rotate',
  deskew: 'st_item_clean_deskew',
  cropBorders: 'st_item_clean_crop',
};

/** Keys whose numbers are amounts, shown with the language's digit grouping. */
const COUNTS = new Set(['rows', 'files', 'sessionsEnded', 'cleared']);

const RIGHTS: Record<string, MessageKey> = {
  open: 'st_rights_open',
  'read-online': 'st_rights_read',
  'staff-only': 'st_rights_staff',
  review: 'st_rights_review',
};

const has = (key: string): key is MessageKey => Object.hasOwn(staffMessages, key);

export function fieldLabel(tr: Translator, key: string): string {
  const k = LABELS[key];
  return k ? tr(k) : key;
}

/** One value in words: lists joined, access levels, statuses, roles and stages by their names. */
export function valueText(tr: Translator, lang: Lang, key: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '–';
  if (Array.isArray(v)) return v.map((x) => valueText(tr, lang, key, x)).join('; ');
  if (typeof v === 'boolean') return tr(v ? 'st_yes' : 'st_no');
  if (typeof v === 'number') {
    if (key === 'bytes') return formatBytes(lang, v);
    // Years, page numbers and turns are names, not amounts: never "1.987".
    return COUNTS.has(key) ? formatNumber(lang, v) : String(v);
  }
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${fieldLabel(tr, k)}: ${valueText(tr, lang, k, x)}`)
      .join(', ');
  const s = String(v);
  if (key === 'rights' || key === 'access') return RIGHTS[s] ? tr(RIGHTS[s]) : s;
  if (key === 'status' && has(`st_status_${s}`)) return tr(`st_status_${s}` as MessageKey);
  if (key === 'role' && has(`st_role_${s}`)) return tr(`st_role_${s}` as MessageKey);
  if (key === 'stage' && has(`st_stage_${s}`)) return tr(`st_stage_${s}` as MessageKey);
  if (key === 'language') return languageLabel(lang, s);
  if (key === 'intake' && has(`st_intake_${s}`)) return tr(`st_intake_${s}` as MessageKey);
  if (key === 'rule' && has(`st_aud_rule_${s}`)) return tr(`st_aud_rule_${s}` as MessageKey);
  return s;
}

const change = (tr: Translator, lang: Lang, key: string, from: unknown, to: unknown, label = key) =>
  `${fieldLabel(tr, label)}: ${valueText(tr, lang, key, from)} → ${valueText(tr, lang, key, to)}`;

/** The lines shown for one entry's detail. */
export function auditDetailLines(
  tr: Translator,
  lang: Lang,
  action: string,
  detail: Record<string, unknown>,
): string[] {
  const d = detail;
  const lines: string[] = [];
  const rest = (skip: string[]) => {
    for (const [k, v] of Object.entries(d)) {
      if (skip.includes(k) || v === undefined) continue;
      // Each reason is a sentence of its own.
      if (k === 'problems' && Array.isArray(v)) {
        for (const p of v) lines.push(`${fieldLabel(tr, k)}: ${String(p)}`);
        continue;
      }
      lines.push(`${fieldLabel(tr, k)}: ${valueText(tr, lang, k, v)}`);
    }
  };
  switch (action) {
    case 'item_edit': {
      const changes = d.changes as Record<string, [unknown, unknown]> | undefined;
      if (changes) for (const [k, [a, b]] of Object.entries(changes)) lines.push(change(tr, lang, k, a, b));
      else if (Array.isArray(d.changed))
        lines.push(
          `${tr('st_aud_changed')}: ${(d.changed as string[]).map((k) => fieldLabel(tr, k)).join(', ')}`,
        );
      if (d.reindexed === false) lines.push(tr('st_aud_not_reindexed'));
      break;
    }
    case 'item_access':
    case 'item_publish':
      lines.push(change(tr, lang, 'rights', d.from, d.to));
      rest(['from', 'to', 'reindexed']);
      break;
    case 'item_withdraw':
      if (d.status) lines.push(change(tr, lang, 'status', d.status, 'withdrawn'));
      rest(['status']);
      break;
    case 'item_restore':
      lines.push(change(tr, lang, 'status', 'withdrawn', d.status));
      rest(['status']);
      break;
    case 'item_page_rotate':
      lines.push(`${tr('st_aud_page')} ${d.page}: ${turnText(tr, d.before)} → ${turnText(tr, d.turn)}`);
      break;
    case 'item_page_replace':
      lines.push(
        `${tr('st_aud_page')} ${d.page}: ${String(d.previousFile ?? '–')} → ${String(d.file ?? '–')}`,
      );
      if (typeof d.bytes === 'number')
        lines.push(`${fieldLabel(tr, 'bytes')}: ${formatBytes(lang, d.bytes)}`);
      break;
    case 'item_pages': {
      const before = Array.isArray(d.before)
        ? (d.before as { page_no?: number }[]).map((p) => p.page_no ?? p)
        : [];
      lines.push(
        `${tr('st_aud_page_order')}: ${before.join(', ')} → ${(d.order as number[] | undefined)?.join(', ') ?? '–'}`,
      );
      break;
    }
    case 'item_clean_settings':
      lines.push(
        `${valueText(tr, lang, 'settings', cleanWords(d.previous))} → ${valueText(tr, lang, 'settings', cleanWords(d.settings))}`,
      );
      break;
    case 'upload':
      lines.push(
        `${tr('st_aud_result')}: ${has(`st_aud_upload_${d.status}`) ? tr(`st_aud_upload_${d.status}` as MessageKey) : String(d.status)}`,
      );
      rest(['status']);
      break;
    case 'item_lists':
      for (const k of ['collections', 'types'] as const) {
        const [a, b] = (d[k] ?? [[], []]) as [string[], string[]];
        if (a.join('\n') !== b.join('\n'))
          lines.push(
            `${tr(k === 'collections' ? 'st_lists_collections' : 'st_lists_types')}: ${a.join(', ')} → ${b.join(', ')}`,
          );
      }
      break;
    case 'fixity_run':
    case 'fixity_damage':
    case 'fixity_cleared':
    case 'fixity_webhook_failed':
      lines.push(...fixityAuditLines(tr, lang, action, d));
      break;
    case 'user_role':
      lines.push(change(tr, lang, 'role', d.from, d.to));
      rest(['from', 'to']);
      break;
    case 'inventory_export_csv':
    case 'inventory_export_xlsx':
    case 'inventory_print': {
      const f = (d.filter ?? {}) as Record<string, unknown>;
      const used = Object.entries(f).filter(([, v]) => v !== undefined && v !== '');
      if (used.length)
        lines.push(`${tr('st_inv_filter')}: ${valueText(tr, lang, 'filter', Object.fromEntries(used))}`);
      rest(['filter']);
      break;
    }
    default:
      rest([]);
  }
  return lines;
}

function turnText(tr: Translator, turn: unknown): string {
  if (turn === 'auto' || turn === null || turn === undefined) return tr('st_item_orient_choice_auto');
  return has(`st_item_rot_${turn}`) ? tr(`st_item_rot_${turn}` as MessageKey) : String(turn);
}

function cleanWords(s: unknown): Record<string, unknown> {
  const o = (s ?? {}) as Record<string, unknown>;
  return {
    rotate: o.rotate === undefined ? undefined : `${o.rotate}°`,
    deskew: o.deskew,
    cropBorders: o.cropBorders,
  };
}
