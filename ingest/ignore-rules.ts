/**
 * Files in a batch folder that are never pages. Each pattern says where it comes from.
 * Matched against the bare file (or folder) name, case-insensitively.
 */
const IGNORED: readonly [RegExp, string][] = [
  [/^\./, 'hidden files: .DS_Store (macOS Finder), ._* (AppleDouble on SMB/FAT), .nfs* (NFS silly rename)'],
  [/^~\$/, '~$* Office owner/lock files'],
  [/^~.*\.tmp$/i, '~*.tmp Windows applications temporary files'],
  [
    /\.(tmp|temp|part|partial|crdownload|download|filepart|swp|lock|lck)$/i,
    'in-progress copies: browsers, WinSCP (.filepart), rsync/FTP (.part), editors',
  ],
  [/^thumbs\.db$/i, 'Thumbs.db Windows Explorer thumbnail cache'],
  [/^desktop\.ini$/i, 'desktop.ini Windows folder settings'],
  [/^ehthumbs(_vista)?\.db$/i, 'Windows Media Center thumbnails'],
  [/^@eadir$/i, '@eaDir Synology NAS index folder'],
  [/^#recycle$/i, '#recycle Synology NAS recycle bin'],
  [/^\$recycle\.bin$/i, '$RECYCLE.BIN Windows recycle bin on removable media'],
  [/^system volume information$/i, 'System Volume Information (Windows, USB drives)'],
  [/^icon\r$/i, 'Icon\\r macOS custom folder icon'],
  [/^__macosx$/i, '__MACOSX resource forks from macOS zip archives'],
  [/^\.?~lock\..*#$/i, '.~lock.*# LibreOffice lock files'],
];

export function isIgnoredName(name: string): boolean {
  return IGNORED.some(([re]) => re.test(name));
}

/** Marker files an operator (or scanner software) writes when a batch is complete. */
const MARKERS = new Set(['selesai', 'selesai.txt', 'ready', 'ready.txt', '.ready', 'done', 'done.txt']);

export function isMarkerName(name: string): boolean {
  return MARKERS.has(name.toLowerCase());
}

/** Files whose pages become the item's pages: scans, and PDFs (a scanner's or MFP's multi-page export). */
export const PAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.jpe', '.png', '.tif', '.tiff', '.pdf']);
export const METADATA_FILE = 'metadata.json';
/** Receipt files Pindai writes into processed or failed batch folders. */
export const RECEIPT_FILE = 'HASIL.txt';
export const REASON_FILE = 'ALASAN.txt';
