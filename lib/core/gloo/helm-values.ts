/**
 * The `gatewayProxies.gatewayProxy` values of Gloo Edge's Helm chart (`gloo`, or `gloo.` inside
 * `gloo-ee`) that decide how the gateway proxy starts, stops and rolls. Every name below is the
 * chart's own; the templates that read them:
 * @see https://github.com/solo-io/gloo/blob/main/install/helm/gloo/templates/7-gateway-proxy-deployment.yaml
 * @see https://github.com/solo-io/gloo/blob/main/install/helm/gloo/templates/8-gateway-proxy-service.yaml
 * @see https://github.com/solo-io/gloo/blob/main/install/helm/gloo/templates/8-gateway-proxy-pod-disruption-budget.yaml
 * @see https://github.com/solo-io/gloo/blob/main/install/helm/gloo/templates/_8-default-gateways.tpl
 * @see https://github.com/solo-io/gloo/blob/main/docs/content/reference/values.txt
 */

/** The chart's name of the default gateway proxy; its Deployment is `gateway-proxy`. */
export const DEFAULT_GLOO_PROXY_NAME = 'gatewayProxy';

/**
 * Gloo's default container ports of the proxy (`podTemplate.httpPort`, `podTemplate.httpsPort`)
 * and of its Service (`service.httpPort`, `service.httpsPort`).
 * @see https://github.com/solo-io/gloo/blob/main/install/helm/gloo/values-template.yaml
 */
export const GLOO_DEFAULT_PORTS = { podHttp: 8080, podHttps: 8443, serviceHttp: 80, serviceHttps: 443 } as const;

/** Where Gloo's bootstrap binds Envoy's admin (`loopBackAddress`, port 19000). */
export const GLOO_ADMIN_PORT = 19000;

/** A Kubernetes probe as the chart takes it in `podTemplate.customReadinessProbe`. */
export interface GlooProbeValues {
  readonly tcpSocket?: { readonly port: number | string };
  readonly httpGet?: { readonly path?: string; readonly port: number | string; readonly scheme?: string };
  readonly exec?: { readonly command: string[] };
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly successThreshold?: number;
  readonly failureThreshold?: number;
}

/** The subset of `gatewayProxies.<name>` hitless writes and reads. */
export interface GlooGatewayProxyValues {
  readonly kind: {
    /** Present (even empty) for a Deployment; Helm's `null` deletes the chart's default when a DaemonSet is wanted. */
    readonly deployment?: { readonly replicas?: number } | null;
    readonly daemonSet?: { readonly hostPort?: boolean; readonly hostNetwork?: boolean } | null;
  };
  /** Passed to the pod's `affinity` as is. */
  readonly affinity?: Record<string, unknown>;
  /** Preferred (not required) anti-affinity on `kubernetes.io/hostname` between all gateway proxies. */
  readonly antiAffinity?: boolean;
  readonly topologySpreadConstraints?: unknown[];
  readonly podTemplate: {
    readonly httpPort?: number;
    readonly httpsPort?: number;
    readonly terminationGracePeriodSeconds?: number;
    /** When enabled, preStop runs `wget --post-data "" -O /dev/null 127.0.0.1:19000/healthcheck/fail; sleep <sleepTimeSeconds>`. */
    readonly gracefulShutdown?: { readonly enabled?: boolean; readonly sleepTimeSeconds?: number };
    /** Turns the readiness probe on (`customReadinessProbe`, else `wget 127.0.0.1:19000/ready`). */
    readonly probes?: boolean;
    readonly customReadinessProbe?: GlooProbeValues | Record<string, never>;
    readonly livenessProbeEnabled?: boolean;
    readonly runUnprivileged?: boolean;
  };
  /** Rendered only for a Deployment. */
  readonly podDisruptionBudget?: { readonly minAvailable?: number | string; readonly maxUnavailable?: number | string };
  readonly gatewaySettings?: {
    readonly enabled?: boolean;
    readonly disableHttpGateway?: boolean;
    readonly disableHttpsGateway?: boolean;
    /** Becomes the generated Gateway's `spec.httpGateway`; `options.healthCheck.path` turns on Envoy's health check filter. */
    readonly customHttpGateway?: { readonly options?: { readonly healthCheck?: { readonly path: string } } & Record<string, unknown> } & Record<string, unknown>;
    readonly customHttpsGateway?: { readonly options?: { readonly healthCheck?: { readonly path: string } } & Record<string, unknown> } & Record<string, unknown>;
  };
  readonly service?: {
    readonly type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
    readonly name?: string;
    readonly httpPort?: number;
    readonly httpsPort?: number;
    readonly externalTrafficPolicy?: 'Cluster' | 'Local';
    readonly extraAnnotations?: Record<string, string>;
  };
  /** Merged over the rendered Deployment or DaemonSet (`mergeOverwrite`): the way to set fields the chart has no value for. */
  readonly kubeResourceOverride?: Record<string, unknown>;
  readonly loopBackAddress?: string;
  readonly namespace?: string;
  readonly disabled?: boolean;
}

