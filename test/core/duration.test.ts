import { Duration } from '../../lib/core/duration';

describe('Duration', () => {
  test('parses Go and Envoy style durations', () => {
    expect(Duration.parse('500ms').toMilliseconds()).toBe(500);
    expect(Duration.parse('5s').toSeconds()).toBe(5);
    expect(Duration.parse('1.5s').toMilliseconds()).toBe(1500);
    expect(Duration.parse('1m30s').toSeconds()).toBe(90);
    expect(Duration.parse('2h').toSeconds()).toBe(7200);
    expect(Duration.parse('7').toSeconds()).toBe(7);
    expect(Duration.parse(3).toSeconds()).toBe(3);
  });

  test('fails on text that is not a duration', () => {
    expect(() => Duration.parse('5 seconds')).toThrow(/'5 seconds' is not a duration/);
    expect(() => Duration.parse('')).toThrow(/is not a duration/);
    expect(() => Duration.parse('5s junk')).toThrow(/is not a duration/);
  });

  test('fails on negative or non-finite lengths', () => {
    expect(() => Duration.seconds(-1)).toThrow(/non-negative/);
    expect(() => Duration.millis(Number.NaN)).toThrow(/finite/);
  });

  test('rounds whole seconds up so a safety window never shrinks', () => {
    expect(Duration.millis(30_001).toWholeSeconds()).toBe(31);
    expect(Duration.seconds(30).toWholeSeconds()).toBe(30);
  });

  test('prints the forms Envoy and people read', () => {
    expect(Duration.seconds(26).toString()).toBe('26s');
    expect(Duration.millis(250).toString()).toBe('250ms');
    expect(Duration.minutes(2).toString()).toBe('2m');
    expect(Duration.seconds(90).toString()).toBe('1m30s');
    expect(Duration.millis(1500).toString()).toBe('1.5s');
    expect(Duration.millis(250).toProtoJson()).toBe('0.250s');
    expect(Duration.seconds(5).toProtoJson()).toBe('5s');
  });

  test('does arithmetic without going below zero', () => {
    expect(Duration.seconds(5).plus(Duration.seconds(2)).toSeconds()).toBe(7);
    expect(Duration.seconds(2).minus(Duration.seconds(5)).toSeconds()).toBe(0);
    expect(Duration.seconds(2).times(3).toSeconds()).toBe(6);
    expect(Duration.max(Duration.seconds(1), Duration.seconds(9), Duration.seconds(3)).toSeconds()).toBe(9);
    expect(Duration.seconds(1).isShorterThan(Duration.seconds(2))).toBe(true);
    expect(Duration.seconds(3).isLongerThan(Duration.seconds(2))).toBe(true);
  });

  test('accepts any duration that reports milliseconds, such as cdk8s Duration', () => {
    expect(Duration.of({ toMilliseconds: () => 4000 }).toSeconds()).toBe(4);
    const own = Duration.seconds(1);
    expect(Duration.of(own)).toBe(own);
  });
});
