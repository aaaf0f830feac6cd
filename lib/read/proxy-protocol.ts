import { Finding } from '../core/finding';
import { ServiceModel } from '../core/model';

/**
 * PROXY protocol must hold end to end or not at all. An NLB target group with
 * `proxy_protocol_v2.enabled` prepends a binary header to every connection, its health checks
 * included; a listener without Envoy's `proxy_protocol` listener filter reads that header as a
 * malformed HTTP request and closes the connection, so every request and every health check
 * fails: a total outage on the first apply. The other way round, a listener that requires the
 * header (the filter's default) refuses every connection of a load balancer that sends none.
 * And kube-proxy's healthCheckNodePort server reads plain HTTP: a health check sent there with
 * the header fails on every node.
 *
 * That health checks carry the header too is AWS's own statement, not an inference: the NLB
 * target-group documentation (proxy protocol section) says that once proxy protocol is on, health
 * check connections from the load balancer include the header as well, only without the client's
 * connection information. (Quoted in gitlab-org/charts/gitlab merge request 3014, whose ingress
 * logged "broken header" for every health check until it moved them to a port without the header.)
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#proxy-protocol
 * @see https://gitlab.com/gitlab-org/charts/gitlab/-/merge_requests/3014
 * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/listeners/listener_filters/proxy_protocol
 */
export function proxyProtocolFindings(
  workload: string,
  services: readonly ServiceModel[],
  bootstrap: { readonly object: string; readonly listeners?: { readonly reading: string[]; readonly notReading: string[]; readonly requiring: string[] } } | undefined,
): Finding[] {
  const findings: Finding[] = [];
  const balanced = services.filter((service) => service.loadBalancer !== undefined);
  for (const service of balanced) {
    const lb = service.loadBalancer!;
    const sends = lb.proxyProtocolV2 === true;
    const listeners = bootstrap?.listeners;
    if (sends && listeners && listeners.notReading.length > 0) {
      findings.push({
        rule: 'proxy-protocol-not-read',
        category: 'schema',
        severity: 'error',
        objects: [lb.object, bootstrap!.object, workload],
        message: `${lb.object} sends a PROXY protocol v2 header on every connection, health checks included, but listener${listeners.notReading.length > 1 ? 's' : ''} ${listeners.notReading.join(', ')} in ${bootstrap!.object} ${listeners.notReading.length > 1 ? 'have' : 'has'} no proxy_protocol listener filter: Envoy reads the header as a bad request and every connection of ${workload} fails.`,
        fix: `add listener_filters: [{name: envoy.filters.listener.proxy_protocol, typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.listener.proxy_protocol.v3.ProxyProtocol}}] to every listener in ${bootstrap!.object}, or turn proxy_protocol_v2.enabled off`,
      });
    }
    if (sends && lb.healthCheckPort === 'healthCheckNodePort') {
      findings.push({
        rule: 'proxy-protocol-health-check-node-port',
        category: 'schema',
        severity: 'error',
        objects: [lb.object],
        message: `${lb.object} sends a PROXY protocol v2 header on its health checks too, to kube-proxy's healthCheckNodePort, which reads plain HTTP: every target fails its health check.`,
        fix: `point the health check of ${lb.object} at the gateway's own listener (healthcheck-port: traffic-port, with the gateway's health check path), or turn proxy_protocol_v2.enabled off`,
      });
    }
    if (!sends && lb.provider === 'aws-nlb' && listeners && listeners.requiring.length > 0) {
      findings.push({
        rule: 'proxy-protocol-not-sent',
        category: 'schema',
        severity: 'error',
        objects: [lb.object, bootstrap!.object, workload],
        message: `listener${listeners.requiring.length > 1 ? 's' : ''} ${listeners.requiring.join(', ')} in ${bootstrap!.object} require${listeners.requiring.length > 1 ? '' : 's'} a PROXY protocol header, but ${lb.object} sends none (proxy_protocol_v2.enabled is not set): Envoy closes every connection of ${workload}.`,
        fix: `enable proxy_protocol_v2 on ${lb.object}, or remove the proxy_protocol listener filter (or set allow_requests_without_proxy_protocol)`,
      });
    }
  }
  return findings;
}
