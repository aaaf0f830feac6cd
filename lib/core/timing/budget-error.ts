import { PropBoundError } from '../prop-bound-error';

/**
 * A value a user set that breaks the timing chain. The message names the prop, the value and
 * the bound, then says why the bound is what it is (the chain, in a sentence).
 */
export class BudgetError extends PropBoundError {
  constructor(prop: string, value: string, bound: string, because: string) {
    super(prop, value, bound, because);
    this.name = 'BudgetError';
  }
}
