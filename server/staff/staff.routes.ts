import type { RequestHandler } from 'express';
import { auditHandlers } from './audit.routes.tsx';
import { authHandlers } from './auth/auth.routes.tsx';
import { homeHandlers } from './home.routes.tsx';
import { inventoryHandlers } from './inventory.routes.tsx';
import { itemHandlers } from './item.routes.tsx';
import { listHandlers } from './lists.routes.tsx';
import { queueHandlers } from './queue.routes.tsx';
import { reportHandlers } from './reports.routes.tsx';
import { reviewHandlers } from './review.routes.tsx';
import { type Access, ADMIN_ONLY, ALL_STAFF, STAFF_AND_ADMIN } from './staff.access.ts';
import type { StaffContext } from './staff.context.ts';
import { uploadHandlers } from './upload.routes.tsx';
import { userHandlers } from './users.routes.tsx';

export interface StaffRoute {
  method: 'get' | 'post';
  /** Path under /staf. */
  path: string;
  /** The role rule: checked before anything else runs. */
  access: Access;
  /**
   * POST only: `form` (urlencoded; CSRF token of the session in the body), `multipart` (CSRF
   * token in `?_csrf=` or X-CSRF-Token, checked before the body is read), `login` (the sign-in
   * form's own token, bound to a cookie). Every POST has one: there is no unchecked form.
   */
  body?: 'form' | 'multipart' | 'login';
  handle: RequestHandler | RequestHandler[];
}

/** The one route table of the staff workspace: every path, who may use it, and its handler. */
export function staffRouteTable(ctx: StaffContext): StaffRoute[] {
  const auth = authHandlers(ctx);
  const home = homeHandlers(ctx);
  const users = userHandlers(ctx);
  const inventory = inventoryHandlers(ctx);
  const upload = uploadHandlers(ctx);
  const item = itemHandlers(ctx);
  const queue = queueHandlers(ctx);
  const reports = reportHandlers(ctx);
  const audit = auditHandlers(ctx);
  const review = reviewHandlers(ctx);
  const lists = listHandlers(ctx);
  return [
    { method: 'get', path: '/masuk', access: 'public', handle: auth.loginPage },
    { method: 'post', path: '/masuk', access: 'public', body: 'login', handle: auth.login },
    { method: 'post', path: '/keluar', access: ALL_STAFF, handle: auth.logout },
    { method: 'get', path: '/', access: ALL_STAFF, handle: home.home },

    { method: 'get', path: '/aset/unggah.js', access: 'public', handle: upload.script },
    { method: 'get', path: '/unggah', access: ALL_STAFF, handle: upload.form },
    { method: 'post', path: '/unggah', access: ALL_STAFF, body: 'multipart', handle: upload.upload },

    { method: 'get', path: '/aset/antrean.js', access: 'public', handle: queue.script },
    { method: 'get', path: '/antrean', access: ALL_STAFF, handle: queue.page },
    { method: 'get', path: '/antrean/aliran', access: ALL_STAFF, handle: queue.stream },

    { method: 'get', path: '/inventaris', access: STAFF_AND_ADMIN, handle: inventory.page },
    { method: 'get', path: '/inventaris.csv', access: STAFF_AND_ADMIN, handle: inventory.csv },
    { method: 'get', path: '/inventaris.xlsx', access: STAFF_AND_ADMIN, handle: inventory.xlsx },
    { method: 'get', path: '/inventaris.pdf', access: STAFF_AND_ADMIN, handle: inventory.pdf },

    { method: 'get', path: '/item/:id', access: ALL_STAFF, handle: item.page },
    { method: 'get', path: '/item/:id/halaman/:no', access: ALL_STAFF, handle: item.thumb },
    { method: 'post', path: '/item/:id/metadata', access: STAFF_AND_ADMIN, handle: item.editMetadata },
    { method: 'post', path: '/item/:id/ulang', access: STAFF_AND_ADMIN, handle: item.retry },
    { method: 'post', path: '/item/:id/proses-ulang', access: STAFF_AND_ADMIN, handle: item.rerun },
    { method: 'post', path: '/item/:id/halaman', access: STAFF_AND_ADMIN, handle: item.pages },
    { method: 'post', path: '/item/:id/tarik', access: STAFF_AND_ADMIN, handle: item.withdraw },
    { method: 'post', path: '/item/:id/katalog', access: STAFF_AND_ADMIN, handle: item.linkCatalog },
    { method: 'post', path: '/item/:id/kembalikan', access: STAFF_AND_ADMIN, handle: item.restore },
    {
      method: 'post',
      path: '/item/:id/ganti-halaman',
      access: STAFF_AND_ADMIN,
      body: 'multipart',
      handle: item.replacePage,
    },
    { method: 'post', path: '/item/:id/perbaikan', access: STAFF_AND_ADMIN, handle: item.cleanSettings },
    { method: 'post', path: '/item/:id/putar-halaman', access: STAFF_AND_ADMIN, handle: item.rotatePage },

    { method: 'get', path: '/tinjau', access: STAFF_AND_ADMIN, handle: review.list },
    { method: 'post', path: '/tinjau/:id', access: STAFF_AND_ADMIN, handle: review.decide },

    { method: 'get', path: '/laporan', access: STAFF_AND_ADMIN, handle: reports.page },
    { method: 'get', path: '/laporan.csv', access: STAFF_AND_ADMIN, handle: reports.csv },

    { method: 'get', path: '/audit', access: ADMIN_ONLY, handle: audit.page },
    { method: 'get', path: '/audit.csv', access: ADMIN_ONLY, handle: audit.csv },

    { method: 'get', path: '/pengguna', access: ADMIN_ONLY, handle: users.list },
    { method: 'post', path: '/pengguna', access: ADMIN_ONLY, handle: users.create },
    { method: 'post', path: '/pengguna/:id/nonaktif', access: ADMIN_ONLY, handle: users.disable },
    { method: 'post', path: '/pengguna/:id/aktif', access: ADMIN_ONLY, handle: users.enable },
    { method: 'post', path: '/pengguna/:id/buka-kunci', access: ADMIN_ONLY, handle: users.unlock },
    { method: 'post', path: '/pengguna/:id/sandi', access: ADMIN_ONLY, handle: users.resetPassword },
    { method: 'post', path: '/pengguna/:id/peran', access: ADMIN_ONLY, handle: users.changeRole },

    { method: 'get', path: '/daftar', access: ADMIN_ONLY, handle: lists.page },
    { method: 'post', path: '/daftar', access: ADMIN_ONLY, handle: lists.save },
  ];
}
