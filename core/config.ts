import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { AccessLevel } from './metadata.schema.ts';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const langs = z
  .string()
  .regex(/^[a-z_]{3,8}(\+[a-z_]{3,8})*$/, 'use tesseract codes joined by +, e.g. ind+eng')
  .transform((v) => v.split('+'));

/** Every setting Pindai reads, with its environment variable, default and meaning. */
const envSchema = z.object({
  /** Holds the register, object store, search index and inbox. */
  PINDAI_DATA_DIR: z.string().min(1).default('./data'),
  /**
   * PostgreSQL register, postgres://user:password@host:5432/database (libpq query parameters such
   * as ?sslmode=require allowed). Unset: the embedded SQLite register under PINDAI_DATA_DIR. Today
   * only its schema, migrations, job claiming and nomor induk allocation exist (core/register/pg/);
   * Pindai does not run on it until the adapter of the register port lands.
   */
  PINDAI_REGISTER_URL: z
    .url({
      protocol: /^postgres(ql)?$/,
      error: 'use a postgres:// URL such as postgres://pindai@db:5432/pindai',
    })
    .optional(),
  PINDAI_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PINDAI_HOST: z.string().default('127.0.0.1'),
  /**
   * Public origin for absolute links (sitemap, canonical links, IIIF ids), e.g.
   * https://koleksi.example.go.id. Unset: taken from each request's Host header, and such answers
   * are then never marked cacheable by shared caches.
   */
  PINDAI_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'use an http(s) URL such as https://koleksi.example.go.id' })
    // Only the origin: the collection's own links are root-relative (/item/…), so a path would not hold.
    .refine((v) => {
      if (!URL.canParse(v)) return true; // already reported by .url()
      const u = new URL(v);
      return u.username === '' && u.password === '' && u.pathname === '/' && u.search === '' && u.hash === '';
    }, 'use the site origin only, e.g. https://koleksi.example.go.id (no path, user, query or fragment)')
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  /** OAI-PMH (/oai): records per list response; more follow with a resumption token. */
  PINDAI_OAI_PAGE_SIZE: z.coerce.number().int().min(10).max(1000).default(100),
  /** OAI-PMH Identify's adminEmail, the address harvesters (Perpusnas OneSearch) write to. Default: webmaster@<host>. */
  PINDAI_OAI_ADMIN_EMAIL: z
    .email({ error: 'use an e-mail address such as perpustakaan@example.go.id' })
    .optional(),
  /** OAI-PMH Identify's repositoryName. Default: PINDAI_LIBRARY_NAME, else the site name ("Koleksi Digital"). */
  PINDAI_OAI_REPOSITORY_NAME: z.string().trim().min(1).max(200).optional(),
  /** User-facing language: Bahasa Indonesia by default. */
  PINDAI_LANG: z.enum(['id', 'en']).default('id'),
  /** Inbox folder; default <data>/inbox. */
  PINDAI_INBOX: z.string().optional(),
  /** A batch with no marker file is complete after this many seconds without changes. */
  PINDAI_QUIET_SECONDS: z.coerce.number().min(0.1).max(86_400).default(30),
  /** Poll the inbox instead of using OS events (network shares: SMB/NFS send no events). */
  PINDAI_WATCH_POLL: bool.default(false),
  PINDAI_WATCH_POLL_MS: z.coerce.number().int().min(100).default(2000),
  /** Nomor induk alih media template: {seq:N} running number padded to N, {year}, {yy}, {code}. */
  PINDAI_NOMOR_TEMPLATE: z.string().default('{seq:5}/AM/{year}'),
  PINDAI_COLLECTION_CODE: z
    .string()
    .regex(/^[A-Za-z0-9]*$/)
    .default(''),
  PINDAI_OCR_LANGS: langs.default(['ind', 'eng']),
  /** Parallel OCR threads; default one per core, at most 2 (more buys nothing on 2 cores). */
  PINDAI_OCR_WORKERS: z.coerce.number().int().min(1).max(32).optional(),
  PINDAI_OCR_TIMEOUT_SECONDS: z.coerce.number().min(1).default(180),
  /** Reject images that decode to more pixels than this (decompression bombs). */
  PINDAI_MAX_PIXELS: z.coerce.number().int().min(1_000_000).default(150_000_000),
  /** IIIF image cuts (sharp) at once; more wait in a queue of PINDAI_IIIF_CUT_QUEUE, then get 503. */
  PINDAI_IIIF_CUT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  PINDAI_IIIF_CUT_QUEUE: z.coerce.number().int().min(0).max(10_000).default(50),
  /** Disk cache of IIIF cuts under <data>/cache/iiif, least recently used dropped first; 0 turns it off. */
  PINDAI_IIIF_CACHE_MB: z.coerce.number().min(0).max(1_000_000).default(512),
  /** Pages one file (multi-page TIFF, PDF) and one batch may hold; more is refused at intake. */
  PINDAI_MAX_PAGES_PER_FILE: z.coerce.number().int().min(1).max(100_000).default(2000),
  PINDAI_MAX_PAGES_PER_BATCH: z.coerce.number().int().min(1).max(100_000).default(2000),
  /**
   * Access level of an item whose metadata.json is readable but names no `rights`: open,
   * read-online, staff-only, or review (held until staff publish it). Unreadable or unrecognised
   * metadata, and batches without metadata, are always held for review.
   */
  PINDAI_DEFAULT_ACCESS: z.enum(['open', 'read-online', 'staff-only', 'review']).default('open'),
  /** Concurrent stage jobs in one process. */
  /** 0: this process runs no stage (a web node next to workers on other machines). */
  PINDAI_JOB_CONCURRENCY: z.coerce.number().int().min(0).max(16).default(2),
  /**
   * A claimed job is leased for this long and the lease renewed while the stage runs; a machine
   * that dies stops renewing, and its jobs are taken over once the lease runs out.
   */
  PINDAI_JOB_LEASE_SECONDS: z.coerce.number().min(3).max(3600).default(60),
  PINDAI_JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  /**
   * Express `trust proxy` when behind a TLS proxy: `true`, a hop count, or addresses (`loopback`).
   * Only then is X-Forwarded-For believed, for secure cookies and the sign-in limits' client address.
   */
  PINDAI_TRUST_PROXY: z.string().optional(),
  PINDAI_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Object store: fs (under <data>/store) or s3 (MinIO, Garage, SeaweedFS, AWS, ...). */
  PINDAI_STORE: z.enum(['fs', 's3']).default('fs'),
  /** S3 host name or IP ("minio.lan"), or a URL ("https://s3.lan:9000") that also sets port and TLS. */
  PINDAI_S3_ENDPOINT: z.string().optional(),
  PINDAI_S3_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  PINDAI_S3_USE_SSL: bool.optional(),
  PINDAI_S3_ACCESS_KEY: z.string().optional(),
  PINDAI_S3_SECRET_KEY: z.string().optional(),
  /** Created if missing; S3 bucket rules: 3-63 chars, lowercase letters, digits, dots, hyphens. */
  PINDAI_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'use 3-63 lowercase letters, digits, dots or hyphens')
    .default('pindai'),
  PINDAI_S3_REGION: z.string().min(1).default('us-east-1'),
  /**
   * A second copy of every object, somewhere else (core/replica/): fs (PINDAI_REPLICA_DIR, a second
   * disk or a NAS mount) or s3 (PINDAI_REPLICA_S3_*, a bucket on another site). Unset: no replica.
   */
  PINDAI_REPLICA_STORE: z.enum(['fs', 's3']).optional(),
  /** The replica's folder with PINDAI_REPLICA_STORE=fs; objects go under <dir>/objects/. */
  PINDAI_REPLICA_DIR: z.string().optional(),
  /** The replica's S3 settings, read as PINDAI_S3_* are (a URL endpoint also sets port and TLS). */
  PINDAI_REPLICA_S3_ENDPOINT: z.string().optional(),
  PINDAI_REPLICA_S3_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  PINDAI_REPLICA_S3_USE_SSL: bool.optional(),
  PINDAI_REPLICA_S3_ACCESS_KEY: z.string().optional(),
  PINDAI_REPLICA_S3_SECRET_KEY: z.string().optional(),
  PINDAI_REPLICA_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'use 3-63 lowercase letters, digits, dots or hyphens')
    .default('pindai-replica'),
  PINDAI_REPLICA_S3_REGION: z.string().min(1).default('us-east-1'),
  /** The staff home turns red and /healthz says unhealthy when a copy waits longer than this (30m, 1h, 2d, or seconds). */
  PINDAI_REPLICA_MAX_LAG: z
    .string()
    .regex(/^\d+(\.\d+)?[smhd]?$/, 'use a duration such as 3600, 30m, 1h or 2d')
    .default('1h'),
  /** `pindai replica purge` deletes a withdrawn item's replica copies only this many days after its withdrawal. */
  PINDAI_REPLICA_PURGE_GRACE_DAYS: z.coerce.number().min(0).max(36_500).default(90),
  /** Search index: embedded (SQLite FTS5 under <data>) or meilisearch. */
  PINDAI_SEARCH: z.enum(['embedded', 'meilisearch']).default('embedded'),
  /** e.g. http://meilisearch:7700 */
  PINDAI_MEILI_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** An API key with search and document/settings rights (the master key works; never sent to browsers). */
  PINDAI_MEILI_KEY: z.string().optional(),
  /** Index uid; several libraries can share one Meilisearch with different uids. */
  PINDAI_MEILI_INDEX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,400}$/, 'use letters, digits, - and _')
    .default('pindai'),
  /** On SIGTERM, running stages get this long to finish before their jobs are released. */
  PINDAI_STOP_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(20),
  /** OCR engine: native tesseract binary when installed (auto), or tesseract.js (no system packages). */
  PINDAI_OCR_ENGINE: z.enum(['auto', 'tesseract-js', 'native']).default('auto'),
  /** The library's name in the public site's header, page titles and footer; unset: "Koleksi Digital". */
  PINDAI_LIBRARY_NAME: z.string().trim().min(1).max(200).optional(),
  /**
   * The unit that keeps the register, under the library's name in the printed Buku Inventaris's
   * letterhead (e.g. "Seksi Alih Media"); its head signs it ("Kepala Seksi Alih Media"). Unset: none.
   */
  PINDAI_LIBRARY_UNIT: z.string().trim().min(1).max(200).optional(),
  /** Path to the library's logo (PNG, JPEG or SVG, at most 1 MB), shown in the header and as favicon. */
  PINDAI_LIBRARY_LOGO: z.string().optional(),
  /** Postal address shown in the public site's footer (one line; ";" starts a new line). */
  PINDAI_LIBRARY_ADDRESS: z.string().trim().max(500).optional(),
  /** E-mail, phone and/or website for the footer, separated by ";" (each becomes a link). */
  PINDAI_LIBRARY_CONTACT: z.string().trim().max(500).optional(),
  /**
   * Path to a UTF-8 text file for the "Tentang" (about) page at /tentang: plain text, blank lines
   * between paragraphs, "# " and "## " headings, "- " list items. Unset: a default text.
   */
  PINDAI_LIBRARY_ABOUT: z.string().optional(),
  /**
   * Nightly fixity inside `pindai serve`: the local time of day ("02:00") a rolling share of the
   * stored objects is re-hashed against the manifests, or "off". With several serve processes on
   * one register, one of them checks a given night (a claim in the register).
   */
  PINDAI_FIXITY_AT: z
    .string()
    .trim()
    .regex(/^(off|([01]?\d|2[0-3]):[0-5]\d)$/, 'a local time of day such as 02:00, or off')
    .default('02:00'),
  /** The share of the items checked per night: "1/30" covers everything once a month. */
  PINDAI_FIXITY_SHARE: z
    .string()
    .trim()
    .regex(/^\d+\/\d+$/, 'a share such as 1/30')
    .refine((v) => {
      const [part, of] = v.split('/').map(Number) as [number, number];
      return part >= 1 && of >= 1 && part <= of;
    }, 'part must be between 1 and the whole, e.g. 1/30')
    .default('1/30'),
  /** Called (POST, JSON) when a fixity run finds damage or fails; unset: no call. */
  PINDAI_FIXITY_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** /healthz and the staff banner report fixity overdue after this many days without a whole run; 0: never. */
  PINDAI_FIXITY_OVERDUE_DAYS: z.coerce.number().min(0).max(3650).default(3),
});

