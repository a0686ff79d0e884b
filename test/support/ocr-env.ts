/**
 * The OCR engine for tests that build their own config: the zero-install default a fresh user
 * gets (tesseract.js), even where native tesseract is installed (ensure-system-deps adds it for
 * the native engine's spec). PINDAI_OCR_ENGINE in the environment overrides it (vitest configs
 * set it too, so spawned CLI processes agree).
 */
export const OCR_ENV = { PINDAI_OCR_ENGINE: process.env.PINDAI_OCR_ENGINE ?? 'tesseract-js' };
