/**
 * A shop of two services that roll out, scale in and survive node drains without dropping a
 * request. `cdk8s synth` writes the manifests to cdk8s.out/.
 */
import { App, Chart, ChartProps, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { DrainingService } from 'hitless';

export class Shop extends Chart {
  public readonly orders: DrainingService;
  public readonly catalog: DrainingService;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'shop', ...props });

    // Every timing is derived: the preStop covers the slowest gateway's discovery delay, the
    // grace period covers the preStop and the app's own drain, minReadySeconds lets gateways
    // find a new pod before the rollout moves on.
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
  }
}

const app = new App();
new Shop(app, 'shop');
app.synth();
