/**
 * A shop of two services behind an Envoy gateway behind an AWS NLB: every piece rolls out,
 * scales in and survives node drains without dropping a request. `cdk8s synth` writes the
 * manifests to cdk8s.out/.
 */
import { App, Chart, ChartProps, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { DrainingService, HealthCheckedNlb, HitlessGateway } from 'hitless/cdk8s';

export class Shop extends Chart {
  public readonly orders: DrainingService;
  public readonly catalog: DrainingService;
  public readonly gateway: HitlessGateway;
  public readonly nlb: HealthCheckedNlb;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'shop', ...props });

    // Every timing is derived: the preStop covers the slowest gateway's discovery delay, and the
    // grace period covers the preStop and the app's own drain. No minReadySeconds is needed: old
    // pods serve until every gateway has forgotten them.
    this.orders = new DrainingService(this, 'orders', {
      name: 'orders',
      image: 'ghcr.io/example/orders:1.4.2',
      port: 8080,
      readinessPath: '/ready',
      replicas: 3,
      // orders finishes payment calls after SIGTERM: give it more than the 5 s default.
      appDrainTime: Duration.seconds(15),
      spreadAcrossZones: true,
    });

    this.catalog = new DrainingService(this, 'catalog', {
      name: 'catalog',
      image: 'ghcr.io/example/catalog:2.0.1',
      port: 8080,
      readinessPath: '/healthz/ready',
      resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '256Mi' } },
    });

    // Two Envoy pods, never on the same node, that fail their health check, keep serving until
    // the NLB has noticed, drain, then exit. Each route tells its service how this gateway finds
    // pods, and the service's preStop grows to match.
    this.gateway = new HitlessGateway(this, 'gateway', { name: 'gateway', namespace: 'edge' });
    this.gateway.addRoute({ prefix: '/orders', service: this.orders });
    // Catalog reads are safe to repeat, so 5xx answers are retried too.
    this.gateway.addRoute({ prefix: '/catalog', service: this.catalog, idempotent: true });

    // The NLB's health checks set the pace: the gateway's drain, grace period and
    // minReadySeconds are solved against them.
    this.nlb = new HealthCheckedNlb(this, 'nlb', { gateway: this.gateway, scheme: 'internet-facing' });
  }
}

const app = new App();
new Shop(app, 'shop');
app.synth();