/** Backend settings that only matter, and are only required, when that backend is chosen. */
function backendProblems(e: z.output<typeof envSchema>): string[] {
  const problems: string[] = [];
  if (e.PINDAI_STORE === 's3') {
    for (const key of ['PINDAI_S3_ENDPOINT', 'PINDAI_S3_ACCESS_KEY', 'PINDAI_S3_SECRET_KEY'] as const) {
      if (!e[key]) problems.push(`${key}: required when PINDAI_STORE=s3`);
    }
  }
  if (e.PINDAI_REPLICA_STORE === 'fs' && !e.PINDAI_REPLICA_DIR) {
    problems.push(
      'PINDAI_REPLICA_DIR: required when PINDAI_REPLICA_STORE=fs (a second disk, e.g. /mnt/cadangan/pindai)',
    );
  }
  if (e.PINDAI_REPLICA_STORE === 's3') {
    for (const key of [
      'PINDAI_REPLICA_S3_ENDPOINT',
      'PINDAI_REPLICA_S3_ACCESS_KEY',
      'PINDAI_REPLICA_S3_SECRET_KEY',
    ] as const) {
      if (!e[key]) problems.push(`${key}: required when PINDAI_REPLICA_STORE=s3`);
    }
  }
  if (e.PINDAI_SEARCH === 'meilisearch' && !e.PINDAI_MEILI_URL) {
    problems.push('PINDAI_MEILI_URL: required when PINDAI_SEARCH=meilisearch (e.g. http://127.0.0.1:7700)');
  }
  return problems;
}

