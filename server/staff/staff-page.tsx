import type { Request, Response } from 'express';
import type { ComponentChildren } from 'preact';
import {
  formatBytes,
  formatDate,
  formatDateTime,
  formatDuration,
  formatMonth,
  formatNumber,
} from '../../core/format.ts';
import { type Lang, type Translator, translator } from '../../core/messages.ts';
import { langOf } from '../lang.middleware.ts';
import { render } from '../render.ts';
import { type StaffUser, staffUser } from './auth/session.ts';
import { StaffPage } from './views/staff-layout.tsx';

export interface PageCtx {
  lang: Lang;
  tr: Translator;
  user: StaffUser | null;
}

export function pageCtx(res: Response): PageCtx {
  const lang = langOf(res);
  return { lang, tr: translator(lang), user: staffUser(res) };
}

/** The signed-in user; route guards guarantee one on every non-public route. */
export function userOf(res: Response): StaffUser {
  const u = staffUser(res);
  if (!u) throw new Error('staff route reached without a session');
  return u;
}

export function sendStaffPage(
  req: Request,
  res: Response,
  opts: { title: string; current?: string; status?: number; scripts?: string[] },
  children: ComponentChildren,
): void {
  const { lang, user } = pageCtx(res);
  render(
    res,
    <StaffPage
      lang={lang}
      title={opts.title}
      path={req.originalUrl}
      user={user}
      current={opts.current}
      scripts={opts.scripts}
    >
      {children}
    </StaffPage>,
    opts.status ?? 200,
  );
}

/**
 * Format helpers shared by views: core/format.ts, the same as the public pages use.
 */
export const fmt = {
  bytes: (n: number, lang: Lang): string => formatBytes(lang, n),
  /** Table cells: "5 Des 2026". */
  date: (iso: string | null, lang: Lang): string => formatDate(lang, iso, 'medium'),
  dateTime: (iso: string | null, lang: Lang): string => formatDateTime(lang, iso),
  duration: (ms: number, lang: Lang): string => formatDuration(lang, ms),
  month: (month: string, lang: Lang): string => formatMonth(lang, month),
  num: (n: number, lang: Lang, maxFraction = 0): string => formatNumber(lang, n, maxFraction),
};
