import type { Response } from 'express';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** Send a server-rendered page. Preact escapes every text and attribute value. */
export function render(res: Response, page: VNode, status = 200): void {
  res
    .status(status)
    .type('html')
    .send(`<!doctype html>${renderToString(page)}`);
}