export interface S3Config {
  kind: 's3';
  endPoint: string;
  port?: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
}

export type StoreConfig = { kind: 'fs' } | S3Config;

export type SearchConfig =
  | { kind: 'embedded' }
  | { kind: 'meilisearch'; url: string; apiKey?: string; indexUid: string };

/**
 * The replica (PINDAI_REPLICA_*): where the second copy goes, how much lag is still healthy, and
 * how long a withdrawn item's copies stay before `pindai replica purge` may delete them.
 */
export interface ReplicaConfig {
  store: { kind: 'fs'; dir: string } | S3Config;
  maxLagMs: number;
  purgeGraceMs: number;
}

function storeConfig(e: z.output<typeof envSchema>): StoreConfig {
  if (e.PINDAI_STORE === 'fs') return { kind: 'fs' };
  return s3Config(e);
}

function replicaConfig(e: z.output<typeof envSchema>): ReplicaConfig | null {
  if (!e.PINDAI_REPLICA_STORE) return null;
  return {
    store:
      e.PINDAI_REPLICA_STORE === 'fs'
        ? { kind: 'fs', dir: path.resolve(e.PINDAI_REPLICA_DIR ?? '') }
        : s3Config(e, 'PINDAI_REPLICA_S3_'),
    maxLagMs: durationMs(e.PINDAI_REPLICA_MAX_LAG),
    purgeGraceMs: Math.round(e.PINDAI_REPLICA_PURGE_GRACE_DAYS * 86_400_000),
  };
}

