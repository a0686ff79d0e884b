import type { Request, Response } from 'express';
import { staffUser } from './auth/session.ts';
import type { StaffContext } from './staff.context.ts';

/** Record a staff action with who did it and from where. */
export async function auditAction(
  ctx: StaffContext,
  req: Request,
  res: Response,
  action: string,
  target: string | null,
  detail: Record<string, unknown> = {},
): Promise<void> {
  const u = staffUser(res);
  await ctx.audit.record({
    userId: u?.id ?? null,
    username: u?.username ?? '-',
    action,
    target,
    detail,
    ip: req.ip ?? null,
  });
}
