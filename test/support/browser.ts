import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's chromium (installed by scripts/ensure-system-deps.sh); override with PINDAI_CHROMIUM. */
export const CHROMIUM = process.env.PINDAI_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve('test-output/screenshots');

/**
 * Launch headless Chromium as CI runs it (root, closed network): no sandbox, no background
 * networking; playwright gives each launch a fresh temporary profile.
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  watchCsp(browser);
  return browser;
}

const violations = new WeakMap<Browser, string[]>();

/**
 * What the pages of `browser` had refused by our Content-Security-Policy (Chromium reports each
 * refusal as a console error): a script, style or image a page needs and the policy forbids.
 */
export function cspViolations(browser: Browser): string[] {
  return violations.get(browser) ?? [];
}

function watchCsp(browser: Browser): void {
  const seen = new WeakSet<BrowserContext>();
  const list: string[] = [];
  violations.set(browser, list);
  const watch = (ctx: BrowserContext) => {
    if (seen.has(ctx)) return;
    seen.add(ctx);
    ctx.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) {
        list.push(`${m.location().url}: ${m.text()}`);
      }
    });
  };
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const ctx = await newContext(options);
    watch(ctx);
    return ctx;
  };
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (options) => {
    const page = await newPage(options);
    watch(page.context());
    return page;
  };
}

/** Save a full-page screenshot under test-output/screenshots/<name>.png and return its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