/** "90" (seconds), "30m", "1h", "2d" → milliseconds. */
function durationMs(text: string): number {
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[text.slice(-1)] ?? 1;
  return Math.round(Number.parseFloat(text) * unit * 1000);
}

/** S3 settings under a prefix: PINDAI_S3_* for the primary store, PINDAI_REPLICA_S3_* for the replica. */
function s3Config(
  e: z.output<typeof envSchema>,
  prefix: 'PINDAI_S3_' | 'PINDAI_REPLICA_S3_' = 'PINDAI_S3_',
): S3Config {
  const v = <K extends 'ENDPOINT' | 'PORT' | 'USE_SSL' | 'ACCESS_KEY' | 'SECRET_KEY' | 'BUCKET' | 'REGION'>(
    k: K,
  ) => e[`${prefix}${k}`];
  let endPoint = v('ENDPOINT') ?? '';
  let port = v('PORT');
  let useSSL = v('USE_SSL');
  if (endPoint.includes('://')) {
    const url = new URL(endPoint);
    endPoint = url.hostname;
    useSSL ??= url.protocol === 'https:';
    if (url.port !== '') port ??= Number(url.port);
  }
  return {
    kind: 's3',
    endPoint,
    ...(port !== undefined && { port }),
    useSSL: useSSL ?? true,
    accessKey: v('ACCESS_KEY') ?? '',
    secretKey: v('SECRET_KEY') ?? '',
    bucket: v('BUCKET'),
    region: v('REGION'),
  };
}

