/**
 * Gloo Edge in front of two services, behind an AWS NLB, rolling without dropping a request.
 *
 * `cdk8s synth` writes to cdk8s.out/:
 * - shop.k8s.yaml: the services (Deployments, Services, PodDisruptionBudgets) and Gloo's
 *   Upstreams and VirtualService (install Gloo first: they are its custom resources);
 * - shop.gloo-values.yaml: the gateway proxy's Helm values, solved from the NLB's health checks:
 *
 *     helm upgrade --install gloo gloo/gloo -n gloo-system -f cdk8s.out/shop.gloo-values.yaml
 *
 * `hitless check cdk8s.out/` reads both and finds nothing that drops a request.
 */
import { App, Chart, ChartProps, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { DrainingService, GlooEdgeGateway, HealthCheckedNlb } from 'hitless/cdk8s';

export class Shop extends Chart {
  public readonly gateway: GlooEdgeGateway;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'shop', ...props });

    const orders = new DrainingService(this, 'orders', {
      name: 'orders',
      image: 'ghcr.io/example/orders:1.4.2',
      readinessPath: '/ready',
      replicas: 3,
      appDrainTime: Duration.seconds(15),
    });
    const catalog = new DrainingService(this, 'catalog', {
      name: 'catalog',
      image: 'ghcr.io/example/catalog:2.0.1',
      readinessPath: '/healthz/ready',
    });

    // No timing is set here: the proxy's preStop sleep, grace period and minReadySeconds come
    // from the NLB's health checks, and each service's preStop from Gloo's EDS push delay.
    this.gateway = new GlooEdgeGateway(this, 'gloo', {
      replicas: 3,
      // The NLB checks the traffic port with one protocol: keep the HTTPS port out of its target groups.
      disableHttps: true,
    });
    this.gateway.addRoute({ prefix: '/orders', service: orders });
    // Catalog reads are idempotent: they are also retried on 5xx.
    this.gateway.addRoute({ prefix: '/catalog', service: catalog, idempotent: true });

    new HealthCheckedNlb(this, 'nlb', {
      gateway: this.gateway,
      scheme: 'internet-facing',
      healthCheckInterval: Duration.seconds(5),
      healthCheckTimeout: Duration.seconds(2),
    });
  }
}

const app = new App();
new Shop(app, 'shop');
app.synth();
// cdk8s has no post-synth hook for constructs: the values files are written on request.
GlooEdgeGateway.writeValuesFiles(app);
