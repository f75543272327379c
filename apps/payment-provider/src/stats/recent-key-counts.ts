/**
 * How many requests each Idempotency-Key brought, for the keys sent most recently: the proof of
 * article 6 that a retry really reached the provider ("2 authorize requests with ONE key, ONE
 * charge"). Memory stays bounded whatever the traffic: past `capacity` keys the one sent least
 * recently is forgotten, and a key longer than the provider accepts (255 characters) is not counted.
 */
export class RecentKeyCounts {
  /** Insertion order is recency: a key sent again moves to the end, the first one is the oldest. */
  private counts = new Map<string, number>();

  constructor(private readonly capacity: number) {}

  count(key: string): void {
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) return;
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.delete(key);
    this.counts.set(key, count);
    if (this.counts.size > this.capacity) this.counts.delete(this.counts.keys().next().value as string);
  }

  /** The counts, oldest key first. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  clear(): void {
    this.counts = new Map();
  }
}

/** The provider's longest usable Idempotency-Key; a longer one is refused with a 400 anyway. */
const MAX_KEY_LENGTH = 255;
