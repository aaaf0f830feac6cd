import { LoadBalancerModel } from '../core/model';
import { Cluster } from './cluster';
import { Random } from './engine';
import { endpointReady, endpointServing, SimPod } from './kubernetes';

/**
 * A connection that reaches a node: kube-proxy routes a NodePort connection to an endpoint (with
 * externalTrafficPolicy Local, only to the node's own) and answers healthCheckNodePort; a host
 * port goes to the gateway pod bound to it on that node. Kube-proxy acts on its view of the
 * endpoints, `kubeProxyPropagationSeconds` old.
 */

/**
 * kube-proxy's choice for a new connection among `pods`, as of its view `at`: a ready endpoint,
 * else a terminating one still serving (ProxyTerminatingEndpoints), else none (the packet is dropped).
 */
export function kubeProxyChoice(pods: readonly SimPod[], at: number, random: Random): SimPod | undefined {
  let ready = 0;
  for (const pod of pods) if (endpointReady(pod, at)) ready++;
  if (ready > 0) {
    let pick = random.index(ready);
    for (const pod of pods) if (endpointReady(pod, at) && pick-- === 0) return pod;
  }
  let serving = 0;
  for (const pod of pods) if (pod.deletedAt <= at && endpointServing(pod, at)) serving++;
  if (serving > 0) {
    let pick = random.index(serving);
    for (const pod of pods) if (pod.deletedAt <= at && endpointServing(pod, at) && pick-- === 0) return pod;
  }
  return undefined;
}

/** kube-proxy's healthCheckNodePort `/healthz` as of `at`: 200 only while the node has a ready local endpoint. */
export function nodeHealthz(pods: readonly SimPod[], at: number): boolean {
  for (const pod of pods) if (endpointReady(pod, at)) return true;
  return false;
}

export class NodeDataPath {
  constructor(
    private readonly cluster: Cluster,
    private readonly loadBalancer: LoadBalancerModel,
    /** externalTrafficPolicy Local: kube-proxy routes only to the node's own endpoints. */
    private readonly localTraffic: boolean,
    private readonly propagationSeconds: number,
    private readonly random: Random,
  ) {}

  /** The pod a new connection to `node` lands on at `t`, as the data path sees it. */
  public podOnNode(node: number, t: number): SimPod | undefined {
    if (this.loadBalancer.targetType === 'host-port') return this.cluster.hostPortHolder(node, t);
    const view = t - this.propagationSeconds;
    return kubeProxyChoice(this.localTraffic ? this.cluster.gatewayPodsByNode[node] : this.cluster.gateway.pods, view, this.random);
  }

  /**
   * kube-proxy's answer on healthCheckNodePort: with eTP Local 503 once the node has no ready local
   * endpoint (terminating ones don't count), from t0 on; with eTP Cluster there is no such port and
   * kube-proxy's own health (port 10256) says only that kube-proxy runs.
   */
  public healthCheckNodePortPasses(node: number, t: number): boolean {
    if (!this.localTraffic) return true;
    return nodeHealthz(this.cluster.gatewayPodsByNode[node], t - this.propagationSeconds);
  }
}
