/**
 * The discrete-event core: a binary-heap event queue and a seeded pseudo-random generator.
 * Events are small records reused through a free list, so a long run allocates almost nothing
 * per request.
 */

/** One scheduled event: `kind` says what happens, `subject` to whom, `generation` whether it still holds. */
export interface SimEvent {
  time: number;
  /** Insertion order, so that events at the same time run in the order they were scheduled (determinism). */
  sequence: number;
  kind: number;
  subject: number;
  generation: number;
}

/** A min-heap of events ordered by time, then by insertion order. */
export class EventQueue {
  private readonly heap: SimEvent[] = [];
  private readonly free: SimEvent[] = [];
  private sequence = 0;

  public get size(): number {
    return this.heap.length;
  }

  /** Schedules `kind` for `subject` at `time`. */
  public push(time: number, kind: number, subject: number, generation = 0): void {
    const event = this.free.pop() ?? { time: 0, sequence: 0, kind: 0, subject: 0, generation: 0 };
    event.time = time;
    event.sequence = this.sequence++;
    event.kind = kind;
    event.subject = subject;
    event.generation = generation;
    const heap = this.heap;
    let index = heap.length;
    heap.push(event);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(event, heap[parent])) break;
      heap[index] = heap[parent];
      index = parent;
    }
    heap[index] = event;
  }

  /** The earliest event, removed; `undefined` when none is left. Give it back with `release` once handled. */
  public pop(): SimEvent | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop()!;
    const length = heap.length;
    if (length > 0) {
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        if (left >= length) break;
        const right = left + 1;
        const child = right < length && before(heap[right], heap[left]) ? right : left;
        if (!before(heap[child], last)) break;
        heap[index] = heap[child];
        index = child;
      }
      heap[index] = last;
    }
    return top;
  }

  /** Returns a handled event to the free list. */
  public release(event: SimEvent): void {
    this.free.push(event);
  }
}

function before(a: SimEvent, b: SimEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.sequence < b.sequence);
}

/**
 * A seeded generator (mulberry32 over a splitmix-scrambled seed): the same seed gives the same
 * run, on every machine.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    let z = (Math.trunc(seed) + 0x9e3779b9) | 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    this.state = (z ^ (z >>> 16)) >>> 0;
  }

  /** A number in [0, 1). */
  public next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A number in [low, high). */
  public uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** An integer in [0, count). */
  public index(count: number): number {
    return Math.floor(this.next() * count);
  }

  /** A duration around `mean`, between half and one and a half times it: service times vary, but never by orders of magnitude. */
  public around(mean: number): number {
    return mean * (0.5 + this.next());
  }
}
