/**
 * The termination of one gateway pod, told as a timeline: what happens when, counted from t0 (the
 * moment the pod is deleted), and the margin between each step and the one it must come after.
 */

/** What an event is, for programs (the text is for people). */
export type TimelineEventKind =
  | 'deleted'
  | 'fails-health-check'
  | 'lb-marks-unhealthy'
  | 'lb-stops-new-connections'
  | 'stops-serving'
  | 'unhealthy-connections-reset'
  | 'prestop-ends'
  | 'exits'
  | 'sigkill';

/** One moment of the termination. */
export interface TimelineEvent {
  readonly kind: TimelineEventKind;
  /** Seconds from t0. */
  readonly atSeconds: number;
  /** What happens. */
  readonly what: string;
  /** Why it happens then: the arithmetic. */
  readonly why: string;
}

/** The slack between two events that must come in order. */
export interface TimelineMargin {
  /** What must come first, and what after. */
  readonly name: string;
  /** later − earlier, in seconds; negative when the order breaks. */
  readonly seconds: number;
  /** The margin the budget asks for. */
  readonly requiredSeconds: number;
  readonly ok: boolean;
  /** What goes wrong when it is not ok. */
  readonly consequence: string;
}

/** The explained termination of a gateway pod. */
export interface ExplainedTimeline {
  /** `Kind/namespace/name` of the gateway workload. */
  readonly gateway: string;
  /** `Kind/namespace/name` of the object configuring the load balancer. */
  readonly loadBalancer: string;
  /** Whether no load balancer was described and hitless assumed the AWS controller's defaults. */
  readonly loadBalancerAssumed: boolean;
  /** The load balancer's settings, in a line. */
  readonly loadBalancerSummary: string;
  /** Events in time order. */
  readonly events: TimelineEvent[];
  readonly margins: TimelineMargin[];
  /** What the timeline does not show, or assumes. */
  readonly notes: string[];
}
