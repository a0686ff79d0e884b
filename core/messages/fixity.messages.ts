/**
 * Words of fixity on a schedule: the staff home's last run and banner, the audit log's fixity
 * entries and the item event of a damage flag cleared. Bahasa Indonesia first, English second.
 */
export const fixityMessages = {
  st_fixity_title: { id: 'Pemeriksaan fixity', en: 'Fixity check' },
  st_fixity_never: {
    id: 'Belum pernah ada pemeriksaan fixity (pencocokan SHA-256 berkas tersimpan dengan manifesnya).',
    en: 'No fixity check has run yet (stored files matched against the SHA-256 in their manifests).',
  },
  st_fixity_last: {
    id: 'Pemeriksaan terakhir {at} ({kind}, bagian {share}): {objects} objek dari {items} item diperiksa — {result}.',
    en: 'Last check {at} ({kind}, share {share}): {objects} objects of {items} items checked — {result}.',
  },
  st_fixity_kind_schedule: { id: 'terjadwal', en: 'scheduled' },
  st_fixity_kind_manual: { id: 'perintah pindai fixity', en: 'pindai fixity command' },
  st_fixity_result_ok: { id: 'semua cocok', en: 'all match' },
  st_fixity_result_damage: { id: '{n} objek rusak atau hilang', en: '{n} objects damaged or missing' },
  st_fixity_result_failed: { id: 'terhenti karena kesalahan: {error}', en: 'stopped by an error: {error}' },
  st_fixity_result_unfinished: {
    id: 'belum selesai (sedang berjalan atau terhenti)',
    en: 'not finished (running or stopped)',
  },
  st_fixity_banner_damage: {
    id: 'Pemeriksaan fixity menemukan {n} item yang berkasnya rusak atau hilang di penyimpanan.',
    en: 'The fixity check found {n} items whose stored files are damaged or missing.',
  },
  st_fixity_banner_damage_hint: {
    id: 'Pulihkan berkasnya dari replika atau cadangan yang terverifikasi, lalu periksa ulang dengan pindai fixity --share 1/1. Peringatan ini hilang setelah item diperbaiki atau lolos pemeriksaan ulang.',
    en: 'Restore the files from the replica or a verified backup, then check again with pindai fixity --share 1/1. This warning goes away once the items are repaired or pass a new check.',
  },
  st_fixity_banner_more: { id: '… dan {n} item lainnya.', en: '… and {n} more items.' },
  st_fixity_banner_overdue: {
    id: 'Pemeriksaan fixity terlambat: tidak ada pemeriksaan lengkap selama lebih dari {days} hari (terakhir: {last}).',
    en: 'Fixity checks are overdue: no complete check for more than {days} days (last: {last}).',
  },
  st_fixity_banner_overdue_hint: {
    id: 'Pastikan pindai serve berjalan dan PINDAI_FIXITY_AT tidak "off", atau jalankan pindai fixity.',
    en: 'Make sure pindai serve is running and PINDAI_FIXITY_AT is not "off", or run pindai fixity.',
  },
  st_fixity_never_short: { id: 'belum pernah', en: 'never' },

  st_act_fixity_run: { id: 'Pemeriksaan fixity', en: 'Fixity check' },
  st_act_fixity_damage: { id: 'Fixity: berkas rusak', en: 'Fixity: damaged file' },
  st_act_fixity_cleared: { id: 'Fixity: item utuh kembali', en: 'Fixity: item whole again' },
  st_act_fixity_webhook_failed: {
    id: 'Fixity: pemberitahuan gagal terkirim',
    en: 'Fixity: alert not delivered',
  },
  st_fixity_aud_share: {
    id: 'Bagian {share}, giliran {slot} ({kind})',
    en: 'Share {share}, slot {slot} ({kind})',
  },
  st_fixity_aud_counts: {
    id: '{items} item, {objects} objek diperiksa, {mismatches} tidak cocok',
    en: '{items} items, {objects} objects checked, {mismatches} mismatched',
  },
  st_fixity_aud_error: { id: 'Kesalahan: {error}', en: 'Error: {error}' },
  st_fixity_aud_key: { id: 'Berkas: {key}', en: 'File: {key}' },
  st_fixity_aud_expected: { id: 'Seharusnya (SHA-256): {sha}', en: 'Expected (SHA-256): {sha}' },
  st_fixity_aud_actual: { id: 'Sekarang: {sha}', en: 'Now: {sha}' },
  st_fixity_aud_missing: { id: 'hilang', en: 'missing' },
  st_fixity_aud_run: { id: 'Pemeriksaan no. {run}', en: 'Check no. {run}' },
  st_fixity_aud_attempts: {
    id: '{attempts} kali dicoba: {error}',
    en: '{attempts} attempts: {error}',
  },
  event_fixity_cleared: {
    id: 'Fixity: semua berkas item ini cocok lagi dengan manifesnya; tanda rusak dihapus.',
    en: 'Fixity: every file of this item matches its manifest again; the damage flag was cleared.',
  },
} as const;