function searchConfig(e: z.output<typeof envSchema>): SearchConfig {
  if (e.PINDAI_SEARCH === 'embedded') return { kind: 'embedded' };
  return {
    kind: 'meilisearch',
    url: e.PINDAI_MEILI_URL ?? '',
    ...(e.PINDAI_MEILI_KEY !== undefined && { apiKey: e.PINDAI_MEILI_KEY }),
    indexUid: e.PINDAI_MEILI_INDEX,
  };
}

/** Largest logo and about file accepted: both are read into memory and served from there. */
const LOGO_MAX_BYTES = 1024 * 1024;
const ABOUT_MAX_BYTES = 256 * 1024;

export type LogoType = 'image/png' | 'image/jpeg' | 'image/svg+xml';

/** The library's own site (public pages): what PINDAI_LIBRARY_* say. */
export interface LibraryConfig {
  name?: string;
  /** The unit keeping the register (PINDAI_LIBRARY_UNIT), for the printed register's letterhead. */
  unit?: string;
  /** An existing, readable image file of the given type (checked at start). */
  logo?: { path: string; type: LogoType };
  /** Lines of the postal address. */
  address: string[];
  /** Contacts as written: e-mail addresses, phone numbers, web addresses. */
  contact: string[];
  /** An existing UTF-8 text file (checked at start). */
  aboutPath?: string;
}

/** The logo's type from its first bytes (not its name): PNG, JPEG, or SVG markup. */
export function sniffLogoType(head: Buffer): LogoType | null {
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.includes(0)) return null;
  // An SVG: optional BOM, XML declaration, comments and doctype, then an <svg element.
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  return /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]/i.test(text)
    ? 'image/svg+xml'
    : null;
}

/** A file setting's problem (missing, a folder, too large), or null when it is a readable file. */
function fileProblem(key: string, file: string, maxBytes: number): string | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return `${key}: file not found: ${file}`;
  }
  if (!stat.isFile()) return `${key}: not a file: ${file}`;
  if (stat.size > maxBytes) return `${key}: larger than ${maxBytes / 1024} KB: ${file}`;
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    return `${key}: cannot be read: ${file}`;
  }
  return null;
}

/** PINDAI_LIBRARY_*, with the logo and about files checked now: a typo stops the start, not a page. */
function libraryConfig(e: z.output<typeof envSchema>): { library: LibraryConfig; problems: string[] } {
  const problems: string[] = [];
  const lines = (v: string | undefined) =>
    (v ?? '')
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean);
  const library: LibraryConfig = {
    ...(e.PINDAI_LIBRARY_NAME !== undefined && { name: e.PINDAI_LIBRARY_NAME }),
    ...(e.PINDAI_LIBRARY_UNIT !== undefined && { unit: e.PINDAI_LIBRARY_UNIT }),
    address: lines(e.PINDAI_LIBRARY_ADDRESS),
    contact: lines(e.PINDAI_LIBRARY_CONTACT),
  };
  if (e.PINDAI_LIBRARY_LOGO !== undefined) {
    const file = path.resolve(e.PINDAI_LIBRARY_LOGO);
    const problem = fileProblem('PINDAI_LIBRARY_LOGO', file, LOGO_MAX_BYTES);
    const type = problem ? null : sniffLogoType(fs.readFileSync(file).subarray(0, 4096));
    if (problem) problems.push(problem);
    else if (!type) problems.push(`PINDAI_LIBRARY_LOGO: not a PNG, JPEG or SVG image: ${file}`);
    else library.logo = { path: file, type };
  }
  if (e.PINDAI_LIBRARY_ABOUT !== undefined) {
    const file = path.resolve(e.PINDAI_LIBRARY_ABOUT);
    const problem = fileProblem('PINDAI_LIBRARY_ABOUT', file, ABOUT_MAX_BYTES);
    if (problem) problems.push(problem);
    else if (!isUtf8Text(fs.readFileSync(file)))
      problems.push(`PINDAI_LIBRARY_ABOUT: not a UTF-8 text file: ${file}`);
    else library.aboutPath = file;
  }
  return { library, problems };
}

