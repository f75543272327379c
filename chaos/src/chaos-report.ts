/** One invariant the system must keep whatever was killed or fed to it, and what was found. */
export interface InvariantCheck {
  /** A sentence: "every order is terminal within 60 s". */
  name: string;
  holds: boolean;
  /** The numbers behind the verdict: "1000 of 1000 terminal, slowest 12.4 s after recovery". */
  detail: string;
}

/** What one part of the chaos run did and found: the invariants and the counts behind them. */
export interface ChaosReport {
  title: string;
  invariants: InvariantCheck[];
  counts: Record<string, number>;
  /** The command that runs this part again the same way (the fuzz's seed), printed when an invariant fails. */
  replay?: string;
}

export type Narrate = (line: string) => void;

export function allHold(reports: ChaosReport[]): boolean {
  return reports.every((report) => report.invariants.every((invariant) => invariant.holds));
}

export function formatReport(report: ChaosReport): string {
  const lines = [`${report.title}`];
  for (const invariant of report.invariants) lines.push(`  ${invariant.holds ? '✓' : '✗'} ${invariant.name} — ${invariant.detail}`);
  const counts = Object.entries(report.counts);
  if (counts.length > 0) lines.push(`  counts: ${counts.map(([name, value]) => `${name} ${value}`).join(', ')}`);
  if (report.replay !== undefined && !allHold([report])) lines.push(`  replay: ${report.replay}`);
  return lines.join('\n');
}
