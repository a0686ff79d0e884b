'use strict';
// Entry point of each tesseract.js worker thread (passed as `workerPath`). It wraps tesseract.js's own
// script to close two gaps that could otherwise take down the main process or leak a thread:
// - tesseract.js only listens for thread errors via `worker.onerror`, which Node never calls, so an
//   uncaught error here would be an unhandled 'error' event in the parent. We exit instead; the engine
//   watches 'exit'.
// - when loading or initialising language data fails, createWorker() never settles (the thread lives on
//   with no handle to end it) and `initialize` posts a resolve after its reject, which makes the parent
//   throw on a settled job. We forward the first setup failure, drop anything after it, and exit.
const { parentPort } = require('node:worker_threads');

const SETUP_ACTIONS = new Set(['load', 'loadLanguage', 'initialize']);
const post = parentPort.postMessage.bind(parentPort);
let dying = false;

const die = (code) => {
  dying = true;
  setImmediate(() => process.exit(code));
};

parentPort.postMessage = (msg, ...rest) => {
  if (dying) return;
  post(msg, ...rest);
  if (msg && msg.status === 'reject' && SETUP_ACTIONS.has(msg.action)) die(71);
};

process.on('uncaughtException', (err) => {
  if (!dying) post({ pindaiThreadError: String(err?.stack ?? err) });
  die(70);
});

require(require.resolve('tesseract.js/src/worker-script/node/index.js'));