function isUtf8Text(bytes: Buffer): boolean {
  try {
    return !new TextDecoder('utf-8', { fatal: true }).decode(bytes).includes('\0');
  } catch {
    return false;
  }
}

export type Env = z.input<typeof envSchema>;

export interface Config {
  dataDir: string;
  inboxDir: string;
  archiveDir: string;
  failedDir: string;
  registerPath: string;
  /** PINDAI_REGISTER_URL: the PostgreSQL register (not yet used by the service); undefined: SQLite. */
  registerUrl: string | undefined;
  indexPath: string;
  storeDir: string;
  tessdataDir: string;
  port: number;
  host: string;
  /** Origin for absolute links (no trailing slash); undefined: from each request's Host header. */
  publicUrl: string | undefined;
  lang: 'id' | 'en';
  /** The OAI-PMH data provider: page size, and Identify's adminEmail and repositoryName when set. */
  oai: { pageSize: number; adminEmail?: string; repositoryName?: string };
  quietMs: number;
  watchPoll: boolean;
  watchPollMs: number;
  nomorTemplate: string;
  collectionCode: string;
  ocrLangs: string[];
  ocrWorkers: number;
  ocrTimeoutMs: number;
  /** One pixel limit: intake refuses larger images and the IIIF cutter decodes no larger source. */
  maxPixels: number;
  /** IIIF cuts: concurrent cuts, waiting cuts before 503, and the disk cache (maxBytes 0: none). */
  iiifCuts: { concurrency: number; maxQueue: number; cacheDir: string; cacheMaxBytes: number };
  maxPagesPerFile: number;
  maxPagesPerBatch: number;
  defaultAccess: AccessLevel;
  jobConcurrency: number;
  jobLeaseMs: number;
  jobMaxAttempts: number;
  logLevel: string;
  store: StoreConfig;
  /** S3 settings whenever PINDAI_S3_ENDPOINT is set, even with PINDAI_STORE=fs (for `store copy`). */
  s3: S3Config | null;
  search: SearchConfig;
  /** The second copy of every object (PINDAI_REPLICA_*); null: none configured. */
  replica: ReplicaConfig | null;
  trustProxy: boolean | number | string | undefined;
  stopGraceMs: number;
  ocrEngine: 'auto' | 'tesseract-js' | 'native';
  /** The public site's name, logo, address, contact and about page. */
  library: LibraryConfig;
  fixity: FixityConfig;
}

/** Fixity on a schedule (PINDAI_FIXITY_*). */
export interface FixityConfig {
  /** Local time of day of the nightly run; null: no nightly run (PINDAI_FIXITY_AT=off). */
  at: { hour: number; minute: number } | null;
  /** The rolling share checked per night. */
  share: { part: number; of: number };
  webhookUrl: string | undefined;
  /** Days without a whole run before fixity is reported overdue; 0: never. */
  overdueDays: number;
}

