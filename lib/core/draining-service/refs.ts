import { DEFAULT_NAMESPACE, objectRef } from '../object-ref';
import { HEADLESS_SERVICE_SUFFIX } from './options';

/** How the objects of a DrainingService are referred to, by findings and by the gateways in front. */

/** `Kind/namespace/name` references and the DNS name a gateway uses. */
export interface DrainingServiceRefs {
  readonly deploymentObject: string;
  readonly serviceObject: string;
  readonly headlessServiceObject: string;
  readonly headlessDnsName: string;
}

/** How the objects of the DrainingService `name` in `namespace` are referred to. */
export function drainingServiceRefs(name: string, namespace = DEFAULT_NAMESPACE): DrainingServiceRefs {
  return {
    deploymentObject: objectRef('Deployment', namespace, name),
    serviceObject: objectRef('Service', namespace, name),
    headlessServiceObject: objectRef('Service', namespace, `${name}${HEADLESS_SERVICE_SUFFIX}`),
    headlessDnsName: `${name}${HEADLESS_SERVICE_SUFFIX}.${namespace}.svc.cluster.local`,
  };
}
