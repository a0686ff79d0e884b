import path from 'node:path';
import type { Lang, Translator } from '../../../core/messages.ts';
import type { RejectedBatch } from '../../../core/register/rejections.queries.ts';
import { messageOf } from '../../../ingest/problems.ts';
import { fmt } from '../staff-page.tsx';

/** File names shown per batch; the rest is counted. */
const SHOWN_FILES = 10;

/**
 * Batches intake refused, as rows: when, the folder, how it came and from whom, the reasons (the
 * lines of its ALASAN.txt, in the reader's language), its files and where the folder went.
 * Used by the queue and the inventory's "Gagal" view alike.
 */
export function RejectionTable({
  id,
  rows,
  tr,
  lang,
}: {
  id: string;
  rows: RejectedBatch[];
  tr: Translator;
  lang: Lang;
}) {
  return (
    <table class="grid" id={id}>
      <thead>
        <tr>
          <th>{tr('st_rej_time')}</th>
          <th>{tr('st_rej_batch')}</th>
          <th>{tr('st_rej_intake')}</th>
          <th>{tr('st_inv_operator')}</th>
          <th>{tr('st_rej_reason')}</th>
          <th>{tr('st_rej_files')}</th>
          <th>{tr('st_rej_moved')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr data-rejection={r.id}>
            <td class="nowrap">
              <time datetime={r.at}>{fmt.dateTime(r.at, lang)}</time>
            </td>
            <td class="wrap">{r.batchName}</td>
            <td>{tr(`st_intake_${r.intake}`)}</td>
            <td>{r.operator ?? ''}</td>
            <td class="wrap">
              <ul>
                {r.problems.map((p) => (
                  <li>{messageOf(lang, p)}</li>
                ))}
              </ul>
            </td>
            <td class="wrap">
              {r.files.slice(0, SHOWN_FILES).join(', ')}
              {r.fileCount > SHOWN_FILES ? ` ${tr('st_rej_more', { n: r.fileCount - SHOWN_FILES })}` : ''}
            </td>
            <td class="nowrap">
              {r.movedTo ? (
                // Where an operator finds it: the inbox's gagal/ folder and the name it got there.
                `${path.basename(path.dirname(r.movedTo))}/${path.basename(r.movedTo)}`
              ) : (
                <span class="muted">{tr('st_rej_kept')}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
