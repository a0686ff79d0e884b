import { PindaiError } from './errors.ts';

/**
 * Error codes that mean "a dependency is unavailable for now" rather than "this item is bad":
 * network (object store, search server), disk space and I/O, a busy database. Node's errno codes,
 * undici's, SQLite's (better-sqlite3 `code`) and S3's (minio `code`).
 */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'EPIPE',
  'ENOSPC',
  'EDQUOT',
  'EIO',
  'EMFILE',
  'ENFILE',
  'EBUSY',
  'EAGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'ServiceUnavailable',
  'SlowDown',
  'RequestTimeout',
  'InternalError',
  'dependency_unavailable',
]);

/**
 * Whether `err` (or any error in its `cause` chain) says a dependency is down. The job runner
 * backs such jobs off without spending their attempts: they resume by themselves after recovery
 * and are never failed for good because a disk filled up or a server restarted.
 */
export function isDependencyDown(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 8; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (TRANSIENT_CODES.has(code) || code.startsWith('SQLITE_IOERR')) return true;
    }
    const name = (e as { name?: unknown }).name;
    if (typeof name === 'string' && /CommunicationError|TimeOutError/.test(name)) return true;
    // Our own errors say for themselves; only their cause can still reveal an outage.
    e = e instanceof PindaiError || e instanceof Error ? e.cause : undefined;
  }
  return false;
}
