/**
 * A shop service behind an Envoy gateway behind a GKE Ingress with container-native load
 * balancing (NEGs): rollouts and node drains drop no request. `cdk8s synth` writes the manifests
 * to cdk8s.out/; GKE's Ingress controller makes the load balancer from the Ingress, the NEG-
 * annotated Service and the BackendConfig.
 */
import { App, Chart, ChartProps, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { DrainingService, GkeLoadBalancer, HitlessGateway } from 'hitless/cdk8s';

export class GkeShop extends Chart {
  public readonly orders: DrainingService;
  public readonly gateway: HitlessGateway;
  public readonly loadBalancer: GkeLoadBalancer;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'shop', ...props });

    this.orders = new DrainingService(this, 'orders', {
      name: 'orders',
      image: 'ghcr.io/example/orders:1.4.2',
      port: 8080,
      readinessPath: '/ready',
      replicas: 3,
      appDrainTime: Duration.seconds(15),
    });

    this.gateway = new HitlessGateway(this, 'gateway', { name: 'gateway', namespace: 'edge' });
    this.gateway.addRoute({ prefix: '/', service: this.orders });

    // GKE stops sending to a gateway pod when its NEG endpoint is detached (about 40 s, Google's
    // figure; measure yours and set negDetachLatency), or sooner when the health check fails it.
    // The BackendConfig's 5 s checks fail a draining gateway in 15 s; connection draining covers
    // the drain, so no request in flight is cut at the detach.
    this.loadBalancer = new GkeLoadBalancer(this, 'gke', { gateway: this.gateway, shape: 'ingress' });
  }
}

if (require.main === module) {
  const app = new App();
  new GkeShop(app, 'shop');
  app.synth();
}
