import * as fs from 'fs';
import * as path from 'path';
import { readManifestText } from '../../lib/read';

const careful = () => fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'check', 'careful-envoy.yaml'), 'utf8');
const rules = (findings: { rule: string }[]) => findings.map((finding) => finding.rule);
const sendsProxyProtocol = (text: string) => text.replace('    service.beta.kubernetes.io/aws-load-balancer-type: external\n', '    service.beta.kubernetes.io/aws-load-balancer-type: external\n    service.beta.kubernetes.io/aws-load-balancer-proxy-protocol: "*"\n');
const readsProxyProtocol = (text: string, extra = '') => text.replace(/( +)- name: http\n( +)address:/, (_all, indent, inner) => `${indent}- name: http\n${inner}listener_filters:\n${inner}- name: envoy.filters.listener.proxy_protocol\n${inner}  typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.listener.proxy_protocol.v3.ProxyProtocol${extra}}\n${inner}address:`);

describe('PROXY protocol end to end', () => {
  test('an NLB sending PROXY protocol v2 to a listener without the filter is an error (a total outage)', () => {
    const { findings } = readManifestText(sendsProxyProtocol(careful()), 'x.yaml');
    expect(rules(findings)).toEqual(['proxy-protocol-not-read']);
    expect(findings[0]).toMatchObject({ severity: 'error', objects: ['Service/edge/gateway', 'ConfigMap/edge/gateway-envoy', 'Deployment/edge/gateway'] });
    expect(findings[0].message).toContain('listener http');
  });

  test('with the listener filter on both sides, nothing is said', () => {
    expect(readManifestText(readsProxyProtocol(sendsProxyProtocol(careful())), 'x.yaml').findings).toEqual([]);
  });

  test('a listener that requires the header behind an NLB that sends none refuses every connection', () => {
    const { findings } = readManifestText(readsProxyProtocol(careful()), 'x.yaml');
    expect(rules(findings)).toEqual(['proxy-protocol-not-sent']);
    expect(readManifestText(readsProxyProtocol(careful(), ', allow_requests_without_proxy_protocol: true'), 'x.yaml').findings).toEqual([]);
  });
});
