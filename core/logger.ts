import pino, { type Logger } from 'pino';

/** Structured logs to stderr, so stdout stays clean for `--json` output. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'pindai' } }, pino.destination(2));
}
