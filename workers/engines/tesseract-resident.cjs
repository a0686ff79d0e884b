'use strict';
// One long-lived native tesseract (libtesseract's C API through koffi), run as a child process by
// native-tesseract-resident.ts. The tesseract CLI loads its language models for every process (~0.13 CPU s)
// and reads its whole page list before it starts, so pages cannot be streamed to it; here the models are
// loaded once and pages arrive one at a time. Same recogniser, parameters and hOCR as the CLI.
//
// Protocol, one JSON object per line each way:
//   in:  {"id": 1, "langs": "ind+eng", "image": "<base64 image file: TIFF, PNG, JPEG…>"}
//   out: {"ready": true} once the libraries are loaded, or {"unavailable": "<why>"} and exit 3;
//        {"id": 1, "hocr": "<div class='ocr_page' …>"} or {"id": 1, "error": "<why>"} per page.
// Parameters come from PINDAI_TESSERACT_PARAMS (JSON: name → value), the data folder from
// TESSDATA_PREFIX as for the CLI. A page is never interrupted here: the parent kills the process.
const readline = require('node:readline');

const send = (msg) => process.stdout.write(`${JSON.stringify(msg)}\n`);

/** The first of these sonames that loads (Debian 12: liblept.so.5; later: libleptonica.so.6). */
function loadAny(koffi, names) {
  const errors = [];
  for (const name of names) {
    try {
      return koffi.load(name);
    } catch (e) {
      errors.push(`${name}: ${e.message}`);
    }
  }
  throw new Error(errors.join('; '));
}

let api;
try {
  const koffi = require('koffi');
  // PINDAI_LIBTESSERACT / PINDAI_LIBLEPT: the libraries' paths where they are not the Debian names.
  const tess = loadAny(koffi, [process.env.PINDAI_LIBTESSERACT || 'libtesseract.so.5']);
  const lept = loadAny(
    koffi,
    process.env.PINDAI_LIBLEPT ? [process.env.PINDAI_LIBLEPT] : ['liblept.so.5', 'libleptonica.so.6'],
  );
  const deleteText = tess.func('void TessDeleteText(void *text)');
  // A string that koffi hands to TessDeleteText once converted (tesseract allocates it with new[]).
  const hocrText = koffi.disposable('str', deleteText);
  api = {
    create: tess.func('void *TessBaseAPICreate()'),
    init: tess.func(
      'int TessBaseAPIInit2(void *handle, const char *datapath, const char *language, int oem)',
    ),
    end: tess.func('void TessBaseAPIEnd(void *handle)'),
    setVariable: tess.func('int TessBaseAPISetVariable(void *handle, const char *name, const char *value)'),
    setPageSegMode: tess.func('void TessBaseAPISetPageSegMode(void *handle, int mode)'),
    setImage: tess.func('void TessBaseAPISetImage2(void *handle, void *pix)'),
    recognize: tess.func('int TessBaseAPIRecognize(void *handle, void *monitor)'),
    hocr: tess.func('TessBaseAPIGetHOCRText', hocrText, ['void *', 'int']),
    pixReadMem: lept.func('void *pixReadMem(const uint8_t *data, size_t size)'),
    pixDestroy: lept.func('void pixDestroy(_Inout_ void **pix)'),
  };
} catch (e) {
  send({ unavailable: e.message });
  process.exit(3);
}

const params = JSON.parse(process.env.PINDAI_TESSERACT_PARAMS || '{}');
const OEM_LSTM_ONLY = 1;
const PSM_AUTO = 3;
const handle = api.create();
let loaded = null; // the languages whose models are loaded

function load(langs) {
  if (loaded === langs) return;
  if (loaded !== null) api.end(handle);
  loaded = null;
  // tesseract prints to stderr what it cannot load; the parent keeps the last lines for the error.
  if (api.init(handle, null, langs, OEM_LSTM_ONLY) !== 0)
    throw new Error(`cannot load language data ${langs}`);
  for (const [name, value] of Object.entries(params)) api.setVariable(handle, name, String(value));
  api.setPageSegMode(handle, PSM_AUTO);
  loaded = langs;
}

function recognize(langs, image) {
  load(langs);
  const pix = api.pixReadMem(image, image.length);
  if (!pix) throw new Error('the image cannot be read');
  try {
    api.setImage(handle, pix);
    if (api.recognize(handle, null) !== 0) throw new Error('recognition failed');
    return api.hocr(handle, 0);
  } finally {
    api.pixDestroy([pix]);
  }
}

send({ ready: true });
readline.createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
  let id = null;
  try {
    const req = JSON.parse(line);
    id = req.id;
    send({ id, hocr: recognize(req.langs, Buffer.from(req.image, 'base64')) });
  } catch (e) {
    send({ id, error: e.message });
  }
});
process.stdin.on('end', () => process.exit(0));
