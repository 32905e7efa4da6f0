import type { PlanName } from '@ocr/domain';

/** What limits a plan's pages: an allowance per UTC day or month, purchased credits, or nothing. */
export type LimitKind = 'daily_pages' | 'monthly_pages' | 'credits' | 'none';

export interface Plan {
  name: PlanName;
  limit: LimitKind;
  /** Credits per period for daily/monthly limits; unused for credits (the ledger decides) and none. */
  allowance: number;
  /** Larger files are refused with 402 before any work. */
  maxPagesPerFile: number;
  /** What one file may cost (frames of a multi-frame image, decoded pixels): over it, 413 before decoding. */
  fileBudget: PlanFileBudget;
  /** Lower is taken first from the task bus when workers are busy. */
  priority: number;
}

/** Per-plan cost limits with the names of the settings that set them (quoted in refusals). */
export interface PlanFileBudget {
  maxFrames: number;
  maxPixels: number;
  framesSetting: string;
  pixelsSetting: string;
}

export interface PlanSettings {
  ANON_DAILY_PAGES: number;
  ANON_MAX_PAGES_PER_FILE: number;
  FREE_MONTHLY_PAGES: number;
  FREE_MAX_PAGES_PER_FILE: number;
  PAID_MAX_PAGES_PER_FILE: number;
  ANON_MAX_FRAMES_PER_FILE: number;
  FREE_MAX_FRAMES_PER_FILE: number;
  PAID_MAX_FRAMES_PER_FILE: number;
  ANON_MAX_PIXELS_PER_FILE: number;
  FREE_MAX_PIXELS_PER_FILE: number;
  PAID_MAX_PIXELS_PER_FILE: number;
}

function budget(s: PlanSettings, prefix: 'ANON' | 'FREE' | 'PAID'): PlanFileBudget {
  return {
    maxFrames: s[`${prefix}_MAX_FRAMES_PER_FILE`],
    maxPixels: s[`${prefix}_MAX_PIXELS_PER_FILE`],
    framesSetting: `${prefix}_MAX_FRAMES_PER_FILE`,
    pixelsSetting: `${prefix}_MAX_PIXELS_PER_FILE`,
  };
}

export type Plans = Record<PlanName, Plan>;

/** Plans are data: every number comes from a setting, so operators change them without code. */
export function plansFromSettings(s: PlanSettings): Plans {
  return {
    anonymous: {
      name: 'anonymous',
      limit: 'daily_pages',
      allowance: s.ANON_DAILY_PAGES,
      maxPagesPerFile: s.ANON_MAX_PAGES_PER_FILE,
      fileBudget: budget(s, 'ANON'),
      priority: 2,
    },
    free: {
      name: 'free',
      limit: 'monthly_pages',
      allowance: s.FREE_MONTHLY_PAGES,
      maxPagesPerFile: s.FREE_MAX_PAGES_PER_FILE,
      fileBudget: budget(s, 'FREE'),
      priority: 1,
    },
    paid: { name: 'paid', limit: 'credits', allowance: 0, maxPagesPerFile: s.PAID_MAX_PAGES_PER_FILE, fileBudget: budget(s, 'PAID'), priority: 0 },
    operator: { name: 'operator', limit: 'none', allowance: 0, maxPagesPerFile: s.PAID_MAX_PAGES_PER_FILE, fileBudget: budget(s, 'PAID'), priority: 0 },
  };
}

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** The ledger bucket a plan's pages count against at a given time (see Bucket in @ocr/domain). */
export function bucketFor(plan: Plan, now: Date): string {
  const iso = now.toISOString();
  switch (plan.limit) {
    case 'daily_pages':
      return `day:${iso.slice(0, 10)}`;
    case 'monthly_pages':
      return `month:${iso.slice(0, 7)}`;
    case 'credits':
      return 'credits';
    case 'none':
      return 'unmetered';
  }
}

/** When the bucket's allowance starts again (UTC midnight / first of next month); null when it does not. */
export function resetOf(plan: Plan, now: Date): Date | null {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  if (plan.limit === 'daily_pages') return new Date(Date.UTC(y, m, now.getUTCDate() + 1));
  if (plan.limit === 'monthly_pages') return new Date(Date.UTC(y, m + 1, 1));
  return null;
}
