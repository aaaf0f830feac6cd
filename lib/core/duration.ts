const UNIT_MILLIS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A length of time. Core keeps its own type so that it imports neither cdk8s nor Pulumi; props
 * take any {@link DurationLike} and convert with {@link Duration.of}. Not exported by name from
 * the package (a second class named `Duration` beside cdk8s' would clash): users make one with
 * {@link seconds}, {@link millis}, {@link minutes} or {@link parseDuration}.
 */
export class Duration {
  /** A duration of `amount` milliseconds. */
  public static millis(amount: number): Duration {
    return new Duration(amount);
  }

  /** A duration of `amount` seconds. */
  public static seconds(amount: number): Duration {
    return new Duration(amount * 1000);
  }

  /** A duration of `amount` minutes. */
  public static minutes(amount: number): Duration {
    return new Duration(amount * 60_000);
  }

  /** The zero duration. */
  public static readonly ZERO = new Duration(0);

  /**
   * Parses `500ms`, `5s`, `1.5s`, `2m`, `1m30s`, `1h` (Go and Envoy style), or a bare number of seconds.
   * @throws when the text is not a duration
   */
  public static parse(text: string | number): Duration {
    if (typeof text === 'number') return Duration.seconds(text);
    const trimmed = text.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Duration.seconds(Number(trimmed));
    const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
    let total = 0;
    let consumed = 0;
    let match: RegExpExecArray | null;
    while ((match = part.exec(trimmed)) !== null) {
      total += Number(match[1]) * UNIT_MILLIS[match[2]];
      consumed = part.lastIndex;
    }
    if (consumed === 0 || consumed !== trimmed.length) {
      throw new Error(`'${text}' is not a duration (expected e.g. 500ms, 5s, 1m30s)`);
    }
    return new Duration(total);
  }

  /** Whichever of the durations is longest. */
  public static max(...durations: Duration[]): Duration {
    return durations.reduce((longest, each) => (each.milliseconds > longest.milliseconds ? each : longest), Duration.ZERO);
  }

  /** Accepts anything that reports its length in milliseconds, such as a cdk8s `Duration` (fractions kept). */
  public static of(value: DurationLike): Duration {
    return value instanceof Duration ? value : new Duration(value.toMilliseconds({ integral: false }));
  }

  private constructor(public readonly milliseconds: number) {
    if (!Number.isFinite(milliseconds) || milliseconds < 0) {
      throw new Error(`a duration must be a finite, non-negative length of time (got ${milliseconds} ms)`);
    }
  }

  /** Length in milliseconds. */
  public toMilliseconds(): number {
    return this.milliseconds;
  }

  /** Length in seconds, fractional when the duration is not whole seconds. */
  public toSeconds(): number {
    return this.milliseconds / 1000;
  }

  /** Length in whole seconds, rounded up: Kubernetes fields take integers and rounding down would shorten a safety window. */
  public toWholeSeconds(): number {
    return Math.ceil(this.milliseconds / 1000);
  }

  public plus(other: Duration): Duration {
    return new Duration(this.milliseconds + other.milliseconds);
  }

  /** Difference, never below zero. */
  public minus(other: Duration): Duration {
    return new Duration(Math.max(0, this.milliseconds - other.milliseconds));
  }

  public times(factor: number): Duration {
    return new Duration(this.milliseconds * factor);
  }

  public isShorterThan(other: Duration): boolean {
    return this.milliseconds < other.milliseconds;
  }

  public isLongerThan(other: Duration): boolean {
    return this.milliseconds > other.milliseconds;
  }

  /** `26s`, `1.5s`, `250ms`, `2m`, `1m30s`: the form Envoy and Go accept. */
  public toString(): string {
    const ms = this.milliseconds;
    if (ms === 0) return '0s';
    if (ms < 1000) return `${ms}ms`;
    if (ms % 60_000 === 0) return `${ms / 60_000}m`;
    if (ms > 60_000 && ms % 1000 === 0) {
      return `${Math.floor(ms / 60_000)}m${(ms % 60_000) / 1000}s`;
    }
    return `${+(ms / 1000).toFixed(3)}s`;
  }

  /** Protobuf JSON form (`"26s"`, `"0.250s"`), as Envoy's configuration expects. */
  public toProtoJson(): string {
    const seconds = this.milliseconds / 1000;
    return Number.isInteger(seconds) ? `${seconds}s` : `${seconds.toFixed(3)}s`;
  }
}

/**
 * Any length of time that reports itself in milliseconds: a cdk8s `Duration`, or one made with
 * {@link seconds}, {@link millis} or {@link minutes}. Props take this, so a cdk8s app passes its own
 * `Duration`s and no second duration class is needed.
 */
export interface DurationLike {
  /** Length in milliseconds; cdk8s' `Duration` takes `{ integral: false }` to allow fractions. */
  toMilliseconds(options?: { readonly integral?: boolean }): number;
}

/** A duration of `amount` seconds, for props outside cdk8s (Pulumi, plain Node). */
export function seconds(amount: number): Duration {
  return Duration.seconds(amount);
}

/** A duration of `amount` milliseconds. */
export function millis(amount: number): Duration {
  return Duration.millis(amount);
}

/** A duration of `amount` minutes. */
export function minutes(amount: number): Duration {
  return Duration.minutes(amount);
}

/**
 * Parses `500ms`, `5s`, `1m30s` (Go and Envoy style) or a bare number of seconds.
 * @throws when the text is not a duration
 */
export function parseDuration(text: string | number): Duration {
  return Duration.parse(text);
}

/** A prop given as any {@link DurationLike}, as core's own `Duration`; `undefined` stays `undefined`. */
export function asDuration(value: DurationLike): Duration;
export function asDuration(value: DurationLike | undefined): Duration | undefined;
export function asDuration(value: DurationLike | undefined): Duration | undefined {
  return value === undefined ? undefined : Duration.of(value);
}