function fixityConfig(e: z.output<typeof envSchema>): FixityConfig {
  const [hour, minute] = e.PINDAI_FIXITY_AT.split(':').map(Number);
  const [part, of] = e.PINDAI_FIXITY_SHARE.split('/').map(Number) as [number, number];
  return {
    at: e.PINDAI_FIXITY_AT === 'off' ? null : { hour: hour ?? 2, minute: minute ?? 0 },
    share: { part, of },
    webhookUrl: e.PINDAI_FIXITY_WEBHOOK_URL,
    overdueDays: e.PINDAI_FIXITY_OVERDUE_DAYS,
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Read configuration from environment variables (and CLI overrides such as --data). Fails with
 * one ConfigError that lists every bad key and what it expects.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: { dataDir?: string } = {},
): Config {
  const parsed = envSchema.safeParse(pickPindai(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = parsed.data;
  const { library, problems: libraryProblems } = libraryConfig(e);
  const problems = [...backendProblems(e), ...libraryProblems];
  if (problems.length > 0) throw new ConfigError(problems);
  const dataDir = path.resolve(overrides.dataDir ?? e.PINDAI_DATA_DIR);
  const inboxDir = path.resolve(e.PINDAI_INBOX ?? path.join(dataDir, 'inbox'));
  return {
    dataDir,
    inboxDir,
    archiveDir: path.join(inboxDir, 'arsip'),
    failedDir: path.join(inboxDir, 'gagal'),
    registerPath: path.join(dataDir, 'register.sqlite'),
    registerUrl: e.PINDAI_REGISTER_URL,
    indexPath: path.join(dataDir, 'index.sqlite'),
    storeDir: path.join(dataDir, 'store'),
    tessdataDir: path.join(dataDir, 'tessdata'),
    port: e.PINDAI_PORT,
    host: e.PINDAI_HOST,
    publicUrl: e.PINDAI_PUBLIC_URL,
    lang: e.PINDAI_LANG,
    oai: {
      pageSize: e.PINDAI_OAI_PAGE_SIZE,
      ...(e.PINDAI_OAI_ADMIN_EMAIL !== undefined && { adminEmail: e.PINDAI_OAI_ADMIN_EMAIL }),
      // The library's own name when it has one (PINDAI_LIBRARY_NAME), unless OAI is named apart.
      ...((e.PINDAI_OAI_REPOSITORY_NAME ?? e.PINDAI_LIBRARY_NAME) !== undefined && {
        repositoryName: e.PINDAI_OAI_REPOSITORY_NAME ?? e.PINDAI_LIBRARY_NAME,
      }),
    },
    quietMs: Math.round(e.PINDAI_QUIET_SECONDS * 1000),
    watchPoll: e.PINDAI_WATCH_POLL,
    watchPollMs: e.PINDAI_WATCH_POLL_MS,
    nomorTemplate: e.PINDAI_NOMOR_TEMPLATE,
    collectionCode: e.PINDAI_COLLECTION_CODE,
    ocrLangs: e.PINDAI_OCR_LANGS,
    ocrWorkers: e.PINDAI_OCR_WORKERS ?? Math.max(1, Math.min(2, os.availableParallelism())),
    ocrTimeoutMs: Math.round(e.PINDAI_OCR_TIMEOUT_SECONDS * 1000),
    maxPixels: e.PINDAI_MAX_PIXELS,
    iiifCuts: {
      concurrency: e.PINDAI_IIIF_CUT_CONCURRENCY,
      maxQueue: e.PINDAI_IIIF_CUT_QUEUE,
      cacheDir: path.join(dataDir, 'cache', 'iiif'),
      cacheMaxBytes: Math.round(e.PINDAI_IIIF_CACHE_MB * 1024 * 1024),
    },
    maxPagesPerFile: e.PINDAI_MAX_PAGES_PER_FILE,
    maxPagesPerBatch: e.PINDAI_MAX_PAGES_PER_BATCH,
    defaultAccess: e.PINDAI_DEFAULT_ACCESS,
    jobConcurrency: e.PINDAI_JOB_CONCURRENCY,
    jobLeaseMs: Math.round(e.PINDAI_JOB_LEASE_SECONDS * 1000),
    jobMaxAttempts: e.PINDAI_JOB_MAX_ATTEMPTS,
    logLevel: e.PINDAI_LOG_LEVEL,
    store: storeConfig(e),
    s3: e.PINDAI_S3_ENDPOINT ? s3Config(e) : null,
    search: searchConfig(e),
    replica: replicaConfig(e),
    trustProxy: trustProxyOf(e.PINDAI_TRUST_PROXY),
    stopGraceMs: Math.round(e.PINDAI_STOP_GRACE_SECONDS * 1000),
    ocrEngine: e.PINDAI_OCR_ENGINE,
    library,
    fixity: fixityConfig(e),
  };
}

function pickPindai(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    // Empty values count as unset, as in most twelve-factor apps.
    if (k.startsWith('PINDAI_') && v !== undefined && v !== '') out[k] = v;
  }
  return out;
}

function trustProxyOf(v: string | undefined): boolean | number | string | undefined {
  if (v === undefined) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  if (v === 'true' || v === 'false') return v === 'true';
  return v;
}
