// The web app's budget, part of `npm run bench` (`--only web`), after `npx next build`: JS a cold load
// fetches (bench/js-weight.ts), "Create lobby" time to usable (bench/time-to-usable.ts) and Lighthouse on
// phone emulation (bench/lighthouse.ts). Each starts the production server of this checkout.
import { measureJsWeight, type WeightFigures } from './js-weight';
import { measureLighthouse, type LighthouseFigures } from './lighthouse';
import { measureTimeToUsable, type UsableFigures } from './time-to-usable';

export interface WebPlan {
  usableRuns: number;
  lighthouseRuns: number;
}

export interface WebFigures {
  weight: WeightFigures;
  usable: UsableFigures;
  lighthouse: LighthouseFigures;
}

/** The budget: gzip KB of JS per cold load, ms to usable, Lighthouse scores (each at least). */
export const WEB_BUDGET = { homeKB: 130, lobbyKB: 170, usableMs: 500, score: 95 };

export async function runWeb(plan: WebPlan, log: (line: string) => void): Promise<WebFigures> {
  log('web: JS weight');
  const weight = await measureJsWeight();
  log(`web: time to usable (${plan.usableRuns} cold loads)`);
  const { current: usable } = await measureTimeToUsable(plan.usableRuns);
  log(`web: Lighthouse (${plan.lighthouseRuns} per page)`);
  const lighthouse = await measureLighthouse(plan.lighthouseRuns);
  return { weight, usable, lighthouse };
}
