import type { FixityHealth } from '../../../core/fixity-health.ts';
import type { Lang, Translator } from '../../../core/messages.ts';
import type { FixityDamagedItem } from '../../../core/register/fixity.queries.ts';
import { fmt } from '../staff-page.tsx';

/**
 * The red banner of the staff home: items fixity found damaged (until a repair or a new check
 * clears them), or fixity overdue. Nothing when all is well.
 */
export function FixityBanner({
  health,
  damaged,
  tr,
  lang,
}: {
  health: FixityHealth;
  damaged: FixityDamagedItem[];
  tr: Translator;
  lang: Lang;
}) {
  return (
    <>
      {health.damagedItems > 0 ? (
        <div class="notice err" role="alert" id="fixity-damage">
          <p>
            <strong>{tr('st_fixity_banner_damage', { n: fmt.num(health.damagedItems, lang) })}</strong>
          </p>
          <ul>
            {damaged.map((d) => (
              <li>
                <a href={`/staf/item/${d.id}`}>
                  {d.nomorInduk ?? tr('st_item_waiting_nomor')} — {d.title}
                </a>
                {d.key ? <code> {d.key}</code> : null}
              </li>
            ))}
          </ul>
          {health.damagedItems > damaged.length ? (
            <p>{tr('st_fixity_banner_more', { n: fmt.num(health.damagedItems - damaged.length, lang) })}</p>
          ) : null}
          <p>{tr('st_fixity_banner_damage_hint')}</p>
        </div>
      ) : null}
      {health.overdue ? (
        <div class="notice err" role="alert" id="fixity-overdue">
          <p>
            <strong>
              {tr('st_fixity_banner_overdue', {
                days: fmt.num(health.overdueDays, lang),
                last: health.lastCompletedAt
                  ? fmt.dateTime(health.lastCompletedAt, lang)
                  : tr('st_fixity_never_short'),
              })}
            </strong>
          </p>
          <p>{tr('st_fixity_banner_overdue_hint')}</p>
        </div>
      ) : null}
    </>
  );
}

/** The last fixity run and its result, in one sentence. */
export function FixityLastRun({ health, tr, lang }: { health: FixityHealth; tr: Translator; lang: Lang }) {
  const r = health.lastRun;
  if (!r) return <p id="fixity-last">{tr('st_fixity_never')}</p>;
  const result = {
    ok: () => tr('st_fixity_result_ok'),
    damage: () => tr('st_fixity_result_damage', { n: fmt.num(r.mismatches, lang) }),
    failed: () => tr('st_fixity_result_failed', { error: r.error ?? '' }),
    unfinished: () => tr('st_fixity_result_unfinished'),
  }[r.result]();
  return (
    <p id="fixity-last" data-result={r.result}>
      {tr('st_fixity_last', {
        at: fmt.dateTime(r.finishedAt ?? r.startedAt, lang),
        kind: tr(r.kind === 'manual' ? 'st_fixity_kind_manual' : 'st_fixity_kind_schedule'),
        share: r.share,
        objects: fmt.num(r.checkedObjects, lang),
        items: fmt.num(r.checkedItems, lang),
        result,
      })}
    </p>
  );
}
