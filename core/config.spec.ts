import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('defaults to the embedded setup under ./data', () => {
    const c = loadConfig({});
    expect(c.dataDir).toBe(path.resolve('data'));
    expect(c.inboxDir).toBe(path.resolve('data/inbox'));
    expect(c.ocrLangs).toEqual(['ind', 'eng']);
    expect(c.lang).toBe('id');
    expect(c.port).toBe(3000);
  });

  it('lets --data override PINDAI_DATA_DIR', () => {
    const c = loadConfig({ PINDAI_DATA_DIR: '/tmp/a' }, { dataDir: '/tmp/b' });
    expect(c.dataDir).toBe('/tmp/b');
    expect(c.registerPath).toBe('/tmp/b/register.sqlite');
  });

  it('lists every bad key in one error', () => {
    try {
      loadConfig({ PINDAI_PORT: 'abc', PINDAI_OCR_LANGS: 'ind eng', PINDAI_WATCH_POLL: 'maybe' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as ConfigError).message;
      expect(msg).toMatch(/PINDAI_PORT/);
      expect(msg).toMatch(/PINDAI_OCR_LANGS/);
      expect(msg).toMatch(/PINDAI_WATCH_POLL/);
    }
  });
});
