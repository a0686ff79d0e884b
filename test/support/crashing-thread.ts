import { Worker } from 'node:worker_threads';
import { PindaiError } from '../../core/errors.ts';

/**
 * Run a real worker thread that dies with an uncaught error, the way a native OCR library that
 * trips over a page takes its thread down. Rejects as our engines do when their thread dies:
 * a retryable PindaiError('ocr_failed').
 */
export function crashAThread(): Promise<never> {
  return new Promise((_, reject) => {
    const w = new Worker('throw new Error("segfault-like crash in OCR thread")', { eval: true });
    let detail = '';
    w.on('error', (err) => {
      detail = err.message;
    });
    w.on('exit', (code) =>
      reject(
        new PindaiError('ocr_failed', `OCR worker thread exited unexpectedly (code ${code}): ${detail}`, {
          retryable: true,
        }),
      ),
    );
  });
}