/** A values file of the `gloo` chart (`gloo-ee` nests the same under `gloo`). */
export type GlooHelmValues = { readonly gatewayProxies: Record<string, GlooGatewayProxyValues> } | { readonly gloo: { readonly gatewayProxies: Record<string, GlooGatewayProxyValues> } };

/** What {@link glooGatewayProxyValues} renders, every number already solved. */
export interface GlooGatewayProxyPlan {
  readonly mode: 'deployment' | 'daemonset';
  /** Deployment only. */
  readonly replicas: number;
  /** DaemonSet only: bind the pod's ports on the node. */
  readonly hostPort: boolean;
  /** The preStop: fail the health check, keep serving, let connections finish, all in one sleep. */
  readonly sleepTimeSeconds: number;
  readonly terminationGracePeriodSeconds: number;
  readonly minReadySeconds: number;
  readonly healthCheckPath: string;
  readonly podHttpPort: number;
  readonly podHttpsPort: number;
  readonly serviceHttpPort: number;
  readonly serviceHttpsPort: number;
  readonly serviceType: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  readonly externalTrafficPolicy: 'Cluster' | 'Local';
  readonly serviceAnnotations: Record<string, string>;
  /** Pod labels the chart sets; used here to select the proxies for anti-affinity. */
  readonly proxyId: string;
  /** No HTTPS Gateway nor Service port. */
  readonly disableHttps?: boolean;
}

/** Gloo's pod label value for a gateway proxy: the proxy's name in kebab case, as the chart's `kebabcase`. */
export function glooProxyId(proxyName: string): string {
  return proxyName.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase();
}

/**
 * The readiness probe of a hitless Gloo proxy: TCP on the HTTP listener. It passes once Gloo has
 * pushed the listener, and keeps passing while the proxy drains; the chart's default
 * (`wget 127.0.0.1:19000/ready`) and the guide's (`httpGet` on the health-check path) both fail
 * the moment preStop calls `/healthcheck/fail`, which takes the endpoint out of `serving` and
 * makes kube-proxy drop the packets the load balancer still sends during its detection window.
 */
export function glooReadinessProbe(podHttpPort: number): GlooProbeValues {
  return { tcpSocket: { port: podHttpPort }, initialDelaySeconds: 0, periodSeconds: 2, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 };
}

/** The `gatewayProxies.<name>` values for a solved plan. */
export function glooGatewayProxyValues(plan: GlooGatewayProxyPlan): GlooGatewayProxyValues {
  const deployment = plan.mode === 'deployment';
  const healthCheck = () => ({ options: { healthCheck: { path: plan.healthCheckPath } } });
  return {
    kind: deployment
      ? { deployment: { replicas: plan.replicas }, daemonSet: null }
      // hostNetwork false: only the traffic ports go on the node, not Envoy's admin (chart default is true with hostPort).
      : { deployment: null, daemonSet: { hostPort: plan.hostPort, ...(plan.hostPort ? { hostNetwork: false } : {}) } },
    ...(deployment
      ? {
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: { matchLabels: { 'gateway-proxy-id': plan.proxyId } }, topologyKey: 'kubernetes.io/hostname' },
            ],
          },
        },
      }
      : {}),
    podTemplate: {
      httpPort: plan.podHttpPort,
      httpsPort: plan.podHttpsPort,
      terminationGracePeriodSeconds: plan.terminationGracePeriodSeconds,
      gracefulShutdown: { enabled: true, sleepTimeSeconds: plan.sleepTimeSeconds },
      probes: true,
      customReadinessProbe: glooReadinessProbe(plan.podHttpPort),
      runUnprivileged: true,
    },
    ...(deployment ? { podDisruptionBudget: { maxUnavailable: 1 } } : {}),
    gatewaySettings: plan.disableHttps
      ? { enabled: true, disableHttpsGateway: true, customHttpGateway: healthCheck() }
      : { enabled: true, customHttpGateway: healthCheck(), customHttpsGateway: healthCheck() },
    service: {
      type: plan.serviceType,
      httpPort: plan.serviceHttpPort,
      httpsPort: plan.serviceHttpsPort,
      ...(plan.serviceType === 'ClusterIP' ? {} : { externalTrafficPolicy: plan.externalTrafficPolicy }),
      ...(Object.keys(plan.serviceAnnotations).length > 0 ? { extraAnnotations: { ...plan.serviceAnnotations } } : {}),
    },
    kubeResourceOverride: {
      spec: deployment
        ? { minReadySeconds: plan.minReadySeconds, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }
        // A surge pod can't bind the host port: replace one node's proxy at a time.
        : { minReadySeconds: plan.minReadySeconds, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } },
    },
    loopBackAddress: '127.0.0.1',
  };
}

/** A whole values file holding one gateway proxy. */
export function glooHelmValues(proxyName: string, proxy: GlooGatewayProxyValues, options: { enterprise?: boolean } = {}): GlooHelmValues {
  const gatewayProxies = { [proxyName]: proxy };
  return options.enterprise ? { gloo: { gatewayProxies } } : { gatewayProxies };
}
