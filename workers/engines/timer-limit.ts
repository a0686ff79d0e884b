/** The longest delay setTimeout honours (a longer one fires at once): per-page timeouts are capped to it. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
