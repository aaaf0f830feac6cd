import { Elbv2LimitError } from '../../lib/core/aws/elbv2-limits';
import { GkeLimitError } from '../../lib/core/gke/defaults';
import { PropBoundError } from '../../lib/core/prop-bound-error';
import { BudgetError } from '../../lib/core/timing/budget-error';

describe('PropBoundError', () => {
  test("says `'prop' (value) must be bound: because` and keeps each part", () => {
    const error = new PropBoundError('preStopDelay', '5s', "at least the load balancer's detection window (26s)", 'the load balancer sends new connections until then');
    expect(error.message).toBe("'preStopDelay' (5s) must be at least the load balancer's detection window (26s): the load balancer sends new connections until then");
    expect(error).toMatchObject({ prop: 'preStopDelay', value: '5s', bound: "at least the load balancer's detection window (26s)", because: 'the load balancer sends new connections until then' });
    expect(error).toBeInstanceOf(Error);
  });

  test.each([
    ['BudgetError', new BudgetError('keepServing', '5s', 'at least 26s', 'why')],
    ['Elbv2LimitError', new Elbv2LimitError('keepServing', '5s', 'at least 26s', 'why')],
    ['GkeLimitError', new GkeLimitError('keepServing', '5s', 'at least 26s', 'why')],
  ])('%s is a PropBoundError with its own name and the same message', (name, error) => {
    expect(error).toBeInstanceOf(PropBoundError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.message).toBe("'keepServing' (5s) must be at least 26s: why");
    expect(error.bound).toBe('at least 26s');
  });

  test('the subclasses stay apart: one is not an instance of another', () => {
    expect(new BudgetError('a', 'b', 'c', 'd')).not.toBeInstanceOf(Elbv2LimitError);
    expect(new GkeLimitError('a', 'b', 'c', 'd')).not.toBeInstanceOf(BudgetError);
  });

  test("Elbv2LimitError keeps `allowed` and says who refuses by default", () => {
    const error = new Elbv2LimitError('healthCheckInterval', '3s', 'a whole number between 5s and 300s');
    expect(error.allowed).toBe('a whole number between 5s and 300s');
    expect(error.message).toBe("'healthCheckInterval' (3s) must be a whole number between 5s and 300s: ELBv2 rejects the target group otherwise");
  });
});
