import crypto from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import S3rver from 's3rver';
import { describe, expect, it } from 'vitest';
import { answerAfterWrite, type S3rverStore } from './support/s3-server.ts';
import { tempDir } from './support/temp-dir.ts';

/**
 * The tests' S3 server must not answer a PUT before the object is on its disk, or a GET straight
 * after reads a short file (CI: a store copy that "read back" as the empty string's SHA-256).
 * Checked on s3rver's own store, without HTTP: one large chunk leaves the file unwritten when
 * s3rver's own putObject resolves (this test fails without `answerAfterWrite`).
 */
describe('test S3 server (s3rver)', () => {
  it('has the whole object in its file when a PUT is answered', async () => {
    const directory = tempDir();
    const server = answerAfterWrite(new S3rver({ silent: true, directory }));
    const store = (server as unknown as { store: S3rverStore }).store;
    const body = crypto.randomBytes(32 * 1024 * 1024);
    for (const content of [Readable.from([body]), body]) {
      const put = await store.putObject({ bucket: 'b', key: 'k', content, metadata: {} });
      const file = store.getResourcePath('b', 'k', 'object');
      expect(fs.statSync(file).size).toBe(body.length);
      expect(put).toEqual({ size: body.length, md5: crypto.createHash('md5').update(body).digest('hex') });
    }
  });
});
