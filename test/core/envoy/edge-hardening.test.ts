import { hardenedConnectionManagerFields, overloadManager, resolveEdgeHardening } from '../../../lib/core/envoy/edge-hardening';
import { expectValidEnvoyMessage } from '../../support/envoy';

describe('edge hardening', () => {
  test('defaults to the values of Envoy\'s edge guidance, each valid against Envoy\'s protos', () => {
    const hardening = resolveEdgeHardening();
    expect(hardening).toMatchObject({ maxDownstreamConnections: 50_000, perConnectionBufferLimitBytes: 32_768, http2MaxConcurrentStreams: 100, http2InitialStreamWindowSize: 65_536, http2InitialConnectionWindowSize: 1_048_576 });
    expectValidEnvoyMessage('envoy.config.overload.v3.OverloadManager', overloadManager(hardening));
    const manager = { stat_prefix: 'x', route_config: {}, http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }], ...hardenedConnectionManagerFields(hardening) };
    expectValidEnvoyMessage('envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager', manager);
    expect(hardenedConnectionManagerFields(hardening)).toMatchObject({ request_headers_timeout: '10s', internal_address_config: { cidr_ranges: [{ address_prefix: '127.0.0.1', prefix_len: 32 }, { address_prefix: '::1', prefix_len: 128 }] } });
  });

  test('every value is overridable, and out-of-bounds ones are refused naming the prop, value and bound', () => {
    expect(resolveEdgeHardening({ maxDownstreamConnections: 1000, requestHeadersTimeoutSeconds: 3 })).toMatchObject({ maxDownstreamConnections: 1000 });
    expect(() => resolveEdgeHardening({ maxDownstreamConnections: 0 })).toThrow("'edgeHardening.maxDownstreamConnections' (0) must be a whole number from 1 to 10000000");
    expect(() => resolveEdgeHardening({ http2InitialStreamWindowSize: 1000 })).toThrow("'edgeHardening.http2InitialStreamWindowSize' (1000) must be a whole number from 65535");
    expect(() => resolveEdgeHardening({ perConnectionBufferLimitBytes: 1.5 })).toThrow("'edgeHardening.perConnectionBufferLimitBytes' (1.5)");
    expect(() => resolveEdgeHardening({ requestHeadersTimeoutSeconds: 0 })).toThrow("'edgeHardening.requestHeadersTimeoutSeconds' (0) must be a whole number from 1 to 3600: Envoy reads 0 as no deadline");
  });
});
