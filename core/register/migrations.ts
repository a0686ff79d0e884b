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
  // 2: staff workspace — users, server-side sessions, audit log, metadata revisions, inventory indexes
  `
  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'staf', 'operator')),
    password_hash TEXT NOT NULL,
    disabled_at TEXT,
    last_login_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ip TEXT,
    user_agent TEXT
  );
  CREATE INDEX sessions_user ON sessions (user_id);
  CREATE INDEX sessions_expiry ON sessions (expires_at);

  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER,
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT NOT NULL DEFAULT '{}',
    ip TEXT
  );
  CREATE INDEX audit_at ON audit_log (at);
  CREATE INDEX audit_user ON audit_log (username, at);

  CREATE TABLE item_revisions (
    id INTEGER PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES items (id),
    at TEXT NOT NULL,
    username TEXT NOT NULL,
    kind TEXT NOT NULL,
    before TEXT NOT NULL
  );
  CREATE INDEX item_revisions_item ON item_revisions (item_id, id);

  -- OCR languages chosen by staff for a re-run (NULL: the configured PINDAI_OCR_LANGS).
  ALTER TABLE items ADD COLUMN ocr_langs TEXT;

  CREATE INDEX items_created ON items (created_at, id);
  CREATE INDEX items_operator ON items (operator, created_at);
  CREATE INDEX items_title ON items (title COLLATE NOCASE, id);
  CREATE INDEX items_collection ON items (json_extract(metadata, '$.collection'), created_at);
  CREATE INDEX stage_runs_stage ON stage_runs (stage, started_at);
  CREATE INDEX events_at ON events (at);
  `,
  // 3: cleaning settings chosen by staff for an item (JSON; NULL: the defaults)
  `
  ALTER TABLE items ADD COLUMN clean_settings TEXT;
  `,
  // 4: where a page comes from inside its original (a PDF page, one half of a spread) and how it
  // was turned upright (detected automatically, or chosen by staff for this page)
  `
  ALTER TABLE pages ADD COLUMN source_kind TEXT NOT NULL DEFAULT 'image';
  ALTER TABLE pages ADD COLUMN source_region TEXT;
  ALTER TABLE pages ADD COLUMN orientation INTEGER;
  ALTER TABLE pages ADD COLUMN orientation_confidence REAL;
  ALTER TABLE pages ADD COLUMN rotate_override INTEGER;
  `,
  // 5: the x-height of the cleaned page's text (pixels), measured by the clean stage: OCR uses it
  // to decide whether to enlarge small text without decoding and measuring the page again
  `
  ALTER TABLE pages ADD COLUMN text_x_height REAL;
  `,
  // 6: every item records its access level (fail closed). Items registered before took 'open' when
  // their metadata had no rights; that stays so for readable metadata. Items whose metadata was
  // missing or invalid (where a restricted value could have been lost) are held for review.
  `
  UPDATE items SET
    metadata = json_set(metadata, '$.rights',
      CASE WHEN EXISTS (SELECT 1 FROM json_each(items.flags)
                        WHERE json_extract(value, '$.code') IN ('metadata_missing', 'metadata_invalid'))
           THEN 'review' ELSE 'open' END),
    flags = CASE WHEN EXISTS (SELECT 1 FROM json_each(items.flags)
                              WHERE json_extract(value, '$.code') IN ('metadata_missing', 'metadata_invalid'))
           THEN json_insert(flags, '$[#]',
                  json_object('code', 'held_for_review', 'params', json_object('reason', 'registered_before_review')))
           ELSE flags END
  WHERE json_extract(metadata, '$.rights') IS NULL;
  CREATE INDEX items_rights ON items (json_extract(metadata, '$.rights'), created_at);
  `,
  // 7: batches intake refused (watched folder, upload, `pindai ingest`): until now only the folder
  // in inbox/gagal/ and its ALASAN.txt knew. Problems are codes + params (JSON), so staff pages
  // render the reasons in the reader's language; files: the folder's entries (capped), file_count
  // all of them; moved_to: the folder in gagal/ (NULL when it was left in place).
  `
  CREATE TABLE rejected_batches (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    batch_name TEXT NOT NULL,
    source_path TEXT NOT NULL,
    intake TEXT NOT NULL,
    operator TEXT,
    problems TEXT NOT NULL DEFAULT '[]',
    files TEXT NOT NULL DEFAULT '[]',
    file_count INTEGER NOT NULL DEFAULT 0,
    moved_to TEXT
  );
  CREATE INDEX rejected_batches_at ON rejected_batches (at);
  CREATE INDEX rejected_batches_operator ON rejected_batches (operator, at);
  `,
  // 8: failed sign-in counters (login-limits.ts), in rate-limiter-flexible's own table layout
  // (key = "<rule>:<subject>", points = failures, expire = epoch ms) so its SQLite store uses it
  // as is; made here rather than by the library so the schema stays in this list.
  `
  CREATE TABLE login_limits (
    key TEXT PRIMARY KEY,
    points INTEGER NOT NULL DEFAULT 0,
    expire INTEGER
  );
  CREATE INDEX login_limits_expire ON login_limits (expire);
  `,
  // 9: the index outbox: "this item changed" notes written where the search index is not at hand
  // (a worker on another machine with the embedded index); the node that holds the index applies
  // them in order and deletes them (search/outbox-applier.ts)
  `
  CREATE TABLE index_outbox (
    id INTEGER PRIMARY KEY,
    item_id TEXT NOT NULL,
    action TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  `,
  // 10: the library's own catalogue (INLISLite/SLiMS exports, `pindai catalog import`): one row per
  // record (the record as JSON; search_text: title, creators, publisher and subjects folded for LIKE)
  // and its lookup keys (barcode, nomor induk, ISBN, call number, control number), normalised by
  // core/catalog.types.ts. A key may name several records (two editions, one call number).
  `
  CREATE TABLE catalog_records (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    record TEXT NOT NULL,
    search_text TEXT NOT NULL,
    source_file TEXT NOT NULL,
    imported_at TEXT NOT NULL
  );
  CREATE TABLE catalog_keys (
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    record_id TEXT NOT NULL REFERENCES catalog_records (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, value, record_id)
  );
  CREATE INDEX catalog_keys_record ON catalog_keys (record_id);
  `,
  // 11: the human steps of alih media, with who and when (the SOP report): a batch arriving in the
  // inbox and being accepted (the operator), an access review decision (the reviewer), publication.
  // One row per step taken; staff_ms is the staff time of that step where something measured it.
  `
  CREATE TABLE item_steps (
    id INTEGER PRIMARY KEY,
    item_id TEXT NOT NULL,
    step TEXT NOT NULL,
    at TEXT NOT NULL,
    username TEXT,
    staff_ms INTEGER
  );
  CREATE INDEX item_steps_item ON item_steps (item_id, step);
  CREATE INDEX item_steps_at ON item_steps (step, at);
  `,
  // 12: register-wide settings staff edit (the metadata form's lists of collections and material
  // types, core/item-lists.ts): one JSON value per key
  `
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  // 13: fixity runs (scripts/recovery/fixity-run.ts): one row per check of a share of the stored
  // objects, nightly (`pindai serve`) or by hand (`pindai fixity`). A nightly run holds its night by
  // claim_key (unique; NULL for runs by hand) under a lease (epoch ms) its process renews, so of
  // several processes on one register one checks that night, and another takes over if it dies.
  `
  CREATE TABLE fixity_runs (
    id INTEGER PRIMARY KEY,
    claim_key TEXT UNIQUE,
    kind TEXT NOT NULL,
    slot INTEGER NOT NULL,
    share_part INTEGER NOT NULL,
    share_of INTEGER NOT NULL,
    owner TEXT NOT NULL,
    lease_until INTEGER,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    checked_items INTEGER NOT NULL DEFAULT 0,
    checked_objects INTEGER NOT NULL DEFAULT 0,
    mismatches INTEGER NOT NULL DEFAULT 0,
    error TEXT
  );
  `,
  // 14: a running stage's page progress (pages done of total), written by its worker as it goes, so
  // the live queue shows it in any process (a web node without workers too)
  `
  ALTER TABLE jobs ADD COLUMN progress_done INTEGER;
  ALTER TABLE jobs ADD COLUMN progress_total INTEGER;
  `,
  // 15: the replica ledger (core/replica/): one row per object key that must be copied to the
  // replica. Written before and after every put on the primary (core/store/replicated.object-store.ts),
  // so a crash between the two sides never loses a pending copy; copied_at NULL = still to copy.
  // version changes on every new put, so a copy of older bytes never marks newer ones as done.
  // replica_state: the last catch-up pass and verification (JSON per name).
  `
  CREATE TABLE replica_copies (
    key TEXT PRIMARY KEY,
    item_id TEXT,
    sha256 TEXT,
    size INTEGER,
    original INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    queued_at INTEGER NOT NULL,
    copied_at INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try_at INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
  );
  CREATE INDEX replica_copies_pending ON replica_copies (original DESC, queued_at) WHERE copied_at IS NULL;
  CREATE TABLE replica_state (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  `,
];
