/**
 * A value a user set that breaks the timing chain. The message names the prop, the value and
 * the bound, then says why the bound is what it is.
 */
export class BudgetError extends Error {
  constructor(
    /** The prop that was set, as the user wrote it. */
    public readonly prop: string,
    /** The value received, for people (`5s`). */
    public readonly value: string,
    /** The bound it breaks, for people (`at least the load balancer's detection window (26s)`). */
    public readonly bound: string,
    /** Why the bound holds: the chain, in a sentence. */
    public readonly because: string,
  ) {
    super(`'${prop}' (${value}) must be ${bound}: ${because}`);
    this.name = 'BudgetError';
  }
}
