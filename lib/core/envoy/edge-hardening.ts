/**
 * The settings Envoy's own edge guidance asks of a proxy that faces the internet, applied by
 * default and each overridable. Envoy's defaults are tuned for a service mesh: unbounded
 * connections, 1 MiB buffers per connection, 2^31 HTTP/2 streams per connection, no deadline for
 * a client to send its headers, and private (RFC 1918) clients treated as internal, whose
 * `x-envoy-*` headers are then honoured.
 * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/best_practices/edge
 */
export interface EdgeHardeningOptions {
  /**
   * Downstream connections the whole proxy holds at most (the overload manager's
   * `global_downstream_max_connections` monitor); past it, new connections are refused. Envoy
   * Gateway sets the same 50,000.
   * @default 50000
   * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/operations/overload_manager/overload_manager#limiting-active-connections
   */
  readonly maxDownstreamConnections?: number;
  /**
   * `per_connection_buffer_limit_bytes` of listeners and clusters (the edge guidance: 32 KiB).
   * @default 32768
   */
  readonly perConnectionBufferLimitBytes?: number;
  /**
   * HTTP/2 streams one client connection may have open (the edge guidance: 100).
   * @default 100
   */
  readonly http2MaxConcurrentStreams?: number;
  /**
   * HTTP/2 initial stream window (the edge guidance: 64 KiB).
   * @default 65536
   */
  readonly http2InitialStreamWindowSize?: number;
  /**
   * HTTP/2 initial connection window (the edge guidance: 1 MiB).
   * @default 1048576
   */
  readonly http2InitialConnectionWindowSize?: number;
  /**
   * How long a client may take to send its request headers (`request_headers_timeout`): bounds
   * slow-header (slowloris) connections.
   * Whole seconds, at least 1.
   * @default 10
   */
  readonly requestHeadersTimeoutSeconds?: number;
}

/** {@link EdgeHardeningOptions} with every default applied and checked. */
export interface ResolvedEdgeHardening {
  readonly maxDownstreamConnections: number;
  readonly perConnectionBufferLimitBytes: number;
  readonly http2MaxConcurrentStreams: number;
  readonly http2InitialStreamWindowSize: number;
  readonly http2InitialConnectionWindowSize: number;
  readonly requestHeadersTimeoutSeconds: number;
}

function whole(prop: string, value: number, min: number, max: number, why: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`'edgeHardening.${prop}' (${value}) must be a whole number from ${min} to ${max}: ${why}`);
  return value;
}

/** Applies the defaults and Envoy's bounds (from its protos' validation rules). */
export function resolveEdgeHardening(options: EdgeHardeningOptions = {}): ResolvedEdgeHardening {
  return {
    maxDownstreamConnections: whole('maxDownstreamConnections', options.maxDownstreamConnections ?? 50_000, 1, 10_000_000, 'the overload manager needs a positive limit'),
    perConnectionBufferLimitBytes: whole('perConnectionBufferLimitBytes', options.perConnectionBufferLimitBytes ?? 32_768, 1024, 4_294_967_295, 'a uint32 of bytes; under 1 KiB no request fits'),
    http2MaxConcurrentStreams: whole('http2MaxConcurrentStreams', options.http2MaxConcurrentStreams ?? 100, 1, 2_147_483_647, "Envoy's HTTP/2 bounds"),
    http2InitialStreamWindowSize: whole('http2InitialStreamWindowSize', options.http2InitialStreamWindowSize ?? 65_536, 65_535, 2_147_483_647, "Envoy's HTTP/2 bounds"),
    http2InitialConnectionWindowSize: whole('http2InitialConnectionWindowSize', options.http2InitialConnectionWindowSize ?? 1_048_576, 65_535, 2_147_483_647, "Envoy's HTTP/2 bounds"),
    requestHeadersTimeoutSeconds: whole('requestHeadersTimeoutSeconds', options.requestHeadersTimeoutSeconds ?? 10, 1, 3600, 'Envoy reads 0 as no deadline'),
  };
}

/** The bootstrap's `overload_manager`: the global downstream connection limit. */
export function overloadManager(hardening: ResolvedEdgeHardening): Record<string, unknown> {
  return {
    resource_monitors: [{
      name: 'envoy.resource_monitors.global_downstream_max_connections',
      typed_config: {
        '@type': 'type.googleapis.com/envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig',
        max_active_downstream_connections: String(hardening.maxDownstreamConnections),
      },
    }],
  };
}

/**
 * What the HTTP connection manager adds: HTTP/2 limits, the header deadline, and an internal
 * address set of loopback only, so no client's `x-envoy-*` headers are trusted (unset, Envoy
 * treats every RFC 1918 and RFC 4193 address as internal, and the NLB's clients arrive from them).
 */
export function hardenedConnectionManagerFields(hardening: ResolvedEdgeHardening): Record<string, unknown> {
  return {
    request_headers_timeout: `${hardening.requestHeadersTimeoutSeconds}s`,
    http2_protocol_options: {
      max_concurrent_streams: hardening.http2MaxConcurrentStreams,
      initial_stream_window_size: hardening.http2InitialStreamWindowSize,
      initial_connection_window_size: hardening.http2InitialConnectionWindowSize,
    },
    internal_address_config: {
      cidr_ranges: [{ address_prefix: '127.0.0.1', prefix_len: 32 }, { address_prefix: '::1', prefix_len: 128 }],
    },
  };
}
