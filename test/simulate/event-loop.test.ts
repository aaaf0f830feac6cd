import { EventKind, EventLoop } from '../../lib/simulate/event-loop';

describe('EventLoop', () => {
  test('runs events in time order, ties in the order scheduled, with now at each event', () => {
    const loop = new EventLoop();
    loop.at(2, EventKind.PodStart, 1);
    loop.at(1, EventKind.Send, 2);
    loop.at(2, EventKind.PodExit, 3, 7);
    const seen: [number, EventKind, number, number][] = [];
    loop.run(() => 10, (kind, subject, generation) => seen.push([loop.now, kind, subject, generation]));
    expect(seen).toEqual([[1, EventKind.Send, 2, 0], [2, EventKind.PodStart, 1, 0], [2, EventKind.PodExit, 3, 7]]);
  });

  test('stops at the first event past the end, read anew before each event', () => {
    const loop = new EventLoop();
    let end = 100;
    for (let time = 1; time <= 5; time++) loop.at(time, EventKind.Send, time);
    const seen: number[] = [];
    loop.run(() => end, (_kind, subject) => {
      seen.push(subject);
      if (subject === 2) end = 3.5;
    });
    expect(seen).toEqual([1, 2, 3]);
  });

  test('an event scheduled while handling one runs in its turn', () => {
    const loop = new EventLoop();
    loop.at(1, EventKind.Send, 1);
    loop.at(3, EventKind.Send, 3);
    const seen: number[] = [];
    loop.run(() => 10, (_kind, subject) => {
      seen.push(subject);
      if (subject === 1) loop.at(2, EventKind.Send, 2);
    });
    expect(seen).toEqual([1, 2, 3]);
  });
});
