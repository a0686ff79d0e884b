import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadConfig } from '../../core/config.ts';
import type { Role } from '../../core/register/users.queries.ts';
import { createPindai, type Pindai } from '../../scripts/pindai-context.ts';
import { staffDepsOf } from '../../scripts/staff-deps.ts';
import { createApp } from '../../server/app.ts';
import { hashPassword } from '../../server/staff/auth/password.ts';
import type { StaffOptions } from '../../server/staff/staff.context.ts';
import { OCR_ENV } from './ocr-env.ts';
import { tempDir } from './temp-dir.ts';

export interface StaffServer {
  base: string;
  pindai: Pindai;
  root: string;
  addUser(username: string, role: Role, password?: string): Promise<{ id: number; password: string }>;
  /** Another app on the same Pindai (own limits, own trust-proxy setting). */
  extraApp(opts: {
    staffOptions?: Partial<StaffOptions>;
    trustProxy?: boolean | number | string;
  }): Promise<string>;
  close(): Promise<void>;
}

async function listen(app: ReturnType<typeof createApp>): Promise<{ server: Server; base: string }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * A real Pindai (SQLite register, fs store, FTS index, tesseract.js) with the staff workspace.
 * `root` opens an existing one again (a restart, or a second process on the same register).
 */
export async function startStaffServer(
  opts: {
    env?: Record<string, string>;
    staffOptions?: Partial<StaffOptions>;
    runner?: boolean;
    root?: string;
    trustProxy?: boolean | number | string;
  } = {},
): Promise<StaffServer> {
  const root = opts.root ?? tempDir('pindai-staff-');
  const config = loadConfig({
    PINDAI_DATA_DIR: path.join(root, 'data'),
    PINDAI_LOG_LEVEL: 'silent',
    PINDAI_OCR_WORKERS: '1',
    ...OCR_ENV,
    ...opts.env,
  });
  const pindai = await createPindai(config);
  const servers: Server[] = [];
  const make = async (staffOptions?: Partial<StaffOptions>, trustProxy?: boolean | number | string) => {
    const app = createApp({
      register: pindai.register,
      store: pindai.store,
      index: pindai.index,
      health: () => ({}),
      // Tests sign in often and on purpose wrongly: only a test about limits sets them low.
      staff: staffDepsOf(pindai, {
        loginMax: 1000,
        loginAccountAddressMax: 1000,
        loginAccountMax: 1000,
        ...staffOptions,
      }),
      trustProxy,
    });
    const { server, base } = await listen(app);
    servers.push(server);
    return base;
  };
  const base = await make(opts.staffOptions, opts.trustProxy);
  if (opts.runner) await pindai.runner.start();
  const { users } = pindai.register;
  return {
    base,
    pindai,
    root,
    async addUser(username, role, password = `${username}-sandi-rahasia`) {
      const u = await users.insert({
        username,
        displayName: username,
        role,
        passwordHash: await hashPassword(password),
      });
      return { id: u.id, password };
    },
    extraApp: (o) => make(o.staffOptions, o.trustProxy),
    async close() {
      for (const s of servers) s.closeAllConnections();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      await pindai.close(1000);
    },
  };
}

/** A tiny browser-less client: keeps cookies, never follows redirects, reads CSRF tokens. */
export class StaffClient {
  readonly cookies = new Map<string, string>();
  csrf = '';
  /** `headers`: sent with every request (e.g. an X-Forwarded-For this client claims). */
  constructor(
    readonly base: string,
    readonly headers: Record<string, string> = {},
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(
    method: string,
    p: string,
    init: { form?: Record<string, string>; headers?: Record<string, string>; body?: BodyInit } = {},
  ) {
    const headers: Record<string, string> = {
      accept: 'text/html',
      cookie: this.cookieHeader(),
      ...this.headers,
      ...init.headers,
    };
    let body = init.body;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const r = await fetch(this.base + p, { method, headers, body, redirect: 'manual' });
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...v] = (pair ?? '').split('=');
      if (!k) continue;
      const value = v.join('=');
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(k.trim());
      else this.cookies.set(k.trim(), value);
    }
    const text = r.headers.get('content-type')?.includes('text/html') ? await r.text() : '';
    // The last token on the page: the header's sign-out form comes before the page's own forms.
    const m = [...text.matchAll(/name="_csrf" value="([^"]+)"/g)].pop();
    if (m?.[1]) this.csrf = m[1];
    return { status: r.status, location: r.headers.get('location'), text, headers: r.headers, res: r };
  }

  get(p: string, headers?: Record<string, string>) {
    return this.request('GET', p, { headers });
  }

  post(p: string, form: Record<string, string> = {}, opts: { noCsrf?: boolean } = {}) {
    return this.request('POST', p, { form: opts.noCsrf ? form : { _csrf: this.csrf, ...form } });
  }

  async login(username: string, password: string) {
    await this.get('/staf/masuk');
    const r = await this.post('/staf/masuk', { username, password });
    if (r.status === 303) await this.get('/staf/');
    return r;
  }
}
