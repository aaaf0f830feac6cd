import { Finding } from '../../lib/core/finding';
import { BootstrapFinder, judgeBootstrap, linkGlooClusters } from '../../lib/read/topology-envoy-link';
import { indexObjects } from '../../lib/read/topology-index';

const bootstrap = (port: number) => `admin:\n  address:\n    socket_address: {address: 127.0.0.1, port_value: ${port}}\nstatic_resources:\n  listeners: []\n  clusters: []\n`;
const configMap = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'edge' }, data });
const gateway = (configMaps: string[], args: string[] = []) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gateway', namespace: 'edge' },
  spec: {
    selector: { matchLabels: { app: 'gateway' } },
    template: {
      metadata: { labels: { app: 'gateway' } },
      spec: {
        containers: [{ name: 'envoy', image: 'envoyproxy/envoy:v1.31.0', args, volumeMounts: configMaps.map((name) => ({ name, mountPath: `/etc/${name}` })) }],
        volumes: configMaps.map((name) => ({ name, configMap: { name } })),
      },
    },
  },
});

describe('linking gateways to their Envoy configuration', () => {
  test('finds the bootstraps of mounted ConfigMaps, parses a shared ConfigMap once, and lists the ConfigMaps not in the input', () => {
    const findings: Finding[] = [];
    const index = indexObjects([configMap('envoy', { 'envoy.yaml': bootstrap(9901) }), gateway(['envoy', 'missing'])], findings);
    const finder = new BootstrapFinder(index.configMaps, findings);
    const reading = index.workloads.get('Deployment/edge/gateway')!;
    const first = finder.mountedInto(reading);
    const second = finder.mountedInto(reading);
    expect(first.bootstraps.map((each) => each.ref)).toEqual(['ConfigMap/edge/envoy']);
    expect(first.missing).toEqual(['ConfigMap/edge/missing']);
    expect(second.bootstraps[0].bootstrap).toBe(first.bootstraps[0].bootstrap);
  });

  test('judges the bootstrap Envoy\'s -c loads, not the first that looks like one', () => {
    const findings: Finding[] = [];
    const index = indexObjects([configMap('envoy', { 'a.yaml': bootstrap(9901), 'b.yaml': bootstrap(9902) }), gateway(['envoy'], ['-c', '/etc/envoy/b.yaml'])], findings);
    const reading = index.workloads.get('Deployment/edge/gateway')!;
    const { bootstraps } = new BootstrapFinder(index.configMaps, findings).mountedInto(reading);
    const { judged, notLoaded } = judgeBootstrap(reading, bootstraps, index.configMaps);
    expect(judged?.bootstrap).toBe(bootstraps[1].bootstrap);
    expect(notLoaded).toBeUndefined();
  });

  test('says why when the file -c loads is outside every ConfigMap of the input', () => {
    const findings: Finding[] = [];
    const index = indexObjects([configMap('envoy', { 'a.yaml': bootstrap(9901) }), gateway(['envoy'], ['-c', '/config/envoy.yaml'])], findings);
    const reading = index.workloads.get('Deployment/edge/gateway')!;
    const { bootstraps } = new BootstrapFinder(index.configMaps, findings).mountedInto(reading);
    expect(judgeBootstrap(reading, bootstraps, index.configMaps)).toEqual({ notLoaded: 'the file its -c loads (/config/envoy.yaml) is not in a ConfigMap in the input' });
  });

  test('Gloo: a route straight to a Service becomes a cluster; a route to an Upstream not in the input is reported', () => {
    const findings: Finding[] = [];
    const index = indexObjects([{
      apiVersion: 'gateway.solo.io/v1', kind: 'VirtualService', metadata: { name: 'shop', namespace: 'gloo-system' },
      spec: { virtualHost: { routes: [{ routeAction: { single: { kube: { ref: { name: 'orders', namespace: 'shop' }, port: 8080 } } } }, { routeAction: { single: { upstream: { name: 'gone' } } } }] } },
    }], findings);
    const gloo = linkGlooClusters(index, new Map(), findings);
    expect(gloo.present).toBe(true);
    expect(gloo.clusters.map((cluster) => cluster.service)).toEqual(['Service/shop/orders']);
    expect(findings.map((finding) => finding.rule)).toEqual(['gloo-upstream-not-found']);
  });
});
