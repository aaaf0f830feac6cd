import { Duration } from '../duration';
import { envoyCluster, ResolvedCluster } from './cluster';
import { overloadManager, ResolvedEdgeHardening } from './edge-hardening';
import { httpListener, TlsFiles } from './listener';
import { envoyRoute, ResolvedRoute } from './route';

/** An Envoy v3 bootstrap as proto3 JSON (`config.bootstrap.v3.Bootstrap`). */
export type EnvoyBootstrap = Record<string, unknown>;

/** Envoy's conventional admin port. */
export const DEFAULT_ADMIN_PORT = 9901;

/** Loopback only: the admin API is unauthenticated and can fail health checks, drain or quit Envoy. */
export const ADMIN_ADDRESS = '127.0.0.1';

/** What the gateway's bootstrap holds. */
export interface GatewayBootstrapOptions {
  /** @default 9901 */
  readonly adminPort?: number;
  readonly healthCheckPath: string;
  readonly idleTimeout: Duration;
  /** Port of the plain HTTP listener. */
  readonly httpPort: number;
  /** A second listener serving TLS from files. */
  readonly https?: { readonly port: number; readonly files: TlsFiles };
  readonly clusters: readonly ResolvedCluster[];
  /** In match order. */
  readonly routes: readonly ResolvedRoute[];
  /**
   * Every listener reads a PROXY protocol header first (the load balancer sends one).
   * @default false
   */
  readonly proxyProtocol?: boolean;
  /**
   * The limits of Envoy's edge guidance: overload manager, buffers, HTTP/2, header deadline.
   * @default - Envoy's own defaults
   */
  readonly edgeHardening?: ResolvedEdgeHardening;
}

/** The gateway's static bootstrap: admin on loopback, one or two listeners sharing the routes, one cluster per upstream. */
export function gatewayBootstrap(options: GatewayBootstrapOptions): EnvoyBootstrap {
  const adminPort = options.adminPort ?? DEFAULT_ADMIN_PORT;
  const known = new Set(options.clusters.map((cluster) => cluster.name));
  for (const route of options.routes) {
    if (!known.has(route.cluster)) throw new Error(`route '${route.name}' sends to cluster '${route.cluster}', which the bootstrap does not define`);
  }
  const routes = () => options.routes.map(envoyRoute);
  const common = { healthCheckPath: options.healthCheckPath, idleTimeout: options.idleTimeout, proxyProtocol: options.proxyProtocol ?? false, ...(options.edgeHardening ? { hardening: options.edgeHardening } : {}) };
  const listeners = [httpListener({ name: 'http', port: options.httpPort, routes: routes(), ...common })];
  if (options.https) {
    listeners.push(httpListener({ name: 'https', port: options.https.port, routes: routes(), tls: options.https.files, ...common }));
  }
  const hardening = options.edgeHardening;
  return {
    admin: { address: { socket_address: { address: ADMIN_ADDRESS, port_value: adminPort } } },
    ...(hardening ? { overload_manager: overloadManager(hardening) } : {}),
    static_resources: {
      listeners,
      clusters: options.clusters.map((cluster) => (hardening ? { ...envoyCluster(cluster), per_connection_buffer_limit_bytes: hardening.perConnectionBufferLimitBytes } : envoyCluster(cluster))),
    },
  };
}
