export interface BrowserFigures {
  runs: number;
  netns: boolean;
  cases: { name: string; floorMs: number | null; sdkMs: number | null }[];
  ping: { floorMs: number | null; sdkMs: number | null };
}
