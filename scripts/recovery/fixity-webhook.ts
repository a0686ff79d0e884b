import type { FixityRun } from '../../core/register/fixity.queries.ts';
/** What `PINDAI_FIXITY_WEBHOOK_URL` receives (POST, application/json) after a run with damage or an error. */
export interface FixityWebhookPayload {
  event: 'fixity_damage' | 'fixity_failed';
  /** PINDAI_LIBRARY_NAME, or null when the library set none. */
  library: string | null;
  /** The run as the register keeps it, with its share written `part/of`. */
  run: Pick<
    FixityRun,
    | 'id'
    | 'kind'
    | 'slot'
    | 'startedAt'
    | 'finishedAt'
    | 'checkedItems'
    | 'checkedObjects'
    | 'mismatches'
    | 'error'
  > & { share: string };
  damaged: { itemId: string; nomorInduk: string | null; key: string; expected: string; actual: string }[];
}

export interface WebhookOptions {
  /** Per attempt (default 10 s): a receiver that hangs is given up on. */
  timeoutMs?: number;
  /** Attempts in all (default 3). */
  attempts?: number;
  /** Wait before the 2nd, 3rd … attempt (default 2 s, 10 s). */
  backoffMs?: number[];
}

export interface WebhookOutcome {
  ok: boolean;
  attempts: number;
  /** The last HTTP status, when there was an answer. */
  status?: number;
  /** Why the last attempt failed. */
  error?: string;
}

/**
 * POST the payload, a few times if need be. Never throws: an alarm that cannot be delivered is
 * reported back (to be logged), and whatever called it — the nightly run inside `pindai serve` —
 * goes on. Any 2xx answer counts as delivered.
 */
export async function callFixityWebhook(
  url: string,
  payload: FixityWebhookPayload,
  opts: WebhookOptions = {},
): Promise<WebhookOutcome> {
  const attempts = Math.max(1, opts.attempts ?? 3);
  const backoff = opts.backoffMs ?? [2000, 10_000];
  const body = JSON.stringify(payload);
  let last: WebhookOutcome = { ok: false, attempts: 0 };
  for (let i = 1; i <= attempts; i++) {
    if (i > 1) await new Promise((r) => setTimeout(r, backoff[Math.min(i - 2, backoff.length - 1)] ?? 0));
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Pindai fixity' },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      // Read the answer so the connection is released; its content does not matter.
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { ok: true, attempts: i, status: res.status };
      last = { ok: false, attempts: i, status: res.status, error: `HTTP ${res.status}` };
    } catch (err) {
      last = { ok: false, attempts: i, error: (err as Error).message };
    }
  }
  return last;
}
