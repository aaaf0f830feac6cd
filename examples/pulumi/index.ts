/**
 * A shop of two services behind an Envoy gateway and an AWS Network Load Balancer; rollouts,
 * restarts and node drains drop no request. `pulumi up` applies it to the cluster of the current
 * kubeconfig context; the AWS Load Balancer Controller makes the NLB from the Service's annotations.
 *
 * The same shop as examples/cdk8s, with the gateway and the NLB in front.
 */
import { DrainingService, HitlessGateway, seconds } from 'hitless/pulumi';

// Every timing is derived: each service's preStop covers the gateway's discovery delay, the
// gateway keeps serving for the NLB's detection window, every grace period covers its drain.
const orders = new DrainingService('orders', {
  namespace: 'shop',
  image: 'ghcr.io/example/orders:1.4.2',
  port: 8080,
  readinessPath: '/ready',
  replicas: 3,
  // orders finishes payment calls after SIGTERM: give it more than the 5 s default.
  appDrainTime: seconds(15),
  spreadAcrossZones: true,
});

const catalog = new DrainingService('catalog', {
  namespace: 'shop',
  image: 'ghcr.io/example/catalog:2.0.1',
  port: 8080,
  readinessPath: '/healthz/ready',
  resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '256Mi' } },
});

// Everything the gateway depends on is given here, so it solves and renders once, in its
// constructor: the routes (each service checks that its preStop covers this gateway's discovery)
// and the NLB, whose faster health checks than the controller's defaults shorten the drain.
const gateway = new HitlessGateway('edge', {
  namespace: 'edge',
  routes: [
    { prefix: '/orders', service: orders },
    { prefix: '/', service: catalog, idempotent: true },
  ],
  nlb: {
    scheme: 'internet-facing',
    healthCheckInterval: seconds(5),
    healthCheckTimeout: seconds(3),
  },
});

export const gatewayService = gateway.service.id;
export const gatewayKeepServingSeconds = gateway.keepServing.toSeconds();
export const ordersPreStopSeconds = orders.budget.keepServingSeconds;
export const loadBalancerAnnotations = gateway.nlb!.serviceAnnotations;
