import { EventQueue, Random } from '../../lib/simulate/engine';

describe('EventQueue', () => {
  test('pops events in time order, ties in the order they were scheduled', () => {
    const queue = new EventQueue();
    const random = new Random(3);
    const times = Array.from({ length: 500 }, () => Math.floor(random.next() * 50));
    times.forEach((time, index) => queue.push(time, 0, index));
    const popped: [number, number][] = [];
    for (let event = queue.pop(); event; event = queue.pop()) {
      popped.push([event.time, event.subject]);
      queue.release(event);
    }
    const expected = times.map((time, index) => [time, index] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(popped).toEqual(expected);
  });

  test('reuses released events without mixing up their fields', () => {
    const queue = new EventQueue();
    queue.push(1, 7, 8, 9);
    const first = queue.pop()!;
    queue.release(first);
    queue.push(2, 1, 2, 3);
    expect(queue.pop()).toMatchObject({ time: 2, kind: 1, subject: 2, generation: 3 });
    expect(queue.size).toBe(0);
  });
});

describe('Random', () => {
  test('the same seed gives the same sequence; another seed another one', () => {
    const draw = (seed: number): number[] => {
      const random = new Random(seed);
      return Array.from({ length: 5 }, () => random.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  test('stays within its ranges and spreads evenly', () => {
    const random = new Random(1);
    const buckets = new Array<number>(10).fill(0);
    for (let index = 0; index < 10_000; index++) {
      const value = random.next();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      buckets[Math.floor(value * 10)]++;
    }
    for (const count of buckets) expect(count).toBeGreaterThan(850);
    for (let index = 0; index < 100; index++) {
      expect(random.index(3)).toBeLessThan(3);
      const around = random.around(2);
      expect(around).toBeGreaterThanOrEqual(1);
      expect(around).toBeLessThan(3);
    }
  });
});
