/**
 * The shop of examples/gke/cdk8s with Pulumi: a service behind an Envoy gateway behind a GKE
 * Gateway (Gateway API) with a HealthCheckPolicy and a GCPBackendPolicy. `pulumi up` applies it
 * to the GKE cluster of the current kubeconfig context; GKE's Gateway controller makes the load
 * balancer and its NEGs.
 */
import { DrainingService, HitlessGateway, seconds } from '../../../lib/pulumi';

const orders = new DrainingService('orders', {
  namespace: 'shop',
  image: 'ghcr.io/example/orders:1.4.2',
  port: 8080,
  readinessPath: '/ready',
  replicas: 3,
  appDrainTime: seconds(15),
});

// The NEG detach is undocumented: 40 s is Google's example; measure your cluster and set it here.
const gateway = new HitlessGateway('gateway', {
  namespace: 'edge',
  routes: [{ prefix: '/', service: orders }],
  gke: { shape: 'gateway', negDetachLatency: seconds(40) },
});

export const gatewayKeepServingSeconds = gateway.keepServing.toSeconds();
export const connectionDrainingSeconds = gateway.gke!.connectionDrainingSeconds;
