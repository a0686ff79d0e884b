/**
 * The replica (a second copy of every object, core/replica/): `pindai replica …`, `pindai restore
 * --from-replica`, and the staff home's banner. Bahasa Indonesia first, English second.
 */
export const replicaMessages = {
  replica_not_configured: {
    id: 'Replika belum diatur: setel PINDAI_REPLICA_STORE=fs dengan PINDAI_REPLICA_DIR, atau =s3 dengan PINDAI_REPLICA_S3_*.',
    en: 'No replica configured: set PINDAI_REPLICA_STORE=fs with PINDAI_REPLICA_DIR, or =s3 with PINDAI_REPLICA_S3_*.',
  },
  replica_status: {
    id: 'Replika {where}: {pending} objek menunggu disalin (tertua {oldest}), {copied} tersalin dan terverifikasi. Batas tertinggal {maxLag}.',
    en: 'Replica {where}: {pending} objects waiting to be copied (oldest {oldest}), {copied} copied and verified. Lag limit {maxLag}.',
  },
  replica_status_error: {
    id: '  {failing} salinan gagal dicoba; galat terakhir: {error}',
    en: '  {failing} copies failed their last try; last error: {error}',
  },
  replica_status_sync: {
    id: '  Sinkron terakhir {at}: {missing} objek kurang, {copied} disalin, {pending} masih menunggu.',
    en: '  Last sync {at}: {missing} objects missing, {copied} copied, {pending} still waiting.',
  },
  replica_status_verify: {
    id: '  Verifikasi terakhir {at}: {checked} objek diperiksa, {mismatches} tidak cocok.',
    en: '  Last verification {at}: {checked} objects checked, {mismatches} mismatched.',
  },
  replica_status_sync_never: {
    id: '  Belum pernah disinkronkan penuh (pindai replica sync).',
    en: '  Never fully synced (pindai replica sync).',
  },
  replica_status_verify_never: {
    id: '  Belum pernah diverifikasi (pindai replica sync --verify).',
    en: '  Never verified (pindai replica sync --verify).',
  },
  replica_status_none: { id: 'tidak ada', en: 'none' },
  replica_sync_done: {
    id: 'Sinkron replika: {missing} objek kurang di replika, {copied} disalin dan terverifikasi, {pending} masih menunggu.',
    en: 'Replica sync: {missing} objects missing on the replica, {copied} copied and verified, {pending} still waiting.',
  },
  replica_verify_done: {
    id: 'Verifikasi replika: {checked} objek di-hash ulang, {mismatches} tidak cocok dengan manifesnya.',
    en: 'Replica verification: {checked} objects re-hashed, {mismatches} do not match their manifest.',
  },
  replica_verify_mismatch: {
    id: 'TIDAK COCOK di replika: {key}: seharusnya {expected}, sekarang {actual}. Perbaiki dengan: pindai replica repair',
    en: 'MISMATCH on the replica: {key}: expected {expected}, now {actual}. Repair with: pindai replica repair',
  },
  replica_repair_done: {
    id: 'Perbaikan: {items} item, {objects} objek diperiksa; {primary} diperbaiki di penyimpanan utama dari replika, {replica} di replika dari penyimpanan utama; {lost} tidak utuh di kedua sisi.',
    en: 'Repair: {items} items, {objects} objects checked; {primary} repaired on the primary from the replica, {replica} on the replica from the primary; {lost} intact on neither side.',
  },
  replica_repair_one: {
    id: '  diperbaiki ({side}): {key}',
    en: '  repaired ({side}): {key}',
  },
  replica_repair_lost: {
    id: '  TIDAK UTUH di kedua sisi: {key} (seharusnya {expected}); pulihkan dari cadangan.',
    en: '  INTACT ON NEITHER SIDE: {key} (expected {expected}); restore it from a backup.',
  },
  st_act_replica_repair: { id: 'Replika: berkas diperbaiki', en: 'Replica: file repaired' },
  st_act_replica_purge: {
    id: 'Replika: salinan item ditarik dihapus',
    en: 'Replica: withdrawn item copies deleted',
  },
  replica_purge_done: {
    id: 'Pembersihan replika{dry}: salinan {items} item yang ditarik lebih dari {days} hari dihapus ({objects} objek); {waiting} item ditarik masih dalam masa tunggu.',
    en: 'Replica purge{dry}: copies of {items} items withdrawn more than {days} days ago deleted ({objects} objects); {waiting} withdrawn items still within the grace period.',
  },
  replica_restore_done: {
    id: 'Dipulihkan dari replika: {objects} objek (terverifikasi SHA-256), {items} item di register, {indexed} diindeks; fixity: {mismatches} tidak cocok.',
    en: 'Restored from the replica: {objects} objects (verified by SHA-256), {items} items in the register, {indexed} indexed; fixity: {mismatches} mismatched.',
  },
  replica_restore_damaged: {
    id: '  Salinan rusak di replika, tidak dipulihkan: {key}',
    en: '  Damaged copy on the replica, not restored: {key}',
  },
  st_replica_behind: {
    id: 'Replika tertinggal: {pending} objek belum tersalin ke salinan kedua, yang tertua menunggu {age} (batas {maxLag}). Periksa disk/server replika; jalankan pindai replica status.',
    en: 'The replica is behind: {pending} objects not yet copied to the second copy, the oldest waiting {age} (limit {maxLag}). Check the replica disk/server; run pindai replica status.',
  },
  st_replica_damaged: {
    id: 'Verifikasi replika terakhir menemukan {mismatches} salinan yang tidak cocok. Jalankan pindai replica repair.',
    en: 'The last replica verification found {mismatches} copies that do not match. Run pindai replica repair.',
  },
} as const;
