import type { Role } from '../../core/register/users.queries.ts';

/** Who may use a route: anyone (sign-in page, static script) or the listed roles. */
export type Access = 'public' | readonly Role[];

export const ALL_STAFF: readonly Role[] = ['admin', 'staf', 'operator'];
export const STAFF_AND_ADMIN: readonly Role[] = ['admin', 'staf'];
export const ADMIN_ONLY: readonly Role[] = ['admin'];

export function canAccess(access: Access, role: Role | null): boolean {
  if (access === 'public') return true;
  return role !== null && access.includes(role);
}

/** Navigation, in order; each entry is shown only to roles that may open it. */
export const NAV: { href: string; label: string; access: Access }[] = [
  { href: '/staf/', label: 'st_nav_home', access: ALL_STAFF },
  { href: '/staf/unggah', label: 'st_nav_upload', access: ALL_STAFF },
  { href: '/staf/antrean', label: 'st_nav_queue', access: ALL_STAFF },
  { href: '/staf/inventaris', label: 'st_nav_inventory', access: STAFF_AND_ADMIN },
  { href: '/staf/tinjau', label: 'st_nav_review', access: STAFF_AND_ADMIN },
  { href: '/staf/laporan', label: 'st_nav_reports', access: STAFF_AND_ADMIN },
  { href: '/staf/pengguna', label: 'st_nav_users', access: ADMIN_ONLY },
  { href: '/staf/audit', label: 'st_nav_audit', access: ADMIN_ONLY },
  { href: '/staf/daftar', label: 'st_nav_lists', access: ADMIN_ONLY },
];
