/** A cluster's active health check and outlier detection as read, in Envoy's snake_case bootstrap or a Gloo Upstream's camelCase (the same Envoy messages). */
import { ABSENT_HEALTH_CHECK_THRESHOLD, ENVOY_OUTLIER_DETECTION_DEFAULTS } from '../core/envoy/defaults';
import { EnvoyClusterModel } from '../core/model';
import { asString, at, Json, numberOr, parseDurationSeconds } from './fields';

/** How a document spells Envoy's field names: `snake_case` as in the proto, or lowerCamelCase as Gloo's CRDs do. */
export type FieldSpelling = (protoName: string) => string;

/** Envoy's bootstraps: the proto's own field names. */
export const PROTO_SPELLING: FieldSpelling = (protoName) => protoName;

/** Gloo Edge's CRDs: lowerCamelCase (`consecutive_5xx` → `consecutive5xx`). */
export const CAMEL_SPELLING: FieldSpelling = (protoName) => protoName.replace(/_([a-z0-9])/g, (_match, next: string) => next.toUpperCase());

/** An active health check with its timing; none when it states no interval or timeout. */
export function readActiveHealthCheck(check: Json | undefined, spelled: FieldSpelling): EnvoyClusterModel['activeHealthCheck'] {
  if (!check) return undefined;
  const interval = parseDurationSeconds(check.interval);
  const timeout = parseDurationSeconds(check.timeout);
  if (interval === undefined || timeout === undefined) return undefined;
  const path = asString(at(check, spelled('http_health_check'), 'path'));
  return {
    intervalSeconds: interval,
    timeoutSeconds: timeout,
    healthyThreshold: numberOr(check[spelled('healthy_threshold')], ABSENT_HEALTH_CHECK_THRESHOLD),
    unhealthyThreshold: numberOr(check[spelled('unhealthy_threshold')], ABSENT_HEALTH_CHECK_THRESHOLD),
    ...(path !== undefined ? { path } : {}),
  };
}

/** Outlier detection, with Envoy's defaults for the fields it leaves out. */
export function readOutlierDetection(outlier: Json | undefined, spelled: FieldSpelling): EnvoyClusterModel['outlierDetection'] {
  if (!outlier) return undefined;
  return {
    consecutive5xx: numberOr(outlier[spelled('consecutive_5xx')], ENVOY_OUTLIER_DETECTION_DEFAULTS.consecutive5xx),
    baseEjectionSeconds: parseDurationSeconds(outlier[spelled('base_ejection_time')]) ?? ENVOY_OUTLIER_DETECTION_DEFAULTS.baseEjectionSeconds,
    maxEjectionPercent: numberOr(outlier[spelled('max_ejection_percent')], ENVOY_OUTLIER_DETECTION_DEFAULTS.maxEjectionPercent),
  };
}
