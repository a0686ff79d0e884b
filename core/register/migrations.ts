/**
 * Numbered migrations of the register (Buku Induk). Append only: never edit a released step.
 * The applied number lives in SQLite's `PRAGMA user_version`.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: items, pages, jobs, stage runs, events, nomor induk counters
  `
  CREATE TABLE items (
    id TEXT PRIMARY KEY,
    nomor_induk TEXT UNIQUE,
    series TEXT,
    seq INTEGER,
    source_nomor_induk TEXT,
    title TEXT NOT NULL,
    metadata TEXT NOT NULL DEFAULT '{}',
    flags TEXT NOT NULL DEFAULT '[]',
    fingerprint TEXT NOT NULL,
    source_path TEXT NOT NULL,
    source_name TEXT NOT NULL,
    intake TEXT NOT NULL,
    operator TEXT,
    status TEXT NOT NULL,
    stage TEXT,
    error_code TEXT,
    error_message TEXT,
    page_count INTEGER NOT NULL DEFAULT 0,
    source_format TEXT,
    original_bytes INTEGER NOT NULL DEFAULT 0,
    pdf_key TEXT,
    pdf_bytes INTEGER,
    disposed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    registered_at TEXT,
    available_at TEXT,
    UNIQUE (series, seq)
  );
  CREATE INDEX items_fingerprint ON items (fingerprint);
  CREATE INDEX items_status ON items (status, created_at);

  CREATE TABLE counters (
    series TEXT PRIMARY KEY,
    last_seq INTEGER NOT NULL
  );

  CREATE TABLE pages (
    item_id TEXT NOT NULL REFERENCES items (id),
    page_no INTEGER NOT NULL,
    source_file TEXT NOT NULL,
    source_subpage INTEGER NOT NULL DEFAULT 0,
    original_key TEXT NOT NULL,
    original_sha256 TEXT NOT NULL,
    original_bytes INTEGER NOT NULL,
    format TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    dpi INTEGER,
    clean_width INTEGER,
    clean_height INTEGER,
    clean_dpi INTEGER,
    skew REAL,
    cleaned_at TEXT,
    ocr_confidence REAL,
    ocr_chars INTEGER,
    ocr_warning TEXT,
    ocr_at TEXT,
    PRIMARY KEY (item_id, page_no)
  );

  CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES items (id),
    stage TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued',
    run_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    crashes INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_expires_at INTEGER,
    last_error_code TEXT,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (item_id, stage)
  );
  CREATE INDEX jobs_due ON jobs (status, run_at);

  CREATE TABLE stage_runs (
    id INTEGER PRIMARY KEY,
    item_id TEXT NOT NULL,
    stage TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    worker TEXT NOT NULL,
    started_at TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT,
    error_code TEXT,
    error_message TEXT
  );
  CREATE INDEX stage_runs_item ON stage_runs (item_id, id);

  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    item_id TEXT,
    level TEXT NOT NULL,
    code TEXT NOT NULL,
    params TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX events_item ON events (item_id, id);
  `,
];
