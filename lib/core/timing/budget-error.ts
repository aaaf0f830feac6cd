import { PropBoundError } from '../prop-bound-error';

/**
 * A value a user set that breaks the timing chain. The message names the prop, the value and
 * the bound, then says why the bound is what it is (the chain, in a sentence).
 */
export class BudgetError extends PropBoundError {
  /**
   * @param prop The prop that was set, as the user wrote it.
   * @param value The value received, for people (`5s`).
   * @param bound The bound it breaks, for people (`at least the load balancer's detection window (26s)`).
   * @param because Why the bound holds: the chain, in a sentence.
   */
  constructor(prop: string, value: string, bound: string, because: string) {
    super(prop, value, bound, because);
    this.name = 'BudgetError';
  }
}
