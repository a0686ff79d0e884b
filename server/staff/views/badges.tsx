import type { ItemStatus, Stage } from '../../../core/item.types.ts';
import type { Translator } from '../../../core/messages.ts';

export function StatusBadge({
  status,
  stage,
  tr,
}: {
  status: ItemStatus;
  stage: Stage | null;
  tr: Translator;
}) {
  const label = tr(`st_status_${status}`);
  const detail =
    status === 'processing' || status === 'failed' ? (stage ? ` · ${tr(`st_stage_${stage}`)}` : '') : '';
  return (
    <span class={`badge b-${status}`} data-status={status}>
      {label}
      {detail}
    </span>
  );
}
