/**
 * tesseract parameters both engines set, besides the page segmentation mode.
 *
 * Two analyses of tesseract's legacy (pre-LSTM) recogniser that still run with `--oem 1` but
 * whose results the LSTM recogniser never reads: the fixed-pitch test of every text row and blob
 * chopping. Turned off they save ~5 % of a page's OCR CPU (interleaved runs on 16 pages:
 * 1.89 → 1.80 CPU s), and the hOCR, boxes and confidences included, came out byte for byte the
 * same on 77 of 78 pages (the sample corpus and its degraded variants: low resolution, JPEG q40,
 * 1-bit, bleed-through, crops); the one exception split a speckled page number "33" differently.
 */
export const LSTM_ONLY_PARAMS: Readonly<Record<string, string>> = {
  textord_disable_pitch_test: '1',
  chop_enable: '0',
};
