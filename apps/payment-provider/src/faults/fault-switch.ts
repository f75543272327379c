import { NO_FAULTS, type ActiveFaults, type FaultSet } from './fault-set.js';

/** What the faults do to one /v1 request, decided once when it arrives. */
export interface RequestFaults {
  latencyMs: number;
  hang: boolean;
  /** Drawn from `errorRate` for this request. */
  failWith5xx: boolean;
  decline: boolean;
  dropResponseAfterCommit: boolean;
  corruptBody: boolean;
}

const UNTOUCHED: RequestFaults = {
  latencyMs: 0,
  hang: false,
  failWith5xx: false,
  decline: false,
  dropResponseAfterCommit: false,
  corruptBody: false,
};

/**
 * The simulator's fault switch, held in memory: the simulator is one process, and a restart that
 * forgets the faults is what a workshop wants. `times` counts down by one for every /v1 request.
 */
export class FaultSwitch {
  private faults: ActiveFaults = NO_FAULTS;

  /** `random` draws the requests that `errorRate` fails: injectable, so a unit test can fix it. */
  constructor(private readonly random: () => number = Math.random) {}

  current(): ActiveFaults {
    return { ...this.faults };
  }

  /** Replaces the faults in force (a PUT: switches left out are off). */
  set(faults: FaultSet): ActiveFaults {
    const { times, ...switches } = { ...NO_FAULTS, ...faults };
    this.faults = times === undefined ? switches : { ...switches, times };
    return this.current();
  }

  clear(): ActiveFaults {
    this.faults = NO_FAULTS;
    return this.current();
  }

  /** The faults for the /v1 request that just arrived; uses up one of `times`. */
  takeForRequest(): RequestFaults {
    const faults = this.faults;
    if (faults === NO_FAULTS) return UNTOUCHED;
    if (faults.times !== undefined) {
      this.faults = faults.times > 1 ? { ...faults, times: faults.times - 1 } : NO_FAULTS;
    }
    return {
      latencyMs: faults.latencyMs,
      hang: faults.hang,
      failWith5xx: faults.errorRate > 0 && this.random() < faults.errorRate,
      decline: faults.decline,
      dropResponseAfterCommit: faults.dropResponseAfterCommit,
      corruptBody: faults.corruptBody,
    };
  }
}
