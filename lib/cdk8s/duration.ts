import { Duration } from 'cdk8s';
import { Duration as CoreDuration } from '../core/duration';

/** A core duration as the cdk8s `Duration` a construct's getter returns.
 * @internal */
export function toCdk8sDuration(value: CoreDuration): Duration {
  return Duration.millis(value.toMilliseconds());
}
