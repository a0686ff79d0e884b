import { afterAll, describe, expect, it } from 'vitest';
import { makePage, SAMPLE_TEXT } from '../../test/fixtures/make-page.ts';
import { cer } from '../../test/support/cer.ts';
import { probeNativeTesseract } from './native-tesseract.engine.ts';
import { parseHocr } from './native-tesseract-hocr.ts';
import {
  type ResidentOptions,
  type ResidentTesseract,
  ResidentUnavailableError,
  startResidentTesseract,
} from './native-tesseract-resident.ts';
import { LSTM_ONLY_PARAMS } from './tesseract-params.ts';

const LANGS = ['ind', 'eng'];
const info = await probeNativeTesseract();
const usable = info !== null && LANGS.every((l) => info.langs.includes(l));
const started: ResidentTesseract[] = [];
const resident = (over: Partial<ResidentOptions> = {}) => {
  const r = startResidentTesseract({
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
    params: { ...LSTM_ONLY_PARAMS, debug_file: '/dev/null' },
    maxOutputBytes: 64 * 1024 * 1024,
    ...over,
  });
  started.push(r);
  return r;
};
const textOf = (hocr: string | null) => parseHocr(hocr ?? '', { width: 1240, height: 650 }, 'test').text;

afterAll(async () => {
  await Promise.all(started.map((r) => r.close()));
});

describe.runIf(usable)('resident tesseract process', () => {
  it('fails the page in flight as retryable when its process dies, and reads the next in a new one', async () => {
    const page = await makePage({ columns: [SAMPLE_TEXT.id1], height: 650 });
    const tess = resident();
    expect(cer(SAMPLE_TEXT.id1, textOf(await tess.recognize(page, LANGS, 60_000)))).toBeLessThan(0.05);
    const first = tess.pid();
    expect(first).toBeGreaterThan(0);
    const inFlight = tess.recognize(page, LANGS, 60_000);
    process.kill(first as number, 'SIGKILL');
    await expect(inFlight).rejects.toMatchObject({ code: 'ocr_failed', retryable: true });
    expect(cer(SAMPLE_TEXT.id1, textOf(await tess.recognize(page, LANGS, 60_000)))).toBeLessThan(0.05);
    expect(tess.pid()).not.toBe(first);
  });

  it('kills a process whose reply outgrows the cap, and fails that page', async () => {
    const page = await makePage({ columns: [SAMPLE_TEXT.id2], height: 650 });
    const tess = resident({ maxOutputBytes: 2000 });
    await expect(tess.recognize(page, LANGS, 60_000)).rejects.toMatchObject({
      code: 'ocr_failed',
      message: expect.stringMatching(/output too large/),
      retryable: false,
    });
    expect(tess.pid()).toBeNull();
  });

  it('says why it cannot run when the library is missing', async () => {
    const tess = resident({ env: { ...process.env, PINDAI_LIBTESSERACT: 'libtesseract-missing.so.0' } });
    const page = await makePage({ columns: ['x'], height: 650 });
    const err = await tess.recognize(page, LANGS, 60_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResidentUnavailableError);
    expect(String((err as Error).message)).toMatch(/libtesseract-missing\.so\.0/);
  });
});
