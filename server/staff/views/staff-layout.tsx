import type { ComponentChildren } from 'preact';
import { type Lang, type MessageKey, translator } from '../../../core/messages.ts';
import { Layout } from '../../views/layout.tsx';
import type { StaffUser } from '../auth/session.ts';
import { canAccess, NAV } from '../staff.access.ts';
import { STAFF_CSS } from './staff.css.ts';

export interface StaffPageProps {
  lang: Lang;
  title: string;
  path: string;
  user: StaffUser | null;
  /** Navigation entry to mark as current. */
  current?: string;
  children: ComponentChildren;
  scripts?: string[];
}

/** The staff frame: navigation limited to what the user's role may open, sign-out form. */
export function StaffPage(props: StaffPageProps) {
  const tr = translator(props.lang);
  const u = props.user;
  const header = (
    <>
      <a class="brand" href="/staf/" title={tr('st_app')}>
        {tr('st_brand')}
      </a>
      {u ? (
        <nav aria-label={tr('st_app')}>
          {NAV.filter((n) => canAccess(n.access, u.role)).map((n) => (
            <a href={n.href} aria-current={props.current === n.href ? 'page' : undefined}>
              {tr(n.label as MessageKey)}
            </a>
          ))}
        </nav>
      ) : null}
      <div class="who">
        {u ? (
          <>
            <span>{tr('st_signed_in_as', { name: u.displayName, role: tr(`st_role_${u.role}`) })}</span>
            <form method="post" action="/staf/keluar">
              <input type="hidden" name="_csrf" value={u.csrfToken} />
              <button type="submit">{tr('st_logout')}</button>
            </form>
          </>
        ) : null}
      </div>
    </>
  );
  return (
    <Layout
      lang={props.lang}
      title={`${props.title} · ${tr('st_app')}`}
      path={props.path}
      css={STAFF_CSS}
      header={header}
      scripts={props.scripts}
    >
      {props.children}
    </Layout>
  );
}

/** Hidden CSRF field for every form. */
export function Csrf({ user }: { user: StaffUser | null }) {
  return <input type="hidden" name="_csrf" value={user?.csrfToken ?? ''} />;
}

export function Notice({ kind, children }: { kind: 'ok' | 'err' | 'warn'; children: ComponentChildren }) {
  return (
    <div class={`notice ${kind}`} role={kind === 'err' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
