import { Duration } from 'cdk8s';
import { Duration as CoreDuration } from '../core/duration';

/** A cdk8s `Duration` prop as core takes it; `undefined` stays `undefined` so core applies its default.
 * @internal */
export function toCoreDuration(value: Duration | undefined): CoreDuration | undefined {
  return value === undefined ? undefined : CoreDuration.of(value);
}

/** A core duration as the cdk8s `Duration` a construct's getter returns.
 * @internal */
export function toCdk8sDuration(value: CoreDuration): Duration {
  return Duration.millis(value.toMilliseconds());
}
