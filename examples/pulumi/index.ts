/**
 * A shop of two services behind an Envoy gateway and an AWS Network Load Balancer; rollouts,
 * restarts and node drains drop no request. `pulumi up` applies it to the cluster of the current
 * kubeconfig context; the AWS Load Balancer Controller makes the NLB from the Service's annotations.
 *
 * The same shop as examples/cdk8s, with the gateway and the NLB in front.
 */
import { Duration, DrainingService, HealthCheckedNlb, HitlessGateway } from '../../lib/pulumi';

// Every timing is derived: each service's preStop covers the gateway's discovery delay, the
// gateway keeps serving for the NLB's detection window, every grace period covers its drain.
const orders = new DrainingService('orders', {
  namespace: 'shop',
  image: 'ghcr.io/example/orders:1.4.2',
  port: 8080,
  readinessPath: '/ready',
  replicas: 3,
  // orders finishes payment calls after SIGTERM: give it more than the 5 s default.
  appDrainTime: Duration.seconds(15),
  spreadAcrossZones: true,
});

const catalog = new DrainingService('catalog', {
  namespace: 'shop',
  image: 'ghcr.io/example/catalog:2.0.1',
  port: 8080,
  readinessPath: '/healthz/ready',
  resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '256Mi' } },
});

// Routes are given here, so each service learns of the gateway before its Deployment is rendered.
const gateway = new HitlessGateway('edge', {
  namespace: 'edge',
  routes: [
    { prefix: '/orders', service: orders },
    { prefix: '/', service: catalog, idempotent: true },
  ],
});

// Faster health checks than the controller's defaults shorten every drain behind them.
const nlb = new HealthCheckedNlb('edge', {
  gateway,
  scheme: 'internet-facing',
  healthCheckInterval: Duration.seconds(5),
  healthCheckTimeout: Duration.seconds(3),
});

export const gatewayService = gateway.service.id;
export const gatewayKeepServingSeconds = gateway.keepServing.toSeconds();
export const ordersPreStopSeconds = orders.budget.apply((budget) => budget.keepServingSeconds);
export const loadBalancerAnnotations = nlb.serviceAnnotations;
