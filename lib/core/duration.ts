const UNIT_MILLIS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A length of time. Core keeps its own type so that it imports neither cdk8s nor Pulumi;
 * the cdk8s face converts cdk8s `Duration`s into it.
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

  /** Accepts anything that reports its length in milliseconds, such as a cdk8s `Duration`. */
  public static of(value: { toMilliseconds(): number } | Duration): Duration {
    return value instanceof Duration ? value : new Duration(value.toMilliseconds());
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
