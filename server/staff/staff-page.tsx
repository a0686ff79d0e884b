import type { Request, Response } from 'express';
import type { ComponentChildren } from 'preact';
import { type Lang, localeOf, type Translator, translator } from '../../core/messages.ts';
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

/** Format helpers shared by views. */
export const fmt = {
  bytes(n: number): string {
    if (n < 1024) return `${n} B`;
    const units = ['KB', 'MB', 'GB', 'TB'];
    let v = n / 1024;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return `${v.toFixed(v < 10 && v % 1 !== 0 ? 1 : 0)} ${units[i]}`;
  },
  date(iso: string | null, lang: Lang): string {
    if (!iso) return '';
    return new Date(iso).toLocaleDateString(localeOf(lang), {
      day: '2-digit',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    });
  },
  dateTime(iso: string | null, lang: Lang): string {
    if (!iso) return '';
    return new Date(iso).toLocaleString(localeOf(lang), {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'UTC',
    });
  },
  duration(ms: number): string {
    if (ms < 1000) return `${Math.round(ms)} ms`;
    const s = ms / 1000;
    if (s < 60) return `${s.toFixed(1)} s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m} m ${Math.round(s % 60)} s`;
    return `${Math.floor(m / 60)} j ${m % 60} m`;
  },
  num(n: number, lang: Lang): string {
    return n.toLocaleString(localeOf(lang));
  },
};
