/** A prop whose value breaks a bound: the one message shape every construct's refusals share. */

/**
 * A value a user set that something refuses: a cloud API's range, or the timing chain. The
 * message names the prop, the value and the bound, then says why the bound holds:
 * `'prop' (value) must be bound: because`. `BudgetError`, `Elbv2LimitError` and `GkeLimitError`
 * extend it, so a caller may catch any refused prop with one `instanceof`.
 */
export class PropBoundError extends Error {
  constructor(
    /** The prop that was set, as the user wrote it. */
    public readonly prop: string,
    /** The value received, for people (`5s`). */
    public readonly value: string,
    /** The bound it breaks, for people (`at least the load balancer's detection window (26s)`). */
    public readonly bound: string,
    /** Why the bound holds, in a sentence. */
    public readonly because: string,
  ) {
    super(`'${prop}' (${value}) must be ${bound}: ${because}`);
    this.name = 'PropBoundError';
  }
}
