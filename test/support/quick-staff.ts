import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Role } from '../../core/register/users.queries.ts';
import { collectionDepsOf } from '../../scripts/collection-deps.ts';
import type { Pindai } from '../../scripts/pindai-context.ts';
import { staffDepsOf } from '../../scripts/staff-deps.ts';
import { createApp } from '../../server/app.ts';
import { hashPassword } from '../../server/staff/auth/password.ts';
import type { StaffOptions } from '../../server/staff/staff.context.ts';
import { plainPage } from './small-collection.ts';
import { createTestApp, type TestApp, writeFiles } from './test-app.ts';

export interface QuickStaff {
  app: TestApp;
  base: string;
  /** Item ids of the books, in the order given; each is available. */
  ids: string[];
  close(): Promise<void>;
}

/**
 * The staff workspace and public collection on a real register, store and index with the fake
 * OCR (tests about staff pages, not about reading text): each book is uploaded by `kasie` and
 * processed to available; users `<name>-sandi-rahasia` are added.
 */
export async function startQuickStaff(
  root: string,
  books: Record<string, unknown>[],
  users: [string, Role][],
  staffOptions: Partial<StaffOptions> = {},
): Promise<QuickStaff> {
  const app = createTestApp(path.join(root, 'data'));
  await app.runner.start();
  const ids: string[] = [];
  for (const [i, m] of books.entries()) {
    const dir = writeFiles(path.join(root, 'src'), `buku-${i + 1}`, {
      'metadata.json': JSON.stringify(m),
      'hal-1.png': await plainPage(600, 800, 230 - i),
      'hal-2.png': await plainPage(610, 800, 225 - i),
    });
    const r = await app.accept(dir, { intake: 'upload', operator: 'kasie', disposition: { kind: 'keep' } });
    if (!r.item) throw new Error(`batch ${i} ${r.status}`);
    await app.runner.drain([r.item.id]);
    ids.push(r.item.id);
  }
  for (const [username, role] of users) {
    await app.register.users.insert({
      username,
      displayName: username,
      role,
      passwordHash: await hashPassword(`${username}-sandi-rahasia`),
    });
  }
  const server = createApp({
    ...collectionDepsOf(app),
    health: () => ({}),
    // Tests sign in often and on purpose wrongly: limits stay out of the way.
    staff: staffDepsOf(app as unknown as Pindai, {
      loginMax: 1000,
      loginAccountAddressMax: 1000,
      loginAccountMax: 1000,
      ...staffOptions,
    }),
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    app,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ids,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await app.close();
    },
  };
}
