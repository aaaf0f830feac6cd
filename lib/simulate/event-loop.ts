import { EventQueue } from './engine';

/**
 * The simulator's clock and scheduler: events run in time order (ties in the order they were
 * scheduled), and each subsystem schedules what it will do next through {@link EventLoop.at}.
 */

/** What an event does; its subject is a worker, a load-balancer target or a pod, as the kind says. */
export enum EventKind {
  Send, Complete, SynRetry, EnvoyRetry, LbCheck, LbResult, LbReset, PodStart, PodReady, PodAvailable, PreStopPoll, PodSigterm, PodExit, DnsRefresh, EdsUpdate, ScenarioStart, Evict, DeregistrationCut,
}

/** Handles one event at the loop's `now`. */
export type EventHandler = (kind: EventKind, subject: number, generation: number) => void;

export class EventLoop {
  private readonly queue = new EventQueue();
  private current = 0;

  /** The time of the event being handled, in seconds from the start of the run. */
  public get now(): number {
    return this.current;
  }

  /** Schedules `kind` for `subject` at `time`; `generation` lets a handler skip an event that no longer holds. */
  public at(time: number, kind: EventKind, subject: number, generation = 0): void {
    this.queue.push(time, kind, subject, generation);
  }

  /** Runs events until none is left or the next one is past `end()` (read anew before each event: the end may move). */
  public run(end: () => number, handle: EventHandler): void {
    const queue = this.queue;
    for (let event = queue.pop(); event !== undefined; event = queue.pop()) {
      if (event.time > end()) {
        queue.release(event);
        break;
      }
      this.current = event.time;
      handle(event.kind, event.subject, event.generation);
      queue.release(event);
    }
  }
}
