/**
 * The literature requests one cycle may make (config max_lookups_per_cycle): a request is
 * reserved before it is sent and settled with what was really sent (a cached answer sends
 * none), so parallel checks never take the cycle past its bound. Pure.
 */
export class LookupBudget {
  private reserved = 0;

  constructor(
    private readonly max: number,
    /** Requests the cycle made so far (persisted with the cycle, so a resumed one goes on counting). */
    private readonly used: () => number,
    private readonly record: (made: number) => void,
  ) {}

  /** Holds `n` requests; false when they would not fit. */
  reserve(n: number): boolean {
    if (this.used() + this.reserved + n > this.max) return false;
    this.reserved += n;
    return true;
  }

  /** Releases a reservation of `reserved`, counting the `made` requests really sent. */
  settle(reserved: number, made: number): void {
    this.reserved -= reserved;
    if (made > 0) this.record(made);
  }

  /** Requests still free (what the page shows next to the bound). */
  get left(): number {
    return Math.max(0, this.max - this.used() - this.reserved);
  }
}
