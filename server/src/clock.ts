/** Time, the one thing tests fake besides randomness: every part takes a Clock (DESIGN.md). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
