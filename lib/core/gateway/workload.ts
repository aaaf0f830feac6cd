import { checkReplicasAtMost } from '../prop-bounds';

/** Options of {@link GatewayWorkload.deployment}. */
export interface DeploymentWorkloadOptions {
  /**
   * Gateway pods. At least 2, so a node drain or a rollout always leaves one serving. Pods are
   * placed one per node (required anti-affinity), and a rollout surges one extra pod: the cluster
   * needs at least `replicas + 1` schedulable nodes or the surge pod stays Pending.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Topology key the pods are spread over, besides one per node (soft: `ScheduleAnyway`).
   * @default 'topology.kubernetes.io/zone'
   */
  readonly zoneTopologyKey?: string;
}

/** Options of {@link GatewayWorkload.daemonSet}. */
export interface DaemonSetWorkloadOptions {
  /**
   * Node port the HTTP listener also binds (`hostPort`), for load balancers that target nodes
   * on a fixed port. Such a DaemonSet rolls with maxUnavailable 1 and maxSurge 0: a surge pod
   * could not bind the port and the rollout would stall.
   * @default - no host port: traffic arrives through the Service only
   * @see https://github.com/kubernetes/kubernetes/issues/106417
   */
  readonly hostPort?: number;
  /** Host port for the HTTPS listener, when TLS is on. @default - none */
  readonly httpsHostPort?: number;
  /**
   * Run in the node's network namespace. Off unless asked: the admin API would then sit on the
   * node's loopback, shared with every other host-network pod.
   * @default false
   */
  readonly hostNetwork?: boolean;
}

type Shape =
  | { readonly mode: 'deployment'; readonly replicas: number; readonly zoneTopologyKey: string }
  | { readonly mode: 'daemonset'; readonly hostPort?: number; readonly httpsHostPort?: number; readonly hostNetwork: boolean };

/** The Kubernetes constraint key for one pod per node. */
export const HOSTNAME_TOPOLOGY_KEY = 'kubernetes.io/hostname';

function port(prop: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`'${prop}' (${value}) must be a port number, 1 to 65535`);
  return value;
}

/** How the gateway pods are run: a Deployment spread one per node, or a DaemonSet. */
export class GatewayWorkload {
  /** A Deployment: one pod per node, spread over zones, surge-only rollout, PodDisruptionBudget. */
  public static deployment(options: DeploymentWorkloadOptions = {}): GatewayWorkload {
    const replicas = options.replicas ?? 2;
    if (!Number.isInteger(replicas) || replicas < 2) {
      throw new Error(`'replicas' (${replicas}) must be a whole number, at least 2: with one gateway pod, a node drain or eviction leaves nothing to serve`);
    }
    checkReplicasAtMost('replicas', replicas);
    return new GatewayWorkload({ mode: 'deployment', replicas, zoneTopologyKey: options.zoneTopologyKey ?? 'topology.kubernetes.io/zone' });
  }

  /** A DaemonSet: one pod on every node, optionally binding host ports; rolls one node at a time. */
  public static daemonSet(options: DaemonSetWorkloadOptions = {}): GatewayWorkload {
    return new GatewayWorkload({
      mode: 'daemonset',
      hostPort: port('hostPort', options.hostPort),
      httpsHostPort: port('httpsHostPort', options.httpsHostPort),
      hostNetwork: options.hostNetwork ?? false,
    });
  }

  private constructor(public readonly shape: Shape) {}

  public get mode(): Shape['mode'] {
    return this.shape.mode;
  }

  public get kind(): 'Deployment' | 'DaemonSet' {
    return this.shape.mode === 'deployment' ? 'Deployment' : 'DaemonSet';
  }

  /** Host ports bound, HTTP first. */
  public get hostPorts(): number[] {
    if (this.shape.mode !== 'daemonset') return [];
    return [this.shape.hostPort, this.shape.httpsHostPort].filter((each): each is number => each !== undefined);
  }

  public get hostNetwork(): boolean {
    return this.shape.mode === 'daemonset' && this.shape.hostNetwork;
  }

  /** maxSurge and maxUnavailable, resolved. */
  public get rollout(): { readonly maxSurge: number; readonly maxUnavailable: number } {
    // Deployment: add before removing (maxUnavailable 0). DaemonSet: surge is impossible with a
    // host port, and pointless per node otherwise, so one node at a time goes down and comes back.
    return this.shape.mode === 'deployment' ? { maxSurge: 1, maxUnavailable: 0 } : { maxSurge: 0, maxUnavailable: 1 };
  }

  /** Pod spec fields that place the pods. */
  public placement(selector: Record<string, string>): Record<string, unknown> {
    if (this.shape.mode === 'daemonset') {
      // A host-network pod resolves through the node's resolv.conf unless told otherwise, and then
      // cannot resolve the headless Services its clusters point at.
      return this.shape.hostNetwork ? { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' } : {};
    }
    return {
      affinity: {
        podAntiAffinity: {
          // Required: with externalTrafficPolicy Local, two gateways on one node would keep the
          // node's health check green while one of them drains.
          requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { ...selector } }, topologyKey: HOSTNAME_TOPOLOGY_KEY }],
        },
      },
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: this.shape.zoneTopologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { ...selector } } }],
    };
  }

  /** The workload's spec, around its pod template. */
  public spec(selector: Record<string, string>, template: Record<string, unknown>, minReadySeconds: number): Record<string, unknown> {
    const rollout = this.rollout;
    if (this.shape.mode === 'deployment') {
      return {
        replicas: this.shape.replicas,
        minReadySeconds,
        selector: { matchLabels: { ...selector } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: rollout.maxSurge, maxUnavailable: rollout.maxUnavailable } },
        template,
      };
    }
    return {
      minReadySeconds,
      selector: { matchLabels: { ...selector } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: rollout.maxSurge, maxUnavailable: rollout.maxUnavailable } },
      template,
    };
  }

  /** Replicas as the model counts them (a DaemonSet's depend on the nodes: 0 here). */
  public get replicas(): number {
    return this.shape.mode === 'deployment' ? this.shape.replicas : 0;
  }

  /** Topology keys the pods are spread over. */
  public get spreadTopologyKeys(): string[] {
    return this.shape.mode === 'deployment' ? [HOSTNAME_TOPOLOGY_KEY, this.shape.zoneTopologyKey] : [HOSTNAME_TOPOLOGY_KEY];
  }
}
