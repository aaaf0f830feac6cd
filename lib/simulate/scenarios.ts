/** What the simulator plays. */
export type Scenario = 'gateway-rollout' | 'gateway-daemonset-rollout' | 'upstream-rollout' | 'node-drain';

/** Every scenario, with what it does, for help texts and argument checking. */
export const SCENARIOS: Record<Scenario, string> = {
  'gateway-rollout': 'rolling update of the gateway (Deployment: surge and minReadySeconds; a DaemonSet rolls node by node)',
  'gateway-daemonset-rollout': 'rolling update of a DaemonSet gateway, node by node (hostPort: the old pod goes before the new one starts)',
  'upstream-rollout': 'rolling update of the service behind the gateway, while the gateways re-discover its pods',
  'node-drain': 'kubectl drain of the first gateway node: cordon, evict its pods within their PodDisruptionBudgets, replacements elsewhere',
};

export function isScenario(value: string): value is Scenario {
  return Object.prototype.hasOwnProperty.call(SCENARIOS, value);
}
