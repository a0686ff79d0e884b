import { describe, expect, it } from 'vitest';
import { nightDue } from './fixity-schedule.ts';

describe('nightDue', () => {
  const at = { hour: 2, minute: 0 };
  const window = 6 * 3600_000;

  it('is the night from its time of day until the window closes, named by its local date', () => {
    expect(nightDue(new Date(2026, 11, 6, 1, 59), at, window)).toBeNull();
    const due = nightDue(new Date(2026, 11, 6, 2, 0), at, window);
    expect(due).toMatchObject({ claimKey: 'nightly:2026-12-06', slot: Date.UTC(2026, 11, 6) / 86_400_000 });
    expect(nightDue(new Date(2026, 11, 6, 7, 59), at, window)?.claimKey).toBe('nightly:2026-12-06');
    expect(nightDue(new Date(2026, 11, 6, 8, 0), at, window)).toBeNull();
    // Consecutive nights take consecutive slots: a rolling share covers everything in turn.
    expect(nightDue(new Date(2026, 11, 7, 2, 0), at, window)?.slot).toBe((due?.slot ?? 0) + 1);
  });

  it('keeps a window that crosses midnight on the night it started', () => {
    const late = { hour: 23, minute: 30 };
    expect(nightDue(new Date(2026, 0, 1, 0, 15), late, window)?.claimKey).toBe('nightly:2025-12-31');
    expect(nightDue(new Date(2026, 0, 1, 23, 29), late, window)).toBeNull();
  });
});
